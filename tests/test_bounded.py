"""Every request is bounded: a deadline, a largest answer, and no input that
reaches a traceback. Each reproduction of issue 9 is here."""

import asyncio
import base64
import io
import logging
from dataclasses import replace
from datetime import date
from typing import Any

import httpx
import pytest
from starlette.types import Message

import models as m
from api.access_log import AccessLines
from api.app import create_app
from tests.conftest import StatementLog
from tests.gql import post
from tests.test_http import GQL, ask
from tests.test_mutations import (
    CREATE_PARTNER,
    CREATE_PROGRAM,
    RECORD,
    RENEW,
    UPDATE_PARTNER,
    problems,
    run,
    snapshot,
)


@pytest.fixture
def internal_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the API logs as its own failure; each test expects none."""
    caplog.set_level(logging.ERROR, logger="partners.api")
    return caplog.records


def limited(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, **changes: Any
) -> None:
    """The app's GraphQL endpoint with these settings changed for the test."""
    endpoint = client._transport.app.graphql  # type: ignore[attr-defined]
    monkeypatch.setattr(endpoint, "settings", replace(endpoint.settings, **changes))


def codes(answer: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code", "") for e in answer["errors"]]


async def test_a_request_past_its_deadline_is_stopped_with_a_clear_error(
    client: httpx.AsyncClient,
    district: date,
    monkeypatch: pytest.MonkeyPatch,
    internal_errors: list[logging.LogRecord],
) -> None:
    limited(client, monkeypatch, deadline_seconds=1e-6)
    response = await ask(client, {"query": "{ partners { edges { node { slug } } } }"})
    assert response.status_code == 200  # data is null: 200 in either media type
    answer = response.json()
    assert answer["data"] is None and codes(answer) == ["TIMEOUT"]
    assert "longer than the limit of 1e-06 s" in answer["errors"][0]["message"]
    assert response.headers["cache-control"] == "private, no-store"
    assert not internal_errors


async def test_a_mutation_past_its_deadline_leaves_nothing_written(
    client: httpx.AsyncClient,
    district: date,
    tokens: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = await snapshot()
    limited(client, monkeypatch, staff_deadline_seconds=1e-6)
    answer = await post(
        client,
        UPDATE_PARTNER,
        tokens["editor"],
        slug="city-arts",
        input={"name": "Renamed", "categories": ["mental-health"]},
    )
    assert codes(answer) == ["TIMEOUT"]
    await asyncio.sleep(0.05)  # anything left running would have written by now
    assert await snapshot() == before


async def test_an_answer_over_the_size_limit_is_refused(
    client: httpx.AsyncClient, district: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    limited(client, monkeypatch, max_answer_bytes=200)
    small = await ask(client, {"query": "{ categories { slug } }"})
    assert "errors" not in small.json()
    big = await ask(client, {"query": "{ categories { slug name description } }"})
    answer = big.json()
    assert big.status_code == 200 and answer["data"] is None
    assert codes(answer) == ["ANSWER_TOO_LARGE"]
    assert "over the limit of 200" in answer["errors"][0]["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"query": '{ partner(slug: "a\\u0000b") { slug } }'},
            "String values must not contain NUL (\\u0000)",
        ),
        (
            {
                "query": "query($f: PartnerFilter) { partners(filter: $f) "
                "{ totalCount } }",
                "variables": {"f": {"search": "ok", "categories": ["x", "\u0000"]}},
            },
            "variables.f.categories.1 contains NUL (\\u0000), which is not text",
        ),
    ],
)
async def test_nul_in_any_string_is_a_400_naming_where(
    client: httpx.AsyncClient,
    district: date,
    body: dict[str, Any],
    message: str,
    internal_errors: list[logging.LogRecord],
) -> None:
    response = await ask(client, body)
    assert response.status_code == 400
    assert [e["message"] for e in response.json()["errors"]] == [message]
    assert not internal_errors


@pytest.mark.parametrize(
    "global_id", ["StaffPartner:abc", "Query:x", "PartnerConnection:1", "Nope:1"]
)
async def test_node_of_something_that_is_not_a_node_is_a_user_error(
    client: httpx.AsyncClient,
    district: date,
    global_id: str,
    internal_errors: list[logging.LogRecord],
) -> None:
    encoded = base64.b64encode(global_id.encode()).decode()
    answer = await post(client, "query($id: ID!) { node(id: $id) { id } }", id=encoded)
    assert codes(answer) == ["BAD_USER_INPUT"]
    assert "is not the id of a partner, program or school site" in str(answer)
    assert not internal_errors


async def test_a_node_id_with_nul_inside_finds_nothing(
    client: httpx.AsyncClient, district: date
) -> None:
    encoded = base64.b64encode(b"Partner:city-arts\x00").decode()
    answer = await post(client, "query($id: ID!) { node(id: $id) { id } }", id=encoded)
    assert answer == {"data": {"node": None}}


async def test_a_client_that_goes_away_mid_body_is_let_go_quietly(
    district: date,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.INFO)
    app = create_app(site_dir="/dev/null/no-site", today=lambda: district)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", b"100"),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("test", 80),
    }
    incoming: list[Message] = [
        {"type": "http.request", "body": b'{"query": "{ categ', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    written = io.StringIO()
    monkeypatch.setattr(AccessLines, "stream", written)
    await app(scope, receive, send)
    assert sent == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    AccessLines.flush()
    assert '"POST /graphql" 499' in written.getvalue()


@pytest.mark.parametrize(
    ("document", "variables", "model", "what"),
    [
        (
            CREATE_PARTNER,
            {"input": {"slug": "twins", "name": "Twins", "categories": []}},
            m.Partner,
            "partner",
        ),
        (
            CREATE_PROGRAM,
            {
                "partner": "city-arts",
                "input": {"slug": "twins", "name": "T", "gradeMin": 1, "gradeMax": 2},
            },
            m.Program,
            "program",
        ),
    ],
)
async def test_one_slug_created_twenty_times_at_once_is_written_once(
    client: httpx.AsyncClient,
    district: date,
    tokens: dict[str, str],
    internal_errors: list[logging.LogRecord],
    document: str,
    variables: dict[str, Any],
    model: type[m.Partner] | type[m.Program],
    what: str,
) -> None:
    async def create() -> dict[str, Any]:
        return await run(client, tokens["editor"], document, **variables)

    payloads = await asyncio.gather(*(create() for _ in range(20)))
    made = [p for p in payloads if p["record"]]
    refused = [problems(p) for p in payloads if not p["record"]]
    assert len(made) == 1
    assert refused == [{"input.slug": f"is already used by another {what}"}] * 19
    assert await model.filter(slug="twins").count() == 1
    assert not internal_errors


async def test_dates_outside_any_sane_range_are_field_errors(
    client: httpx.AsyncClient,
    district: date,
    tokens: dict[str, str],
    internal_errors: list[logging.LogRecord],
) -> None:
    editor = tokens["editor"]
    payload = await run(
        client,
        editor,
        RECORD,
        partner="no-contract",
        input={"kind": "CONTRACT", "startsOn": "2026-01-01", "endsOn": "9999-12-31"},
    )
    assert problems(payload) == {
        "input.endsOn": "must be between 1990-01-01 and 2099-12-31"
    }
    # one already on file (from before the check) cannot be renewed past the end
    partner = await m.Partner.get(slug="no-contract")
    far = await m.Agreement.create(
        partner=partner,
        kind=m.AgreementKind.CONTRACT,
        status=m.AgreementStatus.ACTIVE,
        starts_on=date(2026, 1, 1),
        ends_on=date.max,
    )
    payload = await run(client, editor, RENEW, id=str(far.id), endsOn="2099-01-01")
    assert problems(payload) == {"id": "ends on 9999-12-31: nothing to renew"}
    assert not internal_errors


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        (
            {"email": "info@exam\x07ple.org"},
            "input.email",
            "must be an e-mail address like info@example.org",
        ),
        (
            {"name": "Nice\u202egnp.exe"},
            "input.name",
            "contains control characters or bidirectional overrides",
        ),
        (
            {"website": "https://example.org/\u2066x"},
            "input.website",
            "is not a valid web address",
        ),
        (
            {"lastVerifiedOn": "0001-01-01"},
            "input.lastVerifiedOn",
            "must be between 1990-01-01 and 2099-12-31",
        ),
    ],
)
async def test_hostile_text_is_a_field_error(
    client: httpx.AsyncClient,
    district: date,
    tokens: dict[str, str],
    given: dict[str, str],
    field: str,
    message: str,
) -> None:
    payload = await run(
        client, tokens["editor"], UPDATE_PARTNER, slug="city-arts", input=given
    )
    assert problems(payload) == {field: message}


