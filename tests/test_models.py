from datetime import date, timedelta

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

import models as m
from models.db import tortoise_config
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
