"""GET /healthz tells a load balancer whether this instance can answer: the
database reachable and carrying every migration the code expects."""

import json
from datetime import date
from pathlib import Path

import httpx
from tortoise.context import TortoiseContext

import models as m
from api.app import create_app
from directory_site.build import build
from directory_site.pages import Site
from directory_site.store import Store
from models.audit import save
from models.db import MIGRATIONS, database
from tests.district import build_district


async def health(url: str) -> httpx.Response:
    async with database(url):
        app = create_app(site_dir="/dev/null/no-site")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            return await c.get("/healthz")


async def test_a_migrated_database_is_healthy(migrated_url: str) -> None:
    response = await health(migrated_url)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migration": MIGRATIONS[-1],
        "site": {"build": None, "current": False, "error": None},
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


async def test_health_says_which_build_is_served_and_whether_it_is_current(
    migrated_url: str, day: date, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    async with database(migrated_url):
        await build_district(day)
        await build(root, Site(district="D", base="/", url="http://t/"), day)
        app = create_app(site_dir=str(root), today=lambda: day)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            site = (await c.get("/healthz")).json()["site"]
            built = json.loads((root / "build.json").read_text())
            assert site["build"] == built["build"] and site["current"] is True
            assert site["error"] is None
            await save(
                "t",
                "partner.update",
                await m.Partner.get(slug="city-arts"),
                {"summary": "New."},
            )
            Store(root).fail("RuntimeError: out of disk")
            site = (await c.get("/healthz")).json()["site"]
            assert site["current"] is False
            assert site["error"] == "RuntimeError: out of disk"