async def test_a_search_longer_than_anyone_types_is_refused(
    client: httpx.AsyncClient, district: date
) -> None:
    answer = await post(
        client,
        "query($s: String) { partners(filter: {search: $s}) { totalCount } }",
        s="tutoring" * 100,
    )
    assert answer["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "argument": "filter.search",
    }


async def test_preflight_and_cross_origin_reads(
    client: httpx.AsyncClient, db: object
) -> None:
    preflight = await client.options(
        "/graphql",
        headers={
            "origin": "https://tools.example.org",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["allow"] == "GET, POST, OPTIONS"
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    read = await ask(client, {"query": "{ __typename }"})
    assert read.headers["access-control-allow-origin"] == "*"


async def test_every_answer_carries_the_security_headers(
    client: httpx.AsyncClient, db: object
) -> None:
    for response in [
        await ask(client, {"query": "{ __typename }"}),
        await client.get("/healthz"),
        await ask(client, {"query": "{"}, accept=GQL),
    ]:
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"] == (
            "default-src 'none'; frame-ancestors 'none'"
        )
    graphiql = await client.get("/graphql", headers={"accept": "text/html"})
    policy = graphiql.headers["content-security-policy"]
    assert "https://unpkg.com" in policy and "frame-ancestors 'none'" in policy
    assert graphiql.headers["referrer-policy"] == "strict-origin-when-cross-origin"


async def test_the_access_log_cannot_be_forged(
    client: httpx.AsyncClient, db: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = io.StringIO()
    monkeypatch.setattr(AccessLines, "stream", written)
    await client.get('/healthz%0A127.0.0.1 "GET /admin" 200 1.0ms')
    await client.get("/healthz" + "x" * 5000)
    AccessLines.flush()
    forged, long = written.getvalue().splitlines()
    assert "\\x0a" in forged and forged.endswith("ms")
    assert '"GET /healthz' in long and len(long) < 1100  # one write, whatever the path


async def test_a_refused_document_is_refused_from_the_cache_the_next_time(
    client: httpx.AsyncClient, district: date, sql_log: StatementLog
) -> None:
    flood = {
        "query": "{ schoolSites { partners(first: 100) { edges { node {"
        " schoolSites { partners(first: 100) { edges { node { name } } } } } } } } }"
    }
    first = await ask(client, flood)
    assert first.status_code == 400 and "QUERY_TOO_COSTLY" in first.text
    sql_log.statements.clear()
    again = await ask(client, flood)
    assert again.content == first.content
    assert sql_log.statements == []  # not even the revision: read once a second
