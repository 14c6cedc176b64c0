"""GraphQL over HTTP: status codes and media types per case, limits, masking,
production switches, health, and caching that never leaks staff data."""

import io
import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.access_log import AccessLines
from api.app import create_app
from api.types import Partner
from models import settings
from tests.conftest import StatementLog

GQL = "application/graphql-response+json"
JSON = "application/json"
LIST = "{ partners(first: 2) { edges { node { slug } } } }"


@pytest.fixture
async def prod(district: date, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(site_dir=str(tmp_path / "no-site"), production=True)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def ask(
    client: httpx.AsyncClient,
    body: Any = None,
    *,
    method: str = "POST",
    accept: str | None = GQL,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    content: bytes | None = None,
) -> httpx.Response:
    sent = {"accept": accept} if accept else {}
    sent.update(headers or {})
    if body is not None:
        content = json.dumps(body).encode()
        sent.setdefault("content-type", JSON)
    return await client.request(
        method, "/graphql", content=content, params=params, headers=sent
    )


def media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (GQL, GQL),
        (JSON, JSON),
        (None, JSON),
        ("*/*", JSON),
        (f"{JSON};q=0.5, {GQL}", GQL),
        (f"{GQL};q=0, {JSON}", JSON),
    ],
)
async def test_the_answer_uses_the_media_type_asked_for(
    client: httpx.AsyncClient, district: date, accept: str | None, expected: str
) -> None:
    response = await ask(client, {"query": LIST}, accept=accept)
    assert response.status_code == 200
    assert media(response) == expected
    assert len(response.json()["data"]["partners"]["edges"]) == 2


async def test_an_unacceptable_accept_header_gets_406(
    client: httpx.AsyncClient, district: date
) -> None:
    response = await ask(client, {"query": LIST}, accept="text/plain")
    assert response.status_code == 406
    assert "errors" in response.json()


@pytest.mark.parametrize(
    ("body", "gql_status"),
    [
        ({"query": "{ partners { "}, 400),  # does not parse
        ({"query": "{ partners { nope } }"}, 400),  # does not validate
        (
            {
                "query": "query Q($n: Int!) { partners(first: $n) { totalCount } }",
                "variables": {"n": "many"},
            },
            400,
        ),  # variables do not coerce
        ({"query": "query Q($n: Int!) { partners(first: $n) { totalCount } }"}, 400),
    ],
)
async def test_a_document_that_cannot_run_is_a_400_in_the_graphql_media_type(
    client: httpx.AsyncClient, district: date, body: dict[str, Any], gql_status: int
) -> None:
    response = await ask(client, body)
    assert (response.status_code, media(response)) == (gql_status, GQL)
    assert "data" not in response.json() and response.json()["errors"]
    legacy = await ask(client, body, accept=JSON)
    assert (legacy.status_code, media(legacy)) == (200, JSON)
    assert legacy.json()["errors"]


async def test_an_error_while_running_keeps_data_and_status_200(
    client: httpx.AsyncClient, district: date
) -> None:
    response = await ask(client, {"query": "{ partners(first: 0) { totalCount } }"})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["path"] == ["partners"]


async def test_get_runs_queries_and_refuses_mutations(
    client: httpx.AsyncClient, district: date
) -> None:
    response = await ask(client, method="GET", params={"query": LIST})
    assert (response.status_code, media(response)) == (200, GQL)
    response = await ask(
        client,
        method="GET",
        params={
            "query": "query Q($n: Int) { partners(first: $n) { totalCount } }",
            "variables": '{"n": 1}',
            "operationName": "Q",
        },
    )
    assert response.json()["data"]["partners"]["totalCount"] == 4
    mutation = (
        'mutation { createServiceType(input: {slug: "x", name: "X"}) '
        "{ errors { field } } }"
    )
    response = await ask(client, method="GET", params={"query": mutation})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize(
    ("request_kwargs", "status", "message"),
    [
        ({"method": "PUT", "body": {"query": LIST}}, 405, "Use GET or POST"),
        (
            {"content": b"query=x", "headers": {"content-type": "text/plain"}},
            415,
            "POST bodies must be application/json",
        ),
        (
            {"content": b"{not json", "headers": {"content-type": JSON}},
            400,
            "The request body is not valid JSON",
        ),
        (
            {"body": [{"query": LIST}, {"query": LIST}]},
            400,
            "Batched requests are not supported: send one operation",
        ),
        ({"body": "just a string"}, 400, "The request body must be a JSON object"),
        (
            {"body": {"variables": {}}},
            400,
            "The request has no query: send it as a string in `query`",
        ),
        (
            {"body": {"query": 42}},
            400,
            "The request has no query: send it as a string in `query`",
        ),
        (
            {"body": {"query": LIST, "variables": [1]}},
            400,
            "`variables` must be a JSON object",
        ),
        (
            {"body": {"query": LIST, "operationName": 7}},
            400,
            "`operationName` must be a string",
        ),
        (
            {"body": {"query": LIST, "extensions": "x"}},
            400,
            "`extensions` must be a JSON object",
        ),
        (
            {
                "body": {
                    "query": "query A { categories { slug } } query B { __typename }"
                }
            },
            400,
            "The document has several operations: name one in `operationName`",
        ),
        (
            {"body": {"query": LIST, "operationName": "Missing"}},
            400,
            'Unknown operation named "Missing".',
        ),
        (
            {"method": "GET", "params": {"query": LIST, "variables": "{oops"}},
            400,
            "The variables parameter is not valid JSON",
        ),
        (
            {"method": "GET", "params": {}},
            400,
            "The request has no query: send it as a string in `query`",
        ),
    ],
)
async def test_malformed_requests_get_a_clear_4xx(
    client: httpx.AsyncClient,
    district: date,
    request_kwargs: dict[str, Any],
    status: int,
    message: str,
) -> None:
    response = await ask(client, **request_kwargs)
    assert response.status_code == status
    assert response.json() == {"errors": [{"message": message}]}


