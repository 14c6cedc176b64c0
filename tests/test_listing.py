"""The listing rule, day by day, and the one clock that says which day it is."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
import time_machine

import models as m
from api.app import create_app
from models.clock import district_today
from tests.district import LISTED, UNLISTED
from tests.gql import query

ONE_DAY = timedelta(days=1)


async def listed_slugs(day: date) -> list[str]:
    return [p.slug for p in await m.Listing(day).partners().order_by("slug")]


async def test_public_lists_only_approved_partners_with_a_contract_where_needed(
    district: date,
) -> None:
    assert await listed_slugs(district) == sorted(LISTED)


async def test_every_reason_for_not_being_listed_is_covered(district: date) -> None:
    listed = set(await listed_slugs(district))
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
    assert "city-arts" in await listed_slugs(district)


async def test_suspending_a_partner_hides_it(district: date) -> None:
    await m.Partner.filter(slug="city-arts").update(status=m.PartnerStatus.SUSPENDED)
    assert "city-arts" not in await listed_slugs(district)


@pytest.mark.parametrize(
    ("starts", "ends", "listed"),
    [
        (-30, 0, True),  # ends today: still in force all day
        (-30, -1, False),  # ended yesterday
        (0, 30, True),  # starts today
        (1, 30, False),  # starts tomorrow
        (0, 0, True),  # today only
    ],
)
async def test_a_contract_counts_on_its_first_and_last_day_only(
    district: date, starts: int, ends: int, listed: bool
) -> None:
    partner = await m.Partner.get(slug="no-contract")
    await m.Agreement.create(
        partner=partner,
        kind=m.AgreementKind.CONTRACT,
        status=m.AgreementStatus.ACTIVE,
        starts_on=district + starts * ONE_DAY,
        ends_on=district + ends * ONE_DAY,
    )
    assert ("no-contract" in await listed_slugs(district)) is listed


async def test_in_force_and_covers_agree(district: date) -> None:
    for day in (district - 400 * ONE_DAY, district, district + ONE_DAY):
        in_force = {a.id for a in await m.Agreement.in_force(day)}
        covering = {a.id for a in await m.Agreement.all() if a.covers(day)}
        assert in_force == covering


async def test_an_ended_or_lapsed_agreement_has_no_days_left(district: date) -> None:
    bright = await m.Agreement.get(partner__slug="bright-minds")  # today only
    assert bright.days_left(district) == 0
    assert bright.days_left(district - ONE_DAY) == 1
    assert bright.days_left(district + ONE_DAY) is None
    ended = await m.Agreement.get(partner__slug="ended-contract")
    assert ended.days_left(district) is None


# The district is on America/Chicago: UTC-6 in winter, UTC-5 in summer.
@pytest.mark.parametrize(
    ("utc", "district"),
    [
        (datetime(2027, 1, 15, 5, 30, tzinfo=UTC), date(2027, 1, 14)),  # 23:30 CST
        (datetime(2027, 1, 15, 6, 30, tzinfo=UTC), date(2027, 1, 15)),  # 00:30 CST
        (datetime(2027, 7, 15, 4, 30, tzinfo=UTC), date(2027, 7, 14)),  # 23:30 CDT
        (datetime(2027, 7, 15, 5, 30, tzinfo=UTC), date(2027, 7, 15)),  # 00:30 CDT
        (datetime(2028, 3, 1, 5, 30, tzinfo=UTC), date(2028, 2, 29)),  # leap day
    ],
)
def test_the_district_day_turns_at_its_own_midnight(
    utc: datetime, district: date
) -> None:
    with time_machine.travel(utc, tick=False):
        assert district_today() == district


def test_the_district_day_is_read_again_as_the_clock_moves() -> None:
    """The day is worked out once a minute of the clock: still exact at midnight,
    and a clock set back is followed back."""
    seen = []
    for utc in (
        datetime(2026, 3, 9, 4, 59, 59, 999000, tzinfo=UTC),  # 23:59:59.999 CDT
        datetime(2026, 3, 9, 5, 0, 0, tzinfo=UTC),  # midnight
        datetime(2026, 3, 9, 5, 0, 59, tzinfo=UTC),
        datetime(2026, 3, 7, 12, 0, tzinfo=UTC),  # set back
    ):
        with time_machine.travel(utc, tick=False):
            seen.append(district_today())
    assert seen == [
        date(2026, 3, 8),
        date(2026, 3, 9),
        date(2026, 3, 9),
        date(2026, 3, 7),
    ]


@pytest.fixture
async def real_clock_client(
    db: object,
) -> Callable[[], httpx.AsyncClient]:
    """A client of the app as served: it reads the district's date from the clock."""
    app = create_app(site_dir="/dev/null/no-site")

    def make() -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app)
        return httpx.AsyncClient(transport=transport, base_url="http://test")

    return make


async def test_the_served_api_drops_a_contract_at_the_district_midnight(
    real_clock_client: Callable[[], httpx.AsyncClient],
) -> None:
    last_day = date(2027, 1, 14)
    await m.Category.create(
        slug="contracted-partner", name="C", description="", requires_contract=True
    )
    partner = await m.Partner.create(
        slug="night-owl", name="Night Owl", status=m.PartnerStatus.APPROVED
    )
    await partner.categories.add(await m.Category.get(slug="contracted-partner"))
    await m.Agreement.create(
        partner=partner,
        kind=m.AgreementKind.CONTRACT,
        status=m.AgreementStatus.ACTIVE,
        starts_on=last_day - 30 * ONE_DAY,
        ends_on=last_day,
    )
    document = '{ partner(slug: "night-owl") { slug } }'
    async with real_clock_client() as client:
        # 05:30 UTC on the 15th is 23:30 on the 14th in the district: still listed
        with time_machine.travel(datetime(2027, 1, 15, 5, 30, tzinfo=UTC), tick=False):
            assert (await query(client, document))["partner"] == {"slug": "night-owl"}
        # an hour later it is the 15th there, and the answer cache must not say so
        with time_machine.travel(datetime(2027, 1, 15, 6, 30, tzinfo=UTC), tick=False):
            assert (await query(client, document))["partner"] is None
