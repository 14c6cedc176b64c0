"""GET /healthz tells a load balancer whether this instance can answer: the
database reachable and carrying every migration the code expects."""

import httpx
from tortoise.context import TortoiseContext

from api.app import create_app
from models.db import MIGRATIONS, database


async def health(url: str) -> httpx.Response:
    async with database(url):
        transport = httpx.ASGITransport(app=create_app(site_dir="/nonexistent"))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            return await c.get("/healthz")


async def test_a_migrated_database_is_healthy(migrated_url: str) -> None:
    response = await health(migrated_url)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migration": MIGRATIONS[-1],
    }


async def test_a_database_without_tables_is_not(empty_url: str) -> None:
    # what a mistyped DATABASE_URL gives on SQLite: a new, empty file
    response = await health(empty_url)
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "not migrated: run `partners migrate`",
        "migration": None,
        "expected": MIGRATIONS[-1],
    }


async def test_tables_made_without_migrations_are_not(
    client: httpx.AsyncClient, db: TortoiseContext
) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "not migrated: run `partners migrate`"


async def test_an_unreachable_database_is_not() -> None:
    response = await health("postgres://postgres@127.0.0.1:9/nothing")  # discard
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
