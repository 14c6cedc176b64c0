"""GET /healthz tells a load balancer whether this instance can answer: the
database reachable and carrying every migration the code expects. It is public:
it says ok or failing and which part fails; why is in the server's log."""

import json
import logging
from datetime import date
from pathlib import Path

import httpx
import pytest
from tortoise import connections
from tortoise.context import TortoiseContext
from tortoise.exceptions import OperationalError

import models as m
from api.app import create_app
from api.health import explain
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
        "failing": [],
        "database": "ok",
        "migrations": "ok",
        "migration": MIGRATIONS[-1],
        "site": {"status": "ok", "build": None, "current": False},
    }


async def test_a_database_without_tables_is_not(
    empty_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # what a mistyped DATABASE_URL gives on SQLite: a new, empty file
    caplog.set_level(logging.INFO, logger="partners.api")
    response = await health(empty_url)
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "failing": ["migrations"],
        "database": "ok",
        "migrations": "failing",
        "migration": None,
        "expected": MIGRATIONS[-1],
    }
    [line] = [r.getMessage() for r in caplog.records if r.name == "partners.api"]
    assert line.startswith("/healthz: database not migrated: run `partners migrate`")


async def test_tables_made_without_migrations_are_not(
    client: httpx.AsyncClient, db: TortoiseContext
) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]


async def test_an_unreachable_database_is_not_and_says_only_that(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="partners.api")
    response = await health("postgres://postgres@127.0.0.1:9/nothing")  # discard
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "failing": ["database"],
        "database": "failing",
    }
    [record] = [r for r in caplog.records if r.name == "partners.api"]
    assert record.getMessage().startswith("/healthz: the database cannot be used: ")
    assert record.exc_info is None  # one line: why, without a traceback


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
            assert site["status"] == "ok"
            await save(
                "t",
                "partner.update",
                await m.Partner.get(slug="city-arts"),
                {"summary": "New."},
            )
            stale = await c.get("/healthz")
            assert stale.status_code == 200 and stale.json()["status"] == "ok"
            assert stale.json()["site"]["current"] is False  # not a failure
            # what a worker's failed build leaves: its traceback, with our paths
            Store(root).fail(WORKER_TRACEBACK)
            failed = await c.get("/healthz")
            assert failed.status_code == 200  # the last good build is served
            assert failed.json()["status"] == "failing"
            assert failed.json()["failing"] == ["site"]
            assert failed.json()["site"]["status"] == "failing"
            for secret in ["Traceback", str(ROOT), "Errno", "OSError", "/srv"]:
                assert secret not in failed.text


ROOT = Path(__file__).parent.parent
WORKER_TRACEBACK = f"""Traceback (most recent call last):
  File "{ROOT}/directory_site/workers.py", line 80, in render
OSError: [Errno 28] No space left on device: '/srv/partners/var/site.builds/x'"""


async def test_a_full_disk_is_named_as_such(tmp_path: Path) -> None:
    """Real failures: SQLite out of pages (SQLITE_FULL, through Tortoise) and a
    write to /dev/full (ENOSPC)."""
    async with database(f"sqlite://{tmp_path / 'small.sqlite3'}"):
        connection = connections.get("default")
        await connection.execute_script("PRAGMA max_page_count = 1")
        with pytest.raises(OperationalError) as full_database:
            await connection.execute_script(
                "CREATE TABLE big (x TEXT); INSERT INTO big VALUES (randomblob(9999))"
            )
    with pytest.raises(OSError) as full_disk:
        with open("/dev/full", "w") as device:
            device.write("x")
    assert explain(full_database.value).startswith("disk full (No space left on ")
    assert explain(full_disk.value) == (
        "disk full (No space left on device): OSError: [Errno 28] No space left on "
        "device"
    )
    assert explain(ValueError("a\nb")) == "ValueError: a b"  # one line