async def test_an_oversized_body_gets_413_before_it_is_read(
    client: httpx.AsyncClient, district: date
) -> None:
    padding = " " * settings.current().max_body_bytes
    response = await ask(client, {"query": LIST + padding})
    assert response.status_code == 413
    assert response.json() == {
        "errors": [
            {
                "message": "The request body is over "
                f"{settings.current().max_body_bytes:,} bytes"
            }
        ]
    }


def nested(levels: int) -> str:
    inner = "slug"
    for _ in range(levels):
        inner = f"schoolSites {{ partners {{ edges {{ node {{ {inner} }} }} }} }}"
    return f"{{ partners(first: 1) {{ edges {{ node {{ {inner} }} }} }} }}"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (nested(6), "'anonymous' exceeds maximum operation depth of 12"),
        (
            "{ " + " ".join(f"a{i}: categories {{ slug }}" for i in range(31)) + " }",
            "31 aliases found. Allowed: 30",
        ),
        (
            "{ categories { " + "slug " * 2100 + "} }",
            "Syntax Error: Document contains more than 2000 tokens. Parsing aborted.",
        ),
        (
            "{ schoolSites { partners(first: 100) { edges { node { schoolSites { "
            "partners(first: 100) { edges { node { programs { slug } } } } } } } } } }",
            "Query cost 361,804 is over the limit of 25,000: ask for fewer items per "
            "page (first) or fewer nested lists",
        ),
    ],
)
async def test_hostile_queries_are_refused_before_they_run(
    client: httpx.AsyncClient,
    district: date,
    sql_log: StatementLog,
    query: str,
    message: str,
) -> None:
    await ask(client, {"query": "{ __typename }"})  # reads per data revision
    sql_log.statements.clear()
    response = await ask(client, {"query": query})
    assert response.status_code == 400
    assert message in [e["message"] for e in response.json()["errors"]]
    assert sql_log.statements == []  # nothing ran


