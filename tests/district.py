"""A small district whose every partner is there for a reason the tests check."""

from datetime import date, timedelta
from typing import Any

import models as m

# The day tests see unless they choose another; any day works (see conftest.day).
DAY = date(2031, 3, 12)
ONE_DAY = timedelta(days=1)

# Tutoring in every language, for searches in them (the other services stay English).
SERVICE_TRANSLATIONS = {
    "tutoring": {
        "es": {"name": "Tutoría y ayuda con tareas"},
        "so": {"name": "Casharro gaar ah"},
        "hmn": {"name": "Kev qhia ntxiv"},
    }
}

LISTED = ["bright-minds", "harbor-counseling", "city-arts", "mentor-match"]
UNLISTED = {
    "applied-org": "status applied",
    "suspended-org": "status suspended",
    "inactive-org": "status inactive",
    "expired-contract": "contract ended before today",
    "pending-contract": "contract not signed yet",
    "future-contract": "contract starts after today",
    "no-contract": "no contract at all",
    "ended-contract": "contract ended early",
    "wrong-kind": "a data-sharing agreement is not a contract",
}


async def _partner(
    slug: str,
    categories: list[str],
    status: m.PartnerStatus = m.PartnerStatus.APPROVED,
    **fields: Any,
) -> m.Partner:
    name = fields.pop("name", slug.replace("-", " ").title())
    partner = await m.Partner.create(
        slug=slug,
        name=name,
        summary=f"{name} serves students.",
        status=status,
        street="1 Main St",
        city="Riverton",
        postal_code="55401",
        **fields,
    )
    await partner.categories.add(*await m.Category.filter(slug__in=categories))
    return partner


async def _program(
    partner: m.Partner,
    slug: str,
    services: list[str],
    sites: list[str],
    languages: list[str],
    **fields: Any,
) -> m.Program:
    program = await m.Program.create(
        partner=partner, slug=slug, name=slug.replace("-", " ").title(), **fields
    )
    await program.service_types.add(*await m.ServiceType.filter(slug__in=services))
    await program.sites.add(*await m.SchoolSite.filter(slug__in=sites))
    await program.languages.add(*await m.Language.filter(code__in=languages))
    return program


async def _session(
    program: m.Program,
    days: str,
    hours: str,
    term: tuple[date, date],
    site: str | None = None,
) -> None:
    """A session "TU,TH", "15:30-17:00", (first day, last day), at the school
    `site` or at the partner's own site."""
    start, end = (m.session.parse_clock(clock) for clock in hours.split("-"))
    assert start is not None and end is not None
    await m.Session.create(
        program=program,
        site=await m.SchoolSite.get(slug=site) if site else None,
        days=days,
        start_minute=start,
        end_minute=end,
        valid_from=term[0],
        valid_until=term[1],
    )


def school_year(today: date) -> tuple[date, date]:
    """Sep 8 to May 28 of the school year (July to June) `today` is in: a term
    across both daylight-saving changes."""
    year = today.year if today.month >= 7 else today.year - 1
    return date(year, 9, 8), date(year + 1, 5, 28)


def summer(today: date) -> tuple[date, date]:
    """Jun 16 to Aug 7 after the school year `today` is in."""
    year = school_year(today)[1].year
    return date(year, 6, 16), date(year, 8, 7)


async def _contract(
    partner: m.Partner,
    starts_on: date,
    ends_on: date,
    status: m.AgreementStatus = m.AgreementStatus.ACTIVE,
    kind: m.AgreementKind = m.AgreementKind.CONTRACT,
) -> None:
    await m.Agreement.create(
        partner=partner, kind=kind, status=status, starts_on=starts_on, ends_on=ends_on
    )


