import uuid
from pathlib import Path

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

import models as m
from demo import load_demo
from models.db import database, migrate, tortoise_config
from tests.conftest import TEST_DATABASE_URL
from tests.district import DAY


async def test_migrations_match_the_models(db: TortoiseContext) -> None:
    config = tortoise_config("sqlite://:memory:")
    assert db.apps is not None
    detector = MigrationAutodetector(db.apps, config["apps"])
    writers = await detector.changes()
    pending = [op for writer in writers for op in writer.operations]
    assert pending == [], "models changed: run `make migrations` and commit them"


async def test_migrations_create_a_database_the_models_can_use(
    tmp_path: Path,
) -> None:
    if TEST_DATABASE_URL.startswith("sqlite"):
        url = f"sqlite://{tmp_path / 'migrated.sqlite3'}"
    else:
        url = TEST_DATABASE_URL.format(uuid.uuid4().hex)
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(url), _create_db=True)
    try:
        await migrate(url)
        await migrate(url)  # a second run has nothing to do
        async with database(url):
            summary = await load_demo(partners=20, seed=2, today=DAY)
            assert await m.Listing(DAY).partners().count() == summary.listed > 0
    finally:
        if not url.startswith("sqlite"):
            async with database(url) as ctx:
                connection = ctx.connections.get("default")
                await connection.close()
                await connection.db_delete()
