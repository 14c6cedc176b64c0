"""A calendar file (RFC 5545) for each program that says when it meets, at
`calendar/<program slug>.ics`: one VEVENT per session, repeating weekly on its
days (RRULE) from the first of them in its term until the term's last day, at the
district's wall clock (DTSTART and DTEND with its TZID, and its VTIMEZONE), at the
school's or the partner's address. A phone subscribes to the file's address and
is kept current by each build.

One file per program serves every language: a calendar is times and places, the
program's name is the office's own (English) text, and one address per program is
what a family shares and subscribes to; four files per program would triple the
build's files for the few words that differ. Its link to the partner's page is the
site's first language's page, which offers the reader's own language.

Each event's UID is a UUID made from the program's stable id and what the session
is (its days, hours, term and place; RFC 7986 asks for a UUID): a session keeps its
UID while others are added or removed before it, and a session whose time or place
changes is a new event, so a subscribed calendar drops the old one. The lines are
written here, each value escaped and folded as RFC 5545 says: icalendar's objects
cost a millisecond a file (and its folding a tenth of one), too much for ten
thousand programs. icalendar makes the time zone, and the tests read the files back
with its parser."""

import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Timezone

from directory_site.templating import Site
from directory_site.when import first_meeting

Record = dict[str, Any]
PRODID = "-//Community Partner Directory//Sessions//EN"
HEAD = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{PRODID}\r\nCALSCALE:GREGORIAN\r\n"
FOLDER = "calendar"
LAST_SECOND = time(23, 59, 59)  # a term's last day ends here, the district's clock
# How often a subscribed calendar should look again (RFC 7986, and Apple's word).
REFRESH = "REFRESH-INTERVAL;VALUE=DURATION:P1D\r\nX-PUBLISHED-TTL:P1D\r\n"
FOLD = 75  # octets a line may hold before it is folded


def path(program: Record) -> str:
    """Where a program's calendar is, under the site's root."""
    return f"{FOLDER}/{program['slug']}.ics"


def address(site: Site, program: Record) -> str:
    """The absolute address of the program's calendar; "" when it has none."""
    if not any(first_meeting(session) for session in program["sessions"]):
        return ""
    return site.url + path(program)


