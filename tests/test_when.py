"""When programs meet, said in each of the district's languages: days, clock times
and terms as each language's CLDR data writes them (Hmong, which CLDR lacks, from
the catalog and in numbers), the wall clock on both sides of a change of daylight
saving time, and only what has not ended by the day of the build; and on the
partner page, per school."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest

import models as m
from directory_site.build import build
from directory_site.messages import translations
from directory_site.when import When, first_meeting
from tests.test_site import SITE

DAY = date(2026, 10, 1)
THIN, NARROW = "\u2009", "\u202f"  # CLDR's spaces: around a dash; before AM/PM
DASH = f"{THIN}–{THIN}"


def session(**given: Any) -> dict[str, Any]:
    """A session as queries/partners.graphql gives it."""
    return {
        "days": ["TUESDAY", "THURSDAY"],
        "startsAt": "15:30:00",
        "endsAt": "17:00:00",
        "validFrom": "2026-09-08",
        "validUntil": "2027-05-28",
        "schoolSite": None,
        **given,
    }


def when(language: str, day: date = DAY) -> When:
    return When(language, day, translations(language).gettext)


# (language, days, hours, term under way, term to come)
SAID = [
    ("en", "Tue, Thu", f"3:30{DASH}5:00{NARROW}PM", f"Sep 8{DASH}May 28",
     "from Jun 15 to Aug 10"),
    ("es", "mar, jue", "15:30–17:00", f"8 sept{DASH}28 may", "del 15 jun al 10 ago"),
    ("so", "Tldo, Khms", "3:30–5:00 GD", f"08 Seb{DASH}28 May",
     "laga bilaabo Jun 15 ilaa Ogs 10"),
    ("hmn", "Hnub Peb, Hnub Tsib", f"3:30{DASH}5:00{NARROW}PM", f"9/8{DASH}5/28",
     "txij 6/15 mus txog 8/10"),
]  # fmt: skip


@pytest.mark.parametrize(("language", "days", "hours", "term", "to_come"), SAID)
def test_a_session_is_said_as_its_language_writes_it(
    language: str, days: str, hours: str, term: str, to_come: str
) -> None:
    said = when(language)
    assert said.days(["TUESDAY", "THURSDAY"]) == days
    assert said.hours("15:30:00", "17:00:00") == hours
    assert said.line(session()) == f"{days} · {hours} · {term}"
    summer = session(validFrom="2027-06-15", validUntil="2027-08-10")
    assert said.line(summer).endswith(f" · {to_come}")


def test_days_in_a_row_are_a_span_and_the_week_keeps_its_order() -> None:
    said = when("en")
    week = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]
    assert said.days(week) == "Mon–Fri"
    assert said.days(["SATURDAY", "MONDAY", "TUESDAY"]) == "Mon, Tue, Sat"
    assert when("es").days([*week, "SATURDAY"]) == "lun–sáb"
    assert said.hours("10:00:00", "12:00:00") == f"10:00{NARROW}AM{DASH}12:00{NARROW}PM"


@pytest.mark.parametrize("language", ["en", "es", "so", "hmn"])
def test_a_term_across_a_change_of_daylight_saving_time_keeps_the_wall_clock(
    language: str,
) -> None:
    # US clocks go back on Sunday, November 1, 2026: the hours are the district's
    # wall clock, the same before and after (calendars.py gives the zone)
    autumn = session(validFrom="2026-10-20", validUntil="2026-11-19")
    for day in (date(2026, 10, 25), date(2026, 11, 8)):
        said = when(language, day)
        assert said.shown([autumn]) == [autumn]
        assert said.hours("15:30:00", "17:00:00") in said.line(autumn)
    assert "15:30–17:00" in when("es").line(autumn)


def test_only_sessions_not_yet_ended_are_shown() -> None:
    ended = session(validFrom="2026-01-06", validUntil="2026-05-28")
    today = session(validFrom="2026-06-01", validUntil="2026-10-01")
    later = session(validFrom="2027-06-15", validUntil="2027-08-10")
    said = when("en")
    assert said.shown([ended, today, later]) == [today, later]
    assert said.line(today).endswith(f"Jun 1{DASH}Oct 1")
    assert "from" not in said.line(today)  # it has begun
    assert said.line(later).endswith("from Jun 15 to Aug 10")


def test_the_first_meeting_is_the_first_of_its_days_in_the_term() -> None:
    # September 8, 2026 is a Tuesday; the 9th a Wednesday
    assert first_meeting(session()) == date(2026, 9, 8)
    assert first_meeting(session(validFrom="2026-09-09")) == date(2026, 9, 10)
    # a term of a Monday and a Tuesday never meets on a Saturday
    short = session(days=["SATURDAY"], validFrom="2026-09-07", validUntil="2026-09-08")
    assert first_meeting(short) is None


def test_meetings_go_by_school_in_the_programs_order_then_the_partners_site() -> None:
    schools = [{"slug": "lake-middle", "name": "Lake Middle"},
               {"slug": "cedar-elementary", "name": "Cedar Elementary"}]  # fmt: skip
    own = session(days=["SATURDAY"], startsAt="10:00:00", endsAt="12:00:00")
    cedar = session(schoolSite={"slug": "cedar-elementary"})
    lake = session(days=["MONDAY"], schoolSite={"slug": "lake-middle"})
    program = {"schoolSites": schools, "sessions": [own, cedar, lake]}
    found = when("en").meetings(program)
    assert [m["school"] and m["school"]["name"] for m in found] == [
        "Lake Middle",
        "Cedar Elementary",
        None,
    ]
    assert found[0]["line"].startswith("Mon · 3:30")
    assert when("en").at(program, "cedar-elementary") == [when("en").line(cedar)]


async def test_the_partner_page_says_when_and_where_per_school(
    district: date, tmp_path: Path
) -> None:
    program = await m.Program.get(slug="mentoring-circle")
    lake = await m.SchoolSite.get(slug="lake-middle")
    cedar = await m.SchoolSite.get(slug="cedar-elementary")
    for site, days, start, first, last in [
        (lake, "TU,TH", 930, district.replace(month=1, day=6), district.replace(
            month=5, day=28)),
        (cedar, "MO", 900, district.replace(month=6, day=16), district.replace(
            month=8, day=11)),
        (None, "SA", 600, district.replace(year=district.year - 1), district.replace(
            year=district.year - 1, month=12, day=1)),  # ended
    ]:  # fmt: skip
        await m.Session.create(
            program=program, site=site, days=days, start_minute=start,
            end_minute=start + 90, valid_from=first, valid_until=last,
        )  # fmt: skip
    await build(tmp_path / "site", SITE.speaking("en"), district)
    page = (tmp_path / "site/partners/mentor-match/index.html").read_text()
    assert "When and where it meets" in page
    assert (
        f"Lake Middle</a>: Tue, Thu · 3:30{DASH}5:00{NARROW}PM · Jan 6{DASH}May 28"
        in page
    )
    assert "Cedar Elementary</a>: Mon · 3:00" in page
    assert "from Jun 16 to Aug 11" in page
    assert "Sat ·" not in page  # its term is over
    assert 'href="https://example.org/calendar/mentoring-circle.ics"' in page
    assert 'href="webcal://example.org/calendar/mentoring-circle.ics"' in page
    # a program without sessions keeps its timing words, and no calendar
    harbor = (tmp_path / "site/partners/harbor-counseling/index.html").read_text()
    assert "During the school day" in harbor
    assert "When and where it meets" not in harbor and ".ics" not in harbor
