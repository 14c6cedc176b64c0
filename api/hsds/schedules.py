"""When a program runs, as HSDS schedules (RFC 5545 recurrence rules): one for each
of its sessions, where it meets; or, for a program without sessions, its timing
words ("After school").

Where a session's schedule goes (docs/developer.md, "Open Referral"):

- at a school site: on the service_at_location of (the program, that school),
  by `service_at_location_id`;
- at the partner's own site: on the service itself, by `service_id`. Our
  service_at_locations are the program's school sites (the public API's
  programSites), none is at the partner's own site, and a confidential address
  must not become a location, so the service's own schedule is the one place
  that holds for every partner;
- never on a location: a location's schedules say when the place is open, which a
  program's session does not.

Clock times are the district's wall clock. HSDS's `timezone` is a fixed UTC offset,
which a term across a daylight-saving change does not have (openreferral/
specification issue 265 says as much), so it is given only when one offset holds
on every day the session meets, and `notes` always names the zone."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from api.hsds.ids import derived
from models.clock import district_zone
from models.session import Weekday, first_meeting

# Timing words, and the days where we know them.
TIMING = {
    "DURING_SCHOOL": ("During the school day", None),
    "AFTER_SCHOOL": ("After school", None),
    "SUMMER": ("During the summer break", None),
    "WEEKENDS": ("On weekends", "SA,SU"),
}
ATTENDING = "In person"  # every session meets at a place
DAY_NAMES = dict(
    zip(
        Weekday,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
NUMBERS = {day: day.number for day in Weekday}  # asked for often: looked up once
WEEK = timedelta(days=7)
Json = dict[str, Any]


def of_service(program: Json) -> list[Json]:
    """The service's own schedules: its sessions at the partner's own site; without
    sessions, its timing words (sessions say exactly what the words say roughly,
    so a program with sessions drops the words, wherever its sessions meet)."""
    owner = program["uuid"]
    if program["sessions"]:
        return of_sessions(program, None, "service_id", owner)
    found = []
    for when in program["timing"]:
        words, days = TIMING[when]
        found.append(
            _present(
                id=derived(owner, f"schedule:{when}"),
                service_id=owner,
                description=words,
                freq="WEEKLY" if days else None,
                byday=days,
            )
        )
    return found


def of_sessions(program: Json, site: str | None, field: str, link: str) -> list[Json]:
    """The schedules of `program`'s sessions at school site `site` (its uuid; None:
    the partner's own site), each linked to `link` by `field`. Two sessions that
    say the same are one schedule."""
    found: dict[str, Json] = {}
    for session in program["sessions"]:
        at = session["schoolSite"]
        if (at["uuid"] if at else None) == site:
            schedule = _schedule(program["uuid"], session, site, field, link)
            found.setdefault(schedule["id"], schedule)
    return list(found.values())


def _schedule(
    program: str, session: Json, site: str | None, field: str, link: str
) -> Json:
    days = [Weekday[name] for name in session["days"]]
    byday = Weekday.joined(days)
    opens = time.fromisoformat(session["startsAt"])
    closes = time.fromisoformat(session["endsAt"])
    first = date.fromisoformat(session["validFrom"])
    last = date.fromisoformat(session["validUntil"])
    meetings = _meetings(days, first, last)
    zone = district_zone()
    notes = f"Times are local time in {zone.key}."
    if site is None:
        notes = f"At the organization's own site. {notes}"
    # Stable while the session says the same, whatever its row: staff writes
    # replace a program's sessions whole, so row ids change on every edit.
    what = f"{site or 'own-site'}:{byday}:{opens}-{closes}:{first}:{last}"
    return _present(
        id=derived(program, f"session:{what}"),
        **{field: link},
        valid_from=first.isoformat(),
        valid_to=last.isoformat(),
        dtstart=meetings[0].isoformat() if meetings else None,
        timezone=_offset(meetings, opens, zone),
        until=meetings[-1].isoformat() if meetings else None,
        freq="WEEKLY",
        byday=byday,
        description=f"{days_text(days)} {hours_text(opens, closes)}",
        opens_at=opens.isoformat(),
        closes_at=closes.isoformat(),
        attending_type=ATTENDING,
        notes=notes,
    )


def _meetings(days: list[Weekday], first: date, last: date) -> list[date]:
    """The first day the session meets in its term, every seventh day after it,
    and the last day it meets; empty when it never meets."""
    start = first_meeting(days, first, last)
    if start is None:
        return []
    numbers = {NUMBERS[day] for day in days}
    end = last - timedelta(min((last.weekday() - n) % 7 for n in numbers))
    found = [start + WEEK * n for n in range((end - start).days // 7 + 1)]
    return found if found[-1] == end else [*found, end]


def _offset(meetings: list[date], opens: time, zone: ZoneInfo) -> int | float | None:
    """The UTC offset in hours when the session opens, when it is the same on every
    day it meets. Sampled once a week: a zone's offset does not change twice in a
    week."""
    offsets = {datetime.combine(d, opens, zone).utcoffset() for d in meetings}
    if len(offsets) != 1:
        return None
    [offset] = offsets
    assert offset is not None
    hours = offset.total_seconds() / 3600
    return int(hours) if hours.is_integer() else hours


def days_text(days: list[Weekday]) -> str:
    """The days as people say them: "Tuesdays and Thursdays", "Monday to Friday",
    "Every day"."""
    if len(days) == len(DAY_NAMES):
        return "Every day"
    numbers = [NUMBERS[day] for day in days]
    if len(days) >= 3 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    names = [DAY_NAMES[day] + "s" for day in days]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def hours_text(opens: time, closes: time) -> str:
    """The times as people say them: "3:30–5:00 pm", "10:00 am–12:00 pm" (the
    half of the day once when both share it)."""
    if (opens.hour < 12) == (closes.hour < 12):
        return f"{_clock(opens)}–{_clock(closes)} {_half(closes)}"
    return f"{_clock(opens)} {_half(opens)}–{_clock(closes)} {_half(closes)}"


def _clock(moment: time) -> str:
    return f"{moment.hour % 12 or 12}:{moment.minute:02d}"


def _half(moment: time) -> str:
    return "am" if moment.hour < 12 else "pm"


def _present(**values: Any) -> Json:
    """The values that are there: HSDS fields are left out rather than empty."""
    return {k: v for k, v in values.items() if v is not None}
