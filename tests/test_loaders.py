"""Per-request loaders: the right rows under each key, listed partners only where
the public looks, and one batch of statements however many keys."""

import asyncio
from datetime import date, timedelta

import models as m
from api.loaders import Loaders
from api.vocabulary import read_vocabulary
from tests.conftest import StatementLog
from tests.district import LISTED


async def ids(
    model: type[m.Partner] | type[m.SchoolSite], slugs: list[str]
) -> list[int]:
    rows = {r.slug: r.id for r in await model.filter(slug__in=slugs)}
    return [rows[s] for s in slugs]


async def test_related_rows_come_grouped_by_key_in_their_own_order(
    district: date,
) -> None:
    loaders = Loaders(m.Listing(district))
    keys = await ids(m.Partner, ["mentor-match", "city-arts", "bright-minds"])
    vocabulary = (await read_vocabulary())["en"]
    categories = await loaders.categories.load_many(keys)
    assert [[c.slug for c in vocabulary.categories.of(ids)] for ids in categories] == [
        ["contracted-partner", "extended-learning"],  # by position
        ["community-education"],
        ["contracted-partner"],
    ]
    services = await loaders.partner_service_types.load_many(keys)
    assert [[s.slug for s in vocabulary.service_types.of(ids)] for ids in services] == [
        ["mentoring", "tutoring"],  # by name, each once
        ["arts"],
        ["tutoring"],
    ]


async def test_public_loaders_see_only_the_listing_of_their_day(
    district: date,
) -> None:
    today = Loaders(m.Listing(district))
    tomorrow = Loaders(m.Listing(district + timedelta(days=1)))
    [cedar] = await ids(m.SchoolSite, ["cedar-elementary"])

    # every unlisted partner runs a program at Cedar too (tests/district.py)
    async def at_cedar(loaders: Loaders) -> list[str]:
        ids = await loaders.site_partner_ids.load(cedar)
        return [p.slug for p in await loaders.partners.load_many(ids) if p]

    assert await at_cedar(today) == ["bright-minds", "mentor-match"]
    # bright-minds' contract covers today only; future-contract's starts tomorrow
    assert await at_cedar(tomorrow) == ["future-contract", "mentor-match"]
    [bright, applied] = await ids(m.Partner, ["bright-minds", "applied-org"])
    assert await today.listed_partner.load(bright) is not None
    assert await today.listed_partner.load(applied) is None
    assert await tomorrow.listed_partner.load(bright) is None
    tutoring = await m.ServiceType.get(slug="tutoring")
    assert await today.service_type_counts.load(tutoring.id) == 2
    arts = await m.ServiceType.get(slug="arts")
    assert await today.service_type_counts.load(arts.id) == 1
    assert await tomorrow.service_type_counts.load(arts.id) == 2


async def test_a_batch_costs_the_same_statements_for_one_key_or_all(
    district: date, sql_log: StatementLog
) -> None:
    keys = await ids(m.Partner, LISTED)

    async def statements(batch: list[int]) -> int:
        loaders = Loaders(m.Listing(district))
        sql_log.statements.clear()
        await asyncio.gather(
            loaders.categories.load_many(batch),
            loaders.programs.load_many(batch),
            loaders.partner_sites.load_many(batch),
        )
        return len(sql_log.statements)

    assert await statements(keys[:1]) == await statements(keys) == 3
