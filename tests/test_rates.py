"""One staff token writes at most a burst at once, then at its refill rate; a
token over it is told when to come back, and nothing it sent is written."""

from datetime import date

import httpx

from api.rates import Rate
from tests.gql import post


def test_a_bucket_gives_its_burst_then_its_rate() -> None:
    now = [0.0]
    rate = Rate(burst=3, per_second=0.5, clock=lambda: now[0])
    assert rate.take("a", 2) == 0 and rate.take("a", 1) == 0
    assert rate.take("a", 1) == 2.0  # one more in two seconds
    assert rate.take("b", 3) == 0  # each token its own
    now[0] = 2.0
    assert rate.take("a", 1) == 0
    assert rate.take("a", 5) == 6.0  # at most a burst's wait
    now[0] = 100.0
    assert rate.take("a", 3) == 0


ADD = "mutation { %s }"
FIELD = (
    'a%d: createServiceType(input: { slug: "s%d", name: "Service %d" }) '
    "{ record { slug } }"
)


async def test_a_token_writing_too_fast_is_slowed_and_nothing_is_half_written(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    now = [0.0]
    endpoint = client._transport.app.graphql  # type: ignore[attr-defined]
    endpoint.write_rate = Rate(burst=3, per_second=1, clock=lambda: now[0])
    two = ADD % " ".join(FIELD % (i, i, i) for i in range(2))
    answer = await post(client, two, tokens["editor"])
    assert "errors" not in answer
    # two more than the one write left: refused whole
    response = await client.post(
        "/graphql",
        json={"query": ADD % " ".join(FIELD % (i, i, i) for i in range(2, 4))},
        headers={"authorization": f"Bearer {tokens['editor']}"},
    )
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"
    assert "editor-token" in response.json()["errors"][0]["message"]
    listed = await post(client, "{ serviceTypes { slug } }")
    slugs = {s["slug"] for s in listed["data"]["serviceTypes"]}
    assert {"s0", "s1"} <= slugs and not {"s2", "s3"} & slugs
    # reads are not writes; another token has its own bucket
    assert "errors" not in await post(client, "{ __typename }", tokens["editor"])
    now[0] = 1.0
    answer = await post(client, ADD % (FIELD % (2, 2, 2)), tokens["editor"])
    assert "errors" not in answer


async def test_one_address_is_refused_past_its_rate_before_its_document_is_read(
    client: httpx.AsyncClient, district: date
) -> None:
    now = [0.0]
    endpoint = client._transport.app.graphql  # type: ignore[attr-defined]
    endpoint.address_rate = Rate(burst=2, per_second=1, clock=lambda: now[0])
    for n in range(2):  # each new: none answered from the cache
        answer = await client.post("/graphql", json={"query": f"{{ __typename }} #{n}"})
        assert answer.status_code == 200
    refused = await client.post("/graphql", json={"query": "{ __typename } #2"})
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    assert "your address" in refused.json()["errors"][0]["message"]
    # answers from the cache are not counted
    cached = await client.post("/graphql", json={"query": "{ __typename } #0"})
    assert cached.status_code == 200
    now[0] = 1.0
    later = await client.post("/graphql", json={"query": "{ __typename } #3"})
    assert later.status_code == 200


async def test_open_referral_shares_the_address_rate(
    client: httpx.AsyncClient, district: date
) -> None:
    rate = client._transport.app.graphql.address_rate  # type: ignore[attr-defined]
    rate.burst, rate.per_second, rate.clock = 1, 1, lambda: 0.0  # the one HSDS has
    assert (await client.get("/hsds/services?per_page=1")).status_code == 200
    refused = await client.get("/hsds/services?per_page=2")  # a new answer to make
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    assert "your address" in refused.json()["message"]
    assert (await client.get("/hsds/services?per_page=1")).status_code == 200  # kept