def _text(value: str) -> str:
    """A TEXT value, escaped (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _folded(line: str) -> str:
    """The line and its CRLF, folded into lines of 75 octets at most (RFC 5545
    3.1), never inside a character, nor after the backslash of an escape (some
    readers would lose it)."""
    data = line.encode()
    if len(data) <= FOLD:
        return line + "\r\n"
    parts, start, room = [], 0, FOLD
    while start < len(data):
        end = min(start + room, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # within a character
            end -= 1
        slashes = len(data[start:end]) - len(data[start:end].rstrip(b"\\"))
        if end < len(data) and slashes % 2:
            end -= 1
        parts.append(data[start:end].decode())
        start, room = end, FOLD - 1  # a folded line starts with a space
    return "\r\n ".join(parts) + "\r\n"


def _stamp(day: str) -> str:
    return day.replace("-", "") + "T000000Z"


def _address(place: Record | None) -> str:
    if not place:
        return ""
    return f"{place['street']}, {place['city']} {place['postalCode']}"


class Calendars:
    """The calendar files of a build: `site` says where its pages are, `directory`
    (the API's answer to queries/directory.graphql) the schools and the day the
    data last changed, which stamps every event (DTSTAMP)."""

    def __init__(self, site: Site, directory: Record) -> None:
        self.zone_name = site.timezone
        self.zone = ZoneInfo(site.timezone)
        self.schools = {s["slug"]: s for s in directory["schoolSites"]}
        listing = directory["listing"]
        self.stamp = _stamp(listing["updatedOn"] or listing["day"])
        self.pages = f"{site.url}{site.prefix(site.languages[0])}partners/"
        self.timezones: dict[tuple[int, int], str] = {}

    def files(self, partners: Iterable[Record]) -> Iterator[tuple[str, bytes]]:
        """A calendar for each program of these partners that meets at all."""
        for partner in partners:
            for program in partner["programs"]:
                data = self.calendar(partner, program)
                if data is not None:
                    yield path(program), data

    def calendar(self, partner: Record, program: Record) -> bytes | None:
        """The program's calendar; None if none of its sessions ever meets."""
        meets = [(s, d) for s in program["sessions"] if (d := first_meeting(s))]
        if not meets:
            return None
        name = _text(f"{program['name']} · {partner['name']}")
        years = (
            min(first.year for _, first in meets),
            max(int(s["validUntil"][:4]) for s, _ in meets),
        )
        uids: set[str] = set()
        events = []
        for session, first in meets:
            uid = self._uid(program, session)
            while uid in uids:  # the same session twice: still one event each
                uid = str(uuid.uuid5(uuid.UUID(uid), "again"))
            uids.add(uid)
            events.append(self._event(partner, program, session, first, uid))
        return "".join(
            [HEAD, _folded(f"NAME:{name}"), _folded(f"X-WR-CALNAME:{name}"), REFRESH,
             self._timezone(years), *events, "END:VCALENDAR\r\n"]
        ).encode()  # fmt: skip

    def _uid(self, program: Record, session: Record) -> str:
        school = session["schoolSite"]["slug"] if session["schoolSite"] else ""
        what = " ".join(
            [
                ",".join(session["days"]),
                session["startsAt"],
                session["endsAt"],
                session["validFrom"],
                session["validUntil"],
                school,
            ]
        )
        return str(uuid.uuid5(uuid.UUID(program["uuid"]), what))

    def _event(
        self,
        partner: Record,
        program: Record,
        session: Record,
        first: date,
        uid: str,
    ) -> str:
        """A VEVENT, its lines ended and the long ones folded."""
        last = date.fromisoformat(session["validUntil"])
        until = datetime.combine(last, LAST_SECOND, self.zone).astimezone(UTC)
        days = ",".join(name[:2] for name in session["days"])  # "TU", RFC 5545's
        page = f"{self.pages}{partner['slug']}/"
        zone, day = self.zone_name, f"{first.year:04d}{first.month:02d}{first.day:02d}"
        start, end = session["startsAt"], session["endsAt"]
        return (
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:{self.stamp}\r\n"
            f"DTSTART;TZID={zone}:{day}T{start[0:2]}{start[3:5]}00\r\n"
            f"DTEND;TZID={zone}:{day}T{end[0:2]}{end[3:5]}00\r\n"
            f"RRULE:FREQ=WEEKLY;UNTIL={until.year:04d}{until.month:02d}"
            f"{until.day:02d}T{until.hour:02d}{until.minute:02d}{until.second:02d}Z"
            f";BYDAY={days}\r\n"
            + _folded(f"SUMMARY;LANGUAGE=en:{_text(program['name'])}")
            + _folded(f"LOCATION:{_text(self._location(partner, session))}")
            + _folded(f"DESCRIPTION:{_text(partner['name'] + chr(10) + page)}")
            + _folded(f"URL:{page}")
            + "END:VEVENT\r\n"
        )

    def _location(self, partner: Record, session: Record) -> str:
        """The school's name and address; or the partner's, or only its name when
        its address is withheld."""
        if session["schoolSite"]:
            school = self.schools[session["schoolSite"]["slug"]]
            place, address = school["name"], _address(school["address"])
        else:
            place, address = partner["name"], _address(partner["address"])
        return f"{place}, {address}" if address else place

    def _timezone(self, years: tuple[int, int]) -> str:
        """The district's VTIMEZONE for these years (icalendar works it out from
        the zone's rules; a handful of spans recur across a build)."""
        found = self.timezones.get(years)
        if found is None:
            zone = Timezone.from_tzid(
                self.zone_name,
                first_date=date(years[0], 1, 1),
                last_date=date(years[1] + 1, 1, 1),
            )
            found = self.timezones[years] = zone.to_ical().decode()
        return found
