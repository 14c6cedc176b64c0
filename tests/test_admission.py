"""Costly anonymous queries take turns by cost, so that cheap ones never queue
behind a flood of them; a turn that does not come in time is a 429."""

import asyncio
from datetime import date

import httpx

from api.admission import Admission
from api.bounds import read_bounds
from api.engine import graphql_schema
from api.execution import is_prepared, prepare
from api.requests import GRAPHQL_RESPONSE
from api.schema import schema


async def test_costly_work_is_admitted_while_it_fits_first_come_first_served() -> None:
    admission = Admission(capacity=10, floor=5, wait=5.0)
    assert admission.units(4) == 0  # cheap: never waits
    assert admission.units(50) == 10  # the most one query can take
    assert await admission.enter(8)
    second = asyncio.ensure_future(admission.enter(5))
    third = asyncio.ensure_future(admission.enter(2))
    await asyncio.sleep(0)
    # the third would fit, but waits behind the second: first come, first served
    assert not second.done() and not third.done()
    admission.leave(8)
    assert await second and await third
    assert admission.running == 7
    admission.leave(5)
    admission.leave(2)
    assert admission.running == 0 and not admission.waiting


async def test_a_turn_that_does_not_come_in_time_is_refused_and_forgotten() -> None:
    admission = Admission(capacity=10, floor=5, wait=0.01)
    assert await admission.enter(10)
    assert not await admission.enter(6)
    assert not admission.waiting and admission.running == 10
    waiting = asyncio.ensure_future(admission.enter(6))
    await asyncio.sleep(0)
    waiting.cancel()  # the client went away
    await asyncio.gather(waiting, return_exceptions=True)
    assert not admission.waiting and admission.running == 10
    admission.leave(10)
    assert await admission.enter(6)


async def test_thirty_searches_in_one_document_are_refused_before_they_run(
    client: httpx.AsyncClient, district: date
) -> None:
    fields = " ".join(
        f'a{i}: programs(first: 100, filter: {{ search: "q{i}" }}) '
        "{ totalCount edges { node { name partner { name } } } }"
        for i in range(30)
    )
    response = await client.post(
        "/graphql",
        json={"query": f"{{ {fields} }}"},
        headers={"accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "TOO_MANY_SEARCHES"


async def test_a_costly_query_with_no_turn_is_told_to_come_back(
    client: httpx.AsyncClient, district: date
) -> None:
    admission = client._transport.app.graphql.admission  # type: ignore[attr-defined]
    admission.wait = 0.01
    admission.running = admission.capacity  # others are running
    costly = (
        "{ partners(first: 100) { edges { node { name programs { name } "
        "schoolSites { partners(first: 20) { edges { node { name } } } } } } } }"
    )
    bounds = await read_bounds(graphql_schema(schema))
    engine = client._transport.app.graphql.engine  # type: ignore[attr-defined]
    assert admission.units(prepare(costly, None, bounds, engine).cost) > 0
    response = await client.post("/graphql", json={"query": costly})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"
    assert "busy" in response.json()["errors"][0]["message"]
    cheap = await client.post("/graphql", json={"query": "{ categories { slug } }"})
    assert cheap.status_code == 200 and "errors" not in cheap.json()
    admission.running = 0
    again = await client.post("/graphql", json={"query": costly})
    assert again.status_code == 200 and "errors" not in again.json()


async def test_large_new_documents_wait_in_a_lane_of_their_own(
    client: httpx.AsyncClient, district: date
) -> None:
    endpoint = client._transport.app.graphql  # type: ignore[attr-defined]
    endpoint.large.wait = 0.01
    endpoint.large.running = endpoint.large.capacity  # one is being prepared
    operations = " ".join(
        f'query Q{k} {{ partner(slug: "s{k}") {{ name }} }}' for k in range(150)
    )
    large = {"query": operations, "operationName": "Q0"}
    assert len(operations) > 4096
    waited = await client.post("/graphql", json=large)
    assert waited.status_code == 429
    # an ordinary query never waits behind them
    small = await client.post("/graphql", json={"query": "{ categories { slug } }"})
    assert small.status_code == 200 and "errors" not in small.json()
    endpoint.large.running = 0
    prepared = await client.post("/graphql", json=large)  # in a thread, then kept
    assert prepared.json() == {"data": {"partner": None}}
    assert is_prepared(operations, "Q0", endpoint.engine)
    endpoint.large.running = endpoint.large.capacity
    again = await client.post("/graphql", json={**large, "variables": {}})
    assert again.status_code == 200  # prepared already: no lane to wait in
