"""Each program's calendar file as a calendar reads it: icalendar parses it, its
weekly rule expands (recurring_ical_events) to the district's wall clock on both
sides of a change of daylight saving time, it names where the session meets
(never a confidential address), its events keep their UIDs across builds, and the
server sends it as a calendar."""

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import icalendar
import recurring_ical_events

import models as m
from api.app import create_app
from directory_site.build import build
from directory_site.pages import Site

SITE = Site(district="Riverton Public Schools", base="/", url="https://example.org/")
CHICAGO = ZoneInfo("America/Chicago")  # the settings' default district zone


def calendar(root: Path, program: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((root / f"calendar/{program}.ics").read_bytes())


def events(parsed: icalendar.Calendar) -> list[Any]:
    """Its VEVENTs (a property's type is known only when it is read)."""
    return list(parsed.walk("VEVENT"))


async def add(
    program: str,
    days: str,
    start: int,
    first: date,
    last: date,
    site: str | None = None,
) -> None:
    await m.Session.create(
        program=await m.Program.get(slug=program),
        site=await m.SchoolSite.get(slug=site) if site else None,
        days=days,
        start_minute=start,
        end_minute=start + 90,
        valid_from=first,
        valid_until=last,
    )


def november(day: date) -> date:
    """The first Sunday of November of `day`'s year: US clocks go back an hour."""
    first = date(day.year, 11, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7)


async def test_occurrences_keep_the_wall_clock_across_daylight_saving_time(
    district: date, tmp_path: Path
) -> None:
    # a Tuesday and Thursday session whose term begins the Monday before the last
    # Tuesday ahead of the change: its first three meetings straddle it
    change = november(district)
    tuesday = change - timedelta(days=5)
    await add(
        "mentoring-circle", "TU,TH", 15 * 60 + 30, tuesday - timedelta(days=1),
        change + timedelta(days=200), "lake-middle",
    )  # fmt: skip
    await build(tmp_path / "site", SITE, district)
    parsed = calendar(tmp_path / "site", "mentoring-circle")
    [event] = events(parsed)
    assert event["DTSTART"].dt == datetime.combine(
        tuesday, datetime.min.time().replace(hour=15, minute=30), CHICAGO
    )  # the term's first Tuesday, not its first day
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["TU", "TH"]
    [until] = rule["UNTIL"]
    assert until.utcoffset() == timedelta(0)  # UTC, as RFC 5545 asks with a TZID
    assert until.astimezone(CHICAGO).date() == change + timedelta(days=200)
    [zone] = list[Any](parsed.walk("VTIMEZONE"))
    assert zone["TZID"] == "America/Chicago"

    found = sorted(
        recurring_ical_events.of(parsed).between(tuesday, tuesday + timedelta(days=30)),
        key=lambda e: e["DTSTART"].dt,
    )[:3]
    starts = [e["DTSTART"].dt for e in found]
    assert [s.date() for s in starts] == [
        tuesday,
        tuesday + timedelta(days=2),
        tuesday + timedelta(days=7),
    ]
    assert [(s.hour, s.minute) for s in starts] == [(15, 30)] * 3
    assert [e["DTEND"].dt.astimezone(CHICAGO).hour for e in found] == [17] * 3
    offsets = [s.utcoffset() for s in starts]
    assert offsets == [timedelta(hours=-5)] * 2 + [timedelta(hours=-6)]
    assert [s.astimezone(ZoneInfo("UTC")).hour for s in starts] == [20, 20, 21]


async def test_each_event_names_where_it_meets(district: date, tmp_path: Path) -> None:
    year = (district, district + timedelta(days=90))
    await add("mentoring-circle", "MO", 900, *year, "cedar-elementary")
    await add("mentoring-circle", "SA", 600, *year)  # the partner's own site
    await add("school-counseling", "WE", 600, *year)  # a confidential address
    await m.Partner.filter(slug="harbor-counseling").update(street="77 Hidden Lane")
    await build(tmp_path / "site", SITE, district)
    root = tmp_path / "site"
    found = events(calendar(root, "mentoring-circle"))
    assert sorted(str(e["LOCATION"]) for e in found) == [
        "Cedar Elementary, 2 School Rd, Riverton 55402",
        "Mentor Match, 1 Main St, Riverton 55401",
    ]
    for event in found:
        assert str(event["SUMMARY"]) == "Mentoring Circle"
        assert str(event["URL"]) == "https://example.org/partners/mentor-match/"
    [hidden] = events(calendar(root, "school-counseling"))
    assert str(hidden["LOCATION"]) == "Harbor Counseling"
    assert b"Hidden Lane" not in (root / "calendar/school-counseling.ics").read_bytes()
    # every line ends in CRLF and holds 75 octets at most
    for path in (root / "calendar").iterdir():
        for line in path.read_bytes().split(b"\r\n"):
            assert len(line) <= 75 and b"\n" not in line


async def test_a_session_keeps_its_uid_while_others_come_and_go(
    district: date, tmp_path: Path
) -> None:
    later = (district + timedelta(days=30), district + timedelta(days=120))
    await add("mentoring-circle", "TU", 930, *later, "lake-middle")
    await build(tmp_path / "one", SITE, district)
    [kept] = events(calendar(tmp_path / "one", "mentoring-circle"))
    # one that comes before it in the term's order, and a text that changes
    await add("mentoring-circle", "MO", 900, district, later[1], "cedar-elementary")
    await m.Program.filter(slug="mentoring-circle").update(name="Mentors & Friends")
    await build(tmp_path / "two", SITE, district)
    both = events(calendar(tmp_path / "two", "mentoring-circle"))
    assert len(both) == 2 and len({str(e["UID"]) for e in both}) == 2
    same = [e for e in both if e["UID"] == kept["UID"]]
    assert [str(e["SUMMARY"]) for e in same] == ["Mentors & Friends"]
    # a changed time is another session, with another UID
    await m.Session.filter(start_minute=930).update(start_minute=960)
    await build(tmp_path / "three", SITE, district)
    uids = {e["UID"] for e in events(calendar(tmp_path / "three", "mentoring-circle"))}
    assert kept["UID"] not in uids


async def test_the_server_sends_a_calendar_as_a_calendar(
    district: date, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    await build(root, SITE, district)
    app = create_app(site_dir=str(root), today=lambda: district)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        answer = await client.get("/calendar/homework-club.ics")
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
        assert answer.headers["cache-control"] == "no-cache"  # a phone asks again
        assert answer.content.startswith(b"BEGIN:VCALENDAR\r\n")
        again = await client.get(
            "/calendar/homework-club.ics",
            headers={"if-none-match": answer.headers["etag"]},
        )
        assert again.status_code == 304
