"""The fast engine (api/engine/) and the reference (Strawberry's own execution,
Starlette's own request and response, Tortoise's own queries) answer every kind
of request with the same status, headers and bytes; and the private names the
fast engine touches are where it expects them (api/engine/README.md)."""

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import GraphQLSchema

from api.app import App, create_app
from api.engine import Engine, graphql_schema
from api.requests import GRAPHQL_RESPONSE
from api.schema import schema

PAGE = (
    "{ partners(first: 20) { edges { node { slug name summary categories { slug name }"
    " programs { slug name timing grades schoolSites { slug name }"
    " sessions { days startsAt endsAt validFrom validUntil schoolSite { slug } } }"
    " } } } }"
)
STAFF = "{ staff { partners(first: 5) { edges { node { slug status notes } } } } }"
ASKED = {"accept": GRAPHQL_RESPONSE}
PLAIN = {"accept-encoding": "identity"}
# (method, path, headers, body): what families' pages, developers and staff send,
# the refusals included
REQUESTS: list[tuple[str, str, dict[str, str], Any]] = [
    ("GET", "/graphql?query={categories{slug name}}", ASKED, None),
    ("POST", "/graphql", ASKED, {"query": PAGE}),
    ("POST", "/graphql", ASKED, {"query": PAGE}),  # from the cache
    ("POST", "/graphql", {**ASKED, "accept-encoding": "gzip"}, {"query": PAGE}),
    (
        "POST",
        "/graphql",
        ASKED,
        {
            "query": "query P($n: Int!) { partners(first: $n) { totalCount } }",
            "variables": {"n": 2},
        },
    ),
    ("POST", "/graphql", ASKED, {"query": "query P($n: Int!) { __typename }"}),
    ("POST", "/graphql", ASKED, {"query": "{ partners(first: 2) { nme } }"}),
    ("POST", "/graphql", ASKED, {"query": "{ partners("}),
    ("POST", "/graphql", {"accept": "application/json"}, {"query": "{ nothing }"}),
    (
        "POST",
        "/graphql",
        ASKED,
        {"query": "query A { __typename }", "operationName": "B"},
    ),
    ("GET", "/graphql?query=mutation{__typename}", ASKED, None),
    ("POST", "/graphql", {**ASKED, "content-type": "application/json"}, b"{not json"),
    ("POST", "/graphql", {**ASKED, "content-type": "text/plain"}, b"{}"),
    ("POST", "/graphql", {"accept": "text/csv"}, {"query": "{ __typename }"}),
    ("OPTIONS", "/graphql", {"origin": "https://example.org"}, None),
    ("PUT", "/graphql", ASKED, None),
    (
        "POST",
        "/graphql",
        ASKED,
        {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}},
    ),
    ("POST", "/graphql", ASKED, {"query": "{ a:__typename " * 40 + "}" * 40}),
    (
        "POST",
        "/graphql",
        {**ASKED, "authorization": "Bearer {editor}"},
        {"query": STAFF},
    ),
    (
        "POST",
        "/graphql",
        {**ASKED, "authorization": "Bearer {editor}"},
        {"query": 'mutation { updatePartner(id: "nope", input: {}) { __typename } }'},
    ),
    ("POST", "/graphql", {**ASKED, "authorization": "Bearer wrong"}, {"query": STAFF}),
    ("GET", "/hsds/", {}, None),
    ("GET", "/hsds/services?per_page=5", {}, None),
    ("GET", "/hsds/services/abc%0Adef", {}, None),
    ("GET", "/hsds/organizations?page=oops", {}, None),
    ("GET", "/schema.graphql", {}, None),
]


@pytest.fixture
async def both_ways(
    district: date, tmp_path: Path, tokens: dict[str, str]
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient, dict[str, str]]]:
    site = str(tmp_path / "no-site")
    clients = []
    for engine in ("fast", "reference"):
        app = create_app(site_dir=site, today=lambda: district, engine=engine)
        clients.append(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://test",
                headers=PLAIN,  # httpx asks for gzip unless told
            )
        )
    async with clients[0] as fast, clients[1] as reference:
        yield fast, reference, tokens


async def sent(
    client: httpx.AsyncClient,
    request: tuple[str, str, dict[str, str], Any],
    tokens: dict[str, str],
) -> tuple[int, list[tuple[str, str]], bytes]:
    method, path, headers, body = request
    headers = {k: v.format(**tokens) for k, v in headers.items()}
    if isinstance(body, dict):
        answer = await client.request(method, path, headers=headers, json=body)
    else:
        answer = await client.request(method, path, headers=headers, content=body)
    return answer.status_code, answer.headers.multi_items(), answer.content


async def test_both_engines_answer_every_request_alike(
    both_ways: tuple[httpx.AsyncClient, httpx.AsyncClient, dict[str, str]],
) -> None:
    fast, reference, tokens = both_ways
    statuses = set()
    for request in REQUESTS:
        ours = await sent(fast, request, tokens)
        theirs = await sent(reference, request, tokens)
        assert ours == theirs, request
        statuses.add(ours[0])
    # the corpus reaches answers, refusals and failures of the caller's making
    assert {200, 204, 400, 401, 405, 406, 415} <= statuses
    etag = dict((await sent(fast, REQUESTS[1], tokens))[1])["etag"]
    revisit = ("POST", "/graphql", {**ASKED, "if-none-match": etag}, {"query": PAGE})
    get = ("GET", f"/graphql?query={PAGE}", {**ASKED, "if-none-match": etag}, None)
    for request in (revisit, get):
        assert await sent(fast, request, tokens) == await sent(
            reference, request, tokens
        )


async def test_only_the_fast_engine_takes_the_short_way_in(
    district: date, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reference reads every request through Starlette's router, middleware,
    Request and Response."""
    direct: list[str] = []
    short = App._direct

    async def counted(self: App, *args: Any) -> None:
        direct.append(self.graphql.engine.name if self.graphql else "")
        await short(self, *args)

    monkeypatch.setattr(App, "_direct", counted)
    for engine in ("fast", "reference"):
        app = create_app(site_dir=str(tmp_path), today=lambda: district, engine=engine)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t", headers=PLAIN
        ) as c:
            answer = await c.get("/graphql?query={__typename}", headers=ASKED)
            assert answer.json() == {"data": {"__typename": "Query"}}
    assert direct == ["fast"]


def test_an_unknown_engine_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="No engine named 'quick': fast or reference"):
        create_app(engine="quick")


def test_strawberry_keeps_its_graphql_core_schema() -> None:
    """Strawberry's `Schema._schema` (api/engine/core.py)."""
    found = graphql_schema(schema)
    assert isinstance(found, GraphQLSchema)
    assert {"Query", "Mutation", "Partner"} <= set(found.type_map)


def test_plans_leave_strawberrys_schema_as_it_was() -> None:
    """Making the fast engine's plans changes no resolver of Strawberry's."""
    graphql = graphql_schema(schema)
    before = {
        (name, field): definition.resolve
        for name, kind in graphql.type_map.items()
        for field, definition in getattr(kind, "fields", {}).items()
        if hasattr(definition, "resolve")
    }
    assert Engine(schema).plans
    after = {
        (name, field): definition.resolve
        for name, kind in graphql.type_map.items()
        for field, definition in getattr(kind, "fields", {}).items()
        if hasattr(definition, "resolve")
    }
    assert after == before
