"""Fixtures: a real database per test (SQLite in memory, or PostgreSQL when
TEST_DATABASE_URL names one), the app over HTTP, and a small known district.

Every test names its day (the `day` fixture): the district is built around it
and the app answers for it, whatever date the machine's clock shows."""

import asyncio
import contextlib
import logging
import os

# The suite sends hundreds of requests a second from one address, which the
# per-address limit would refuse; tests/test_rates.py tests the limit itself.
os.environ.setdefault("PARTNERS_ADDRESS_BURST", "1000000")
os.environ.setdefault("PARTNERS_ADDRESS_PER_SECOND", "1000000")
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from tortoise.context import TortoiseContext, tortoise_test_context

from api.app import create_app
from models.db import MODEL_MODULES, database, migrate, tortoise_config
from models.staff import Role, StaffToken, hash_token, new_token
from tests.district import DAY, build_district

# e.g. postgres://postgres@127.0.0.1:5432/partners_test_{}, {} a fresh name per test
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "sqlite://:memory:")


@contextlib.asynccontextmanager
async def fresh_database() -> AsyncIterator[TortoiseContext]:
    """A new database of the suite's kind (TEST_DATABASE_URL) with the models'
    tables, dropped afterwards: each test's, and the districts the browser tests
    build their sites from. One kind in a run: Tortoise keeps each table's INSERT
    statement by connection name, not by dialect, so an SQLite database opened in
    a PostgreSQL run would leave statements PostgreSQL cannot read ("?")."""
    if TEST_DATABASE_URL.startswith("sqlite"):
        async with tortoise_test_context(MODEL_MODULES, db_url=TEST_DATABASE_URL) as c:
            yield c
        return
    url = await _copied()
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        try:
            yield ctx
        finally:
            connection = ctx.connections.get("default")
            await connection.close()
            await connection.db_delete()


# PostgreSQL: the database of this test process that every test's is copied from
# (CREATE DATABASE … TEMPLATE), a fraction of the time of making the tables again.
_template: list[str] = []


async def _copied() -> str:
    """The URL of a new PostgreSQL database with the models' tables."""
    if not _template:
        url = TEST_DATABASE_URL.format(f"template_{uuid.uuid4().hex}")
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(url), _create_db=True)
            await ctx.generate_schemas(safe=False)
        _template.append(_name(url))
    url = TEST_DATABASE_URL.format(uuid.uuid4().hex)
    admin = await asyncpg.connect(_admin_dsn())
    try:
        await admin.execute(f'CREATE DATABASE "{_name(url)}" TEMPLATE "{_template[0]}"')
    finally:
        await admin.close()
    return url


def _name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _admin_dsn() -> str:
    """The suite's PostgreSQL server, its own `postgres` database."""
    parts = urlsplit(TEST_DATABASE_URL.format("x"))
    return urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Drop this process's template database, if it made one."""
    if _template:
        asyncio.run(_drop(_template.pop()))


async def _drop(name: str) -> None:
    admin = await asyncpg.connect(_admin_dsn())
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        await admin.close()


@pytest.fixture
async def db() -> AsyncIterator[TortoiseContext]:
    async with fresh_database() as ctx:
        yield ctx


@pytest.fixture
async def empty_url(tmp_path: Path) -> AsyncIterator[str]:
    """The URL of a new, empty database (SQLite file, or PostgreSQL database that
    is dropped afterwards)."""
    if TEST_DATABASE_URL.startswith("sqlite"):
        yield f"sqlite://{tmp_path / 'partners.sqlite3'}"
        return
    url = TEST_DATABASE_URL.format(uuid.uuid4().hex)
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url), _create_db=True)
    try:
        yield url
    finally:
        async with database(url) as ctx:
            connection = ctx.connections.get("default")
            await connection.close()
            await connection.db_delete()


@pytest.fixture
async def migrated_url(empty_url: str) -> str:
    """The URL of a database made by `partners migrate`, as in production."""
    await migrate(empty_url)
    return empty_url


@pytest.fixture
def day() -> date:
    """The district's date in this test. Deliberately not the machine's date, so a
    read of the real clock anywhere below an entry point shows up as a failure."""
    return DAY


@pytest.fixture
async def client(
    db: TortoiseContext, day: date, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(site_dir=str(tmp_path / "no-site"), today=lambda: day)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


@pytest.fixture
async def district(db: TortoiseContext, day: date) -> date:
    """The small district of tests/district.py, built around the test's day."""
    await build_district(day)
    return day


class StatementLog(logging.Handler):
    """Counts the SQL statements Tortoise sends."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.args and isinstance(record.args, tuple):
            sql = str(record.args[0]).lstrip().upper()
            if sql.startswith(("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")):
                self.statements.append(str(record.args[0]))


@pytest.fixture
def sql_log() -> Iterator[StatementLog]:
    logger = logging.getLogger("tortoise.db_client")
    handler = StatementLog()
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.fixture
async def tokens(db: TortoiseContext) -> dict[str, str]:
    """A live viewer and editor token, and a revoked editor token, by role."""
    made = {}
    for name, role in [
        ("viewer", Role.VIEWER),
        ("editor", Role.EDITOR),
        ("revoked", Role.EDITOR),
    ]:
        secret = new_token()
        await StaffToken.create(
            name=f"{name}-token", role=role, token_hash=hash_token(secret)
        )
        made[name] = secret
    await StaffToken.filter(name="revoked-token").update(revoked_at=datetime.now(UTC))
    return made


@pytest.fixture
def editor(tokens: dict[str, str]) -> str:
    """A live editor token."""
    return tokens["editor"]
