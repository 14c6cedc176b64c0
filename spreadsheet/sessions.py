"""Sessions in the office's spreadsheet: a row a session, its program's and
partner's columns repeated (they must agree); a program without sessions has one
row with the six session columns empty. The import replaces each program's
sessions with the file's, from whichever rows hold them; a file without the
session columns leaves every program's sessions as they are."""

import hashlib
import re
from collections.abc import Callable
from datetime import date, time
from typing import Any

import models as m
from models.session import clock_text, minute_of, parse_clock, parse_days
from models.validation import Checker, check_session
from spreadsheet.columns import (
    LIST_SEPARATOR,
    NO,
    PROGRAM_COLUMNS,
    SESSION_COLUMNS,
    YES,
)
from spreadsheet.keys import SessionKeys
from spreadsheet.limits import listed

SESSION_NAMES = tuple(c.name for c in SESSION_COLUMNS)
# `where` for the partner's own site (an empty cell says the same).
PARTNER_SITE = "partner"
DAY_NAMES = dict(
    zip(m.Weekday, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True)
)
LIST_COLUMNS = {"services", "schools", "languages", "timing"}
CHUNK = 500
CLOCK_HINT = "must be a time like 3:30 PM"
# A time a US office may mean either way: an hour alone, or 1:00 to 11:59 without
# AM or PM ("3:30" is after school; 03:30 and 15:30 are read as 24-hour times).
EITHER_HALF = re.compile(r"(?:[1-9]|1[0-2])|(?:[1-9]|1[01])[:.]\d\d")


def in_header(header: list[str]) -> bool:
    return any(name.strip() in SESSION_NAMES for name in header)


def header_problems(header: list[str]) -> list[str]:
    """Session columns come all six together, with program and schools (a
    session's `where` is one of its row's schools)."""
    if not in_header(header):
        return []
    needed = (*SESSION_NAMES, "program", "schools")
    missing = [name for name in needed if name not in header]
    if not missing:
        return []
    return [
        f"missing {listed(missing)}: sessions take the columns "
        f"{', '.join(SESSION_NAMES)} together, with program and schools (or none "
        "of the six, to leave sessions as they are)"
    ]


def filled(cells: dict[str, str]) -> str | None:
    """The row's first session column with a value, if any."""
    return next((name for name in SESSION_NAMES if cells.get(name)), None)


def read_session(
    number: int,
    program: str,
    cells: dict[str, str],
    schools: list[str],
    checker: Checker,
) -> SessionKeys | None:
    """The row's session, checked (`schools`: the row's); None when it has none
    (its six cells empty) or a problem."""
    if filled(cells) is None:
        return None
    before = len(checker.problems)

    def label(name: str) -> str:
        return f"row {number}, column {name}"

    typed = {name: cells.get(name, "") for name in SESSION_NAMES}
    v = _values(typed, label, checker)
    found = Checker()
    check_session(found, v, label, set(schools))
    for problem in found.problems:
        name = problem.field.rsplit(" ", 1)[-1]
        if typed.get(name) and problem.message.startswith("is required"):
            continue  # typed, and already said to be wrong
        message = problem.message.replace(label("from"), "the from date")
        checker.add(problem.field, message, problem.value)
    if len(checker.problems) > before:
        return None
    return SessionKeys(
        number,
        program,
        m.Weekday.joined(v["days"]),
        v["start_minute"],
        v["end_minute"],
        v["valid_from"],
        v["valid_until"],
        v["site"],
    )


def _values(
    typed: dict[str, str], label: Callable[[str], str], checker: Checker
) -> dict[str, Any]:
    """The session's values as check_session takes them, read from its cells;
    None for a cell empty or wrong (told to `checker`)."""
    from spreadsheet.reader import spreadsheet_date

    days = parse_days(typed["days"]) if typed["days"] else None
    if typed["days"] and days is None:
        checker.add(
            label("days"),
            "must be days of the week like Tue; Thu, Tuesday and Thursday, or Mon-Fri",
            typed["days"],
        )
    minutes: dict[str, int | None] = {}
    for name in ("starts_at", "ends_at"):
        wrong = _clock_problem(typed[name]) if typed[name] else None
        minutes[name] = None if wrong else parse_clock(typed[name])
        if wrong:
            checker.add(label(name), wrong, typed[name])
    terms: dict[str, date | None] = {"from": None, "until": None}
    for name in terms:
        if typed[name]:
            try:
                terms[name] = spreadsheet_date(typed[name])
            except ValueError as error:
                checker.add(label(name), str(error), typed[name])
    where = typed["where"]
    return {
        "days": days,
        "start_minute": minutes["starts_at"],
        "end_minute": minutes["ends_at"],
        "valid_from": terms["from"],
        "valid_until": terms["until"],
        "site": None if where.lower() in ("", PARTNER_SITE) else where,
    }


