"""Documents by hash, as the automatic persisted queries protocol has it."""

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.persisted import digest
from directory_site.queries import documents

QUERY = "{ partners(first: 2) { edges { node { slug } } } }"


def by_hash(query: str, **extra: Any) -> dict[str, str]:
    asked = {"persistedQuery": {"version": 1, "sha256Hash": digest(query)}}
    return {"extensions": json.dumps(asked), **extra}


@pytest.fixture
async def trusting(district: date, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        site_dir=str(tmp_path / "no-site"), today=lambda: district, trusted=documents()
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


async def test_an_unknown_hash_asks_for_the_document(
    client: httpx.AsyncClient, district: date
) -> None:
    old = await client.get("/graphql", params=by_hash(QUERY))
    assert old.status_code == 200
    assert old.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }
    new = await client.get(
        "/graphql",
        params=by_hash(QUERY),
        headers={"accept": "application/graphql-response+json"},
    )
    assert new.status_code == 400 and "PersistedQueryNotFound" in new.text


async def test_a_document_sent_once_with_its_hash_can_then_be_asked_by_hash(
    client: httpx.AsyncClient, district: date
) -> None:
    sent = await client.get("/graphql", params={"query": QUERY, **by_hash(QUERY)})
    assert sent.status_code == 200 and "errors" not in sent.json()
    again = await client.get("/graphql", params=by_hash(QUERY))
    assert again.json() == sent.json()
    assert again.headers["cache-control"] == "public, max-age=0, must-revalidate"
    revalidated = await client.get(
        "/graphql",
        params=by_hash(QUERY),
        headers={"if-none-match": again.headers["etag"]},
    )
    assert revalidated.status_code == 304


async def test_the_directorys_own_queries_are_known_from_the_start(
    trusting: httpx.AsyncClient,
) -> None:
    [directory] = [d for d in documents() if "query Directory" in d]
    answer = await trusting.get("/graphql", params=by_hash(directory))
    assert answer.status_code == 200
    assert answer.json()["data"]["listing"]["revision"] == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"query": QUERY, **by_hash("{ __typename }")},
            "provided sha does not match query",
        ),
        (
            {"extensions": json.dumps({"persistedQuery": {"version": 2}})},
            'persistedQuery must be {"version": 1, "sha256Hash": "<hex>"}',
        ),
    ],
)
async def test_malformed_persisted_queries_are_refused(
    client: httpx.AsyncClient, db: object, params: dict[str, str], message: str
) -> None:
    response = await client.get("/graphql", params=params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == message
