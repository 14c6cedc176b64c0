import uuid
from datetime import date, timedelta
from pathlib import Path

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

import models as m
from models.db import database, migrate, tortoise_config
from models.demo import load_demo
from tests.conftest import TEST_DATABASE_URL
from tests.district import LISTED, UNLISTED


async def listed_slugs(today: date | None = None) -> list[str]:
    return [p.slug for p in await m.Partner.public(today).order_by("slug")]


async def test_public_lists_only_approved_partners_with_a_contract_where_needed(
    district: date,
) -> None:
    assert await listed_slugs() == sorted(LISTED)


async def test_every_reason_for_not_being_listed_is_covered(district: date) -> None:
    listed = set(await listed_slugs())
    for slug, reason in UNLISTED.items():
        assert slug not in listed, reason
    assert len(UNLISTED) == await m.Partner.exclude(slug__in=LISTED).count()


async def test_a_contract_lapses_by_itself_when_its_last_day_passes(
    district: date,
) -> None:
    # bright-minds' contract covers exactly one day
    assert "bright-minds" in await listed_slugs(district)
    assert "bright-minds" not in await listed_slugs(district + timedelta(days=1))
    assert "bright-minds" not in await listed_slugs(district - timedelta(days=1))


async def test_a_partner_without_a_contract_category_needs_no_contract(
    district: date,
) -> None:
    assert await m.Agreement.filter(partner__slug="city-arts").count() == 0
    assert "city-arts" in await listed_slugs()


async def test_suspending_a_partner_hides_it(district: date) -> None:
    await m.Partner.filter(slug="city-arts").update(status=m.PartnerStatus.SUSPENDED)
    assert "city-arts" not in await listed_slugs()


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
            summary = await load_demo(partners=20, seed=2)
            assert await m.Partner.public().count() == summary.listed > 0
    finally:
        if not url.startswith("sqlite"):
            async with database(url) as ctx:
                connection = ctx.connections.get("default")
                await connection.close()
                await connection.db_delete()