def _clock_problem(text: str) -> str | None:
    """What is wrong with a typed time (None: nothing), and, when it names no
    half of the day or a spreadsheet seems to have changed it, what to do."""
    if EITHER_HALF.fullmatch(text):
        return f"{CLOCK_HINT}: add AM or PM ({text} could be either)"
    if parse_clock(text) is not None:
        return None
    if re.fullmatch(r"0?\.\d+", text):
        minute = round(float(text) * 24 * 60)
        return (
            f"{CLOCK_HINT}; this looks like a spreadsheet's time number (it would be "
            f"{clock_text(minute % (24 * 60))}): format the column as a time, or "
            "type the time"
        )
    return CLOCK_HINT


# Repeated program columns ----------------------------------------------------

PROGRAM_NAMES = tuple(
    c.name for c in PROGRAM_COLUMNS if c.name not in ("program", "remove")
)


def program_digests(cells: dict[str, str]) -> str:
    """A short digest of each of the row's program columns (its texts in other
    languages too) and its partner's slug, by what they mean (a list in any
    order, `free` empty or yes), joined: what a later row of the program is
    compared with."""
    names = ("slug", *PROGRAM_NAMES, *sorted(_texts(cells)))
    return " ".join(f"{name}={_digest(name, cells.get(name, ''))}" for name in names)


def differing(first: str, this: str) -> list[str]:
    """The columns whose digests differ (a column missing from a row is empty)."""
    one, other = _parsed(first), _parsed(this)
    return [
        name
        for name in dict.fromkeys([*one, *other])
        if one.get(name, _digest(name, "")) != other.get(name, _digest(name, ""))
    ]


def _parsed(digests: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in digests.split())


def _digest(name: str, value: str) -> str:
    meant = _meant(name, value).encode()
    return hashlib.blake2b(meant, digest_size=4).hexdigest()


def _texts(cells: dict[str, str]) -> list[str]:
    return [
        name
        for name in cells
        if name.startswith("program_") and name not in PROGRAM_NAMES and cells[name]
    ]


def _meant(name: str, value: str) -> str:
    if name in LIST_COLUMNS:
        parts = {part.strip() for part in value.split(LIST_SEPARATOR)}
        return LIST_SEPARATOR.join(sorted(parts - {""}))
    if name == "free":
        lowered = value.lower() or "yes"
        return "yes" if lowered in YES else "no" if lowered in NO else value
    return value


def check_repeat(
    checker: Checker, number: int, slug: str, earlier: tuple[int, str], this: str
) -> None:
    """A later row of a program must repeat its program columns."""
    row, first = earlier
    for name in differing(first, this):
        rule = (
            "a program belongs to one partner"
            if name == "slug"
            else "a program's columns must match on each of its rows (one a session)"
        )
        checker.add(
            f"row {number}, column {name}",
            f"differs from row {row}, which holds program {slug!r} too: {rule}",
        )


# Writing and exporting ---------------------------------------------------------


Key = tuple[str, int, int, date, date, str]


async def on_file(program_ids: list[int]) -> dict[int, list[Key]]:
    """The sessions of these programs, as SessionKeys.key compares them."""
    found: dict[int, list[Key]] = {key: [] for key in program_ids}
    for start in range(0, len(program_ids), CHUNK):
        rows = await m.Session.filter(
            program_id__in=program_ids[start : start + CHUNK]
        ).values_list(
            "program_id",
            "days",
            "start_minute",
            "end_minute",
            "valid_from",
            "valid_until",
            "site__slug",
        )
        for program, *session, site in rows:
            found[program].append((*session, site or ""))
    return found


def differ(file: list[SessionKeys], stored: list[Key]) -> bool:
    return sorted(s.key for s in file) != sorted(stored)


def new_rows(
    sessions: list[SessionKeys], sites: dict[str, m.SchoolSite]
) -> list[m.Session]:
    """The sessions to write (audit.Owned replaces a program's rows with them)."""
    return [
        m.Session(
            days=s.days,
            start_minute=s.start_minute,
            end_minute=s.end_minute,
            valid_from=s.valid_from,
            valid_until=s.valid_until,
            site=sites[s.site] if s.site else None,
        )
        for s in sessions
    ]


async def by_program() -> dict[int, list[dict[str, object]]]:
    """Every session's cells, by program id, in the order of the model."""
    found: dict[int, list[dict[str, object]]] = {}
    for row in await m.Session.all().prefetch_related("site"):
        found.setdefault(row.program_id, []).append(cells_of(row))
    return found


def cells_of(session: m.Session) -> dict[str, object]:
    """A session's cells (the site loaded): days as "Tue; Thu", times as clock
    times (a workbook's time cells; "3:30 PM" in a CSV file), the term as dates."""
    return {
        "days": day_text(session.days),
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "from": session.valid_from,
        "until": session.valid_until,
        "where": session.site.slug if session.site is not None else PARTNER_SITE,
    }


def day_text(stored: str) -> str:
    """Stored days ("TU,TH") as a person types them: "Tue; Thu", and three or
    more days in a row as a range, "Mon-Fri"."""
    days = m.Weekday.listed(stored)
    numbers = [d.number for d in days]
    if len(days) >= 3 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{DAY_NAMES[days[0]]}-{DAY_NAMES[days[-1]]}"
    return f"{LIST_SEPARATOR} ".join(DAY_NAMES[d] for d in days)


def time_text(value: time) -> str:
    """A clock time as the sheet writes it: "3:30 PM"."""
    return clock_text(minute_of(value))
