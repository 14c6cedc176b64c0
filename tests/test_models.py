"""The tables: models and migrations agree, and migrations make a usable
database."""

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

import models as m
from demo import load_demo
from models.db import (
    MIGRATIONS,
    applied_migrations,
    database,
    migrate,
    tortoise_config,
)
from tests.district import DAY


async def test_migrations_match_the_models(db: TortoiseContext) -> None:
    config = tortoise_config("sqlite://:memory:")
    assert db.apps is not None
    detector = MigrationAutodetector(db.apps, config["apps"])
    writers = await detector.changes()
    pending = [op for writer in writers for op in writer.operations]
    assert pending == [], "models changed: run `make migrations` and commit them"


async def test_migrations_create_a_database_the_models_can_use(
    migrated_url: str,
) -> None:
    await migrate(migrated_url)  # a second run has nothing to do
    async with database(migrated_url):
        assert await applied_migrations() == MIGRATIONS
        summary = await load_demo(partners=20, seed=2, today=DAY)
        assert await m.Listing(DAY).partners().count() == summary.listed > 0