async def test_internal_errors_are_masked(
    client: httpx.AsyncClient, district: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(cls: type[Partner], row: object) -> Partner:
        raise RuntimeError('SELECT * FROM "partner" failed: disk I/O error at /var/db')

    monkeypatch.setattr(Partner, "from_model", classmethod(broken))
    response = await ask(client, {"query": LIST})
    assert response.status_code == 200
    body = response.json()
    assert body["errors"] == [
        {
            "message": "Unexpected error.",
            "locations": [{"line": 1, "column": 3}],
            "path": ["partners"],
        }
    ]
    assert "SELECT" not in response.text and "disk" not in response.text


async def test_production_drops_suggestions_and_graphiql(
    client: httpx.AsyncClient, prod: httpx.AsyncClient
) -> None:
    typo = {"query": "{ partners { edges { node { nme } } } }"}
    dev = (await ask(client, typo)).json()["errors"][0]["message"]
    assert dev == "Cannot query field 'nme' on type 'Partner'. Did you mean 'name'?"
    live = (await ask(prod, typo)).json()["errors"][0]["message"]
    assert live == "Cannot query field 'nme' on type 'Partner'."
    page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    none = await prod.get("/graphql", headers={"accept": "text/html"})
    assert none.status_code == 406
    assert "graphiql" not in none.text.lower()


async def test_anonymous_answers_are_cached_until_the_next_write(
    client: httpx.AsyncClient,
    district: date,
    tokens: dict[str, str],
    sql_log: StatementLog,
) -> None:
    query = {"query": "{ serviceTypes { slug name } }"}
    first = await ask(client, method="GET", params=query)
    assert first.headers["cache-control"] == "public, max-age=0, must-revalidate"
    etag = first.headers["etag"]
    sql_log.statements.clear()
    again = await ask(client, method="GET", params=query)
    assert again.content == first.content
    assert len(sql_log.statements) <= 1  # at most the revision check
    unchanged = await ask(
        client, method="GET", params=query, headers={"if-none-match": etag}
    )
    assert unchanged.status_code == 304 and unchanged.content == b""
    rename = (
        'mutation { updateServiceType(slug: "arts", input: {name: "Arts & crafts"})'
        " { errors { field } } }"
    )
    await ask(
        client,
        {"query": rename},
        headers={"authorization": f"Bearer {tokens['editor']}"},
    )
    fresh = await ask(
        client, method="GET", params=query, headers={"if-none-match": etag}
    )
    assert fresh.status_code == 200
    assert "Arts & crafts" in fresh.text
    assert fresh.headers["etag"] != etag


async def test_staff_answers_are_never_cached_or_shared(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    query = {"query": "{ staff { partners(first: 100) { totalCount } } }"}
    viewer = {"authorization": f"Bearer {tokens['viewer']}"}
    staff = await ask(client, method="GET", params=query, headers=viewer)
    assert staff.json()["data"]["staff"]["partners"]["totalCount"] == 13
    assert staff.headers["cache-control"] == "private, no-store"
    assert "etag" not in staff.headers and "vary" not in staff.headers
    anonymous = await ask(client, method="GET", params=query)
    assert anonymous.json()["data"] == {"staff": None}
    assert "13" not in anonymous.text


async def test_operation_name_picks_one_of_several_operations(
    client: httpx.AsyncClient, district: date
) -> None:
    document = "query A { categories { slug } } query B { languages { code } }"
    response = await ask(client, {"query": document, "operationName": "B"})
    assert response.status_code == 200
    assert list(response.json()["data"]) == ["languages"]


async def test_anonymous_reads_take_a_short_way_in_with_the_same_answers(
    district: date,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Anonymous GraphQL reads without gzip go straight to the endpoint (api.app.App),
    past the router and the middleware chain; each answer is the one the whole way
    gives, status, headers and bytes: security headers, ETags, 304s, refusals and
    failures alike."""
    from api.app import App

    taken: list[str] = []
    direct = App._direct

    async def counted(self: App, *args: Any) -> None:
        taken.append("short")
        await direct(self, *args)

    monkeypatch.setattr(App, "_direct", counted)
    site = str(tmp_path / "no-site")
    # the short way is the fast engine's (the reference never takes it)
    short = create_app(site_dir=site, today=lambda: district, engine="fast")
    whole = create_app(site_dir=site, today=lambda: district, engine="fast")
    whole.graphql = None  # the whole way, always
    plain = {"accept-encoding": "identity", "accept": GQL}
    requests: list[dict[str, Any]] = [
        {"method": "POST", "json": {"query": LIST}},
        {"method": "POST", "json": {"query": LIST}},  # from the cache now
        {"method": "GET", "params": {"query": LIST}},
        {"method": "POST", "json": {"query": "{ nope }"}},
        {"method": "POST", "content": b"{not json"},
        {"method": "GET", "params": {"query": "mutation { x }"}},
        {"method": "POST", "json": {"query": LIST}, "headers": {"accept": "text/csv"}},
        {"method": "GET", "headers": {"accept": "text/html"}},  # GraphiQL
    ]

    async def both(request: dict[str, Any]) -> list[httpx.Response]:
        answers = []
        for app in (short, whole):
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
                headers = {**plain, **request.get("headers", {})}
                asked = {k: v for k, v in request.items() if k != "headers"}
                answers.append(
                    await c.request(url="/graphql", headers=headers, **asked)
                )
        return answers

    for request in requests:
        a, b = await both(request)
        assert (a.status_code, a.headers.raw, a.content) == (
            b.status_code,
            b.headers.raw,
            b.content,
        ), request
        assert "x-content-type-options" in a.headers
    etag = a.headers.get("etag") or (await both(requests[2]))[0].headers["etag"]
    a, b = await both(
        {"method": "GET", "params": {"query": LIST}, "headers": {"if-none-match": etag}}
    )
    assert a.status_code == b.status_code == 304 and a.headers.raw == b.headers.raw
    assert len(taken) == len(requests) + 2  # and the whole way never took it
    written = io.StringIO()
    monkeypatch.setattr(AccessLines, "stream", written)
    await both(requests[0])
    AccessLines.flush()
    lines = written.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].split('"')[1] == lines[1].split('"')[1]
    assert lines[0].split('"')[1] == "POST /graphql"

    async def broken(*args: Any) -> None:
        raise RuntimeError("a failure of ours")

    monkeypatch.setattr("api.http.GraphQLEndpoint.handle", broken)
    a, b = await both(requests[0])
    assert a.status_code == b.status_code == 500
    assert a.content == b.content == b"Internal Server Error"


async def test_a_kept_answer_is_sent_gzipped_and_plain_alike(
    client: httpx.AsyncClient, district: date
) -> None:
    """A cached answer's headers are made once and shared: compressing one answer
    for one client leaves the next client's plain answer whole."""
    big = "{ partners(first: 20) { edges { node { slug name summary description } } } }"
    plain = await ask(client, {"query": big}, headers={"accept-encoding": "identity"})
    assert len(plain.content) > 500, len(plain.content)  # large enough to compress
    for _ in range(2):
        zipped = await ask(client, {"query": big}, headers={"accept-encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip"
        assert zipped.json() == plain.json()
        again = await ask(
            client, {"query": big}, headers={"accept-encoding": "identity"}
        )
        assert "content-encoding" not in again.headers
        assert again.headers["content-length"] == str(len(plain.content))
        assert again.content == plain.content