async def build_district(today: date) -> None:
    """Four listed partners and one unlisted partner per reason in UNLISTED, on
    `today`: every agreement is dated from it."""
    for position, (slug, requires) in enumerate(
        [
            ("contracted-partner", True),
            ("community-education", False),
            ("extended-learning", False),
            ("mental-health", False),
        ]
    ):
        await m.Category.create(
            slug=slug,
            name=slug.replace("-", " ").title(),
            description=f"About {slug}.",
            requires_contract=requires,
            position=position,
        )
    for slug in ["tutoring", "mentoring", "arts", "mental-health"]:
        await m.ServiceType.create(
            slug=slug,
            name=slug.replace("-", " ").title(),
            translations=SERVICE_TRANSLATIONS.get(slug, {}),
        )
    for code, name, native in [
        ("en", "English", "English"),
        ("es", "Spanish", "Español"),
        ("so", "Somali", "Soomaali"),
    ]:
        await m.Language.create(code=code, name=name, native_name=native)
    for slug, level, low, high in [
        ("cedar-elementary", m.SchoolLevel.ELEMENTARY, 0, 5),
        ("lake-middle", m.SchoolLevel.MIDDLE, 6, 8),
        ("north-high", m.SchoolLevel.HIGH, 9, 12),
    ]:
        await m.SchoolSite.create(
            slug=slug,
            name=slug.replace("-", " ").title(),
            level=level,
            grade_min=low,
            grade_max=high,
            street="2 School Rd",
            city="Riverton",
            postal_code="55402",
        )

    year_ago, in_a_year = today - 365 * ONE_DAY, today + 365 * ONE_DAY
    bright = await _partner(
        "bright-minds",
        ["contracted-partner"],
        name="Bright Minds Tutoring",
        description="Homework help in small groups.",
        # Its summary in every language; its name and description in English only.
        translations={
            "es": {"summary": "Ayuda con tareas en grupos pequeños."},
            "so": {"summary": "Caawimo casharrada guriga ah oo kooxo yaryar ah."},
            "hmn": {"summary": "Pab ua homework ua pab pawg me."},
        },
    )
    await _contract(bright, today, today)  # a contract covering today only counts
    homework = await _program(
        bright,
        "homework-club",
        ["tutoring"],
        ["cedar-elementary"],
        ["en", "es"],
        after_school=True,
        grade_min=1,
        grade_max=5,
    )
    term = school_year(today)
    await _session(homework, "TU,TH", "15:30-17:00", term, "cedar-elementary")
    harbor = await _partner(
        "harbor-counseling",
        ["mental-health"],
        name="Harbor Counseling",
        address_confidential=True,
        description="Counselors who meet students at school.",
    )
    await _program(
        harbor,
        "school-counseling",
        ["mental-health"],
        ["lake-middle", "north-high"],
        ["en", "so"],
        during_school=True,
        grade_min=6,
        grade_max=12,
    )
    arts = await _partner(
        "city-arts", ["community-education"], name="City Arts Collective"
    )
    studio = await _program(
        arts,
        "saturday-studio",
        ["arts"],
        ["north-high"],
        ["en"],
        weekends=True,
        summer=True,
        grade_min=9,
        grade_max=12,
        free=False,
        cost="$20",
    )
    await _session(studio, "SA", "10:00-12:00", term)  # at the partner's own site
    await _session(studio, "MO,TU,WE,TH", "9:00-12:00", summer(today), "north-high")
    mentor = await _partner(
        "mentor-match", ["contracted-partner", "extended-learning"], name="Mentor Match"
    )
    await _contract(mentor, year_ago, in_a_year)
    await _program(
        mentor,
        "mentoring-circle",
        ["mentoring", "tutoring"],
        ["cedar-elementary", "lake-middle"],
        ["es"],
        after_school=True,
        grade_min=3,
        grade_max=8,
    )

    statuses = {
        "applied-org": m.PartnerStatus.APPLIED,
        "suspended-org": m.PartnerStatus.SUSPENDED,
        "inactive-org": m.PartnerStatus.INACTIVE,
    }
    for slug in UNLISTED:
        partner = await _partner(
            slug,
            ["community-education" if slug in statuses else "contracted-partner"],
            status=statuses.get(slug, m.PartnerStatus.APPROVED),
            description="Tutoring for everyone.",
        )
        # every unlisted partner looks like a perfect match for a tutoring search
        program = await _program(
            partner,
            f"{slug}-tutoring",
            ["tutoring", "mentoring", "arts"],
            ["cedar-elementary", "lake-middle", "north-high"],
            ["en", "es", "so"],
            after_school=True,
            during_school=True,
            grade_min=-1,
            grade_max=12,
        )
        if slug in statuses:
            await _contract(partner, year_ago, in_a_year)
        if slug == "suspended-org":  # sessions of hidden partners stay hidden
            await _session(program, "MO,WE", "15:00-16:00", term, "lake-middle")
    by_slug = {p.slug: p for p in await m.Partner.filter(slug__in=list(UNLISTED))}
    await _contract(by_slug["expired-contract"], year_ago, today - ONE_DAY)
    await _contract(
        by_slug["pending-contract"], year_ago, in_a_year, m.AgreementStatus.PENDING
    )
    await _contract(by_slug["future-contract"], today + ONE_DAY, in_a_year)
    await _contract(
        by_slug["ended-contract"], year_ago, in_a_year, m.AgreementStatus.ENDED
    )
    await _contract(
        by_slug["wrong-kind"],
        year_ago,
        in_a_year,
        kind=m.AgreementKind.DATA_SHARING,
    )
    # the listing's change log, as every write, import and demo load keep it
    await m.record_listing(m.Listing(today))
