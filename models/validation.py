"""Checks on what staff and spreadsheets send in. Each problem names its field, so
the API and the CSV import can say exactly what is wrong and where."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from models.grades import GRADE_HINT, GRADE_MAX, GRADE_MIN
from models.session import MAX_TERM_DAYS, clock_text

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
EMAIL = re.compile(r"[^@\s<>\"']+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
PHONE = re.compile(r"\+?[0-9 ().-]{7,24}")
MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")
# Control characters (NUL among them; tab and line breaks are text) and the
# bidirectional overrides and isolates that can make text read differently than it
# is stored (U+202A-U+202E, U+2066-U+2069).
UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Dates an agreement or a record may carry: anything else is a typing error.
EARLIEST, LATEST = date(1990, 1, 1), date(2099, 12, 31)
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The largest row key a client may name: a PostgreSQL `integer` column's largest
# value (SQLite's are wider; a key past this one matches nothing on either).
KEY_MAX = 2**31 - 1


def whole_number(text: str, low: int, high: int) -> int | None:
    """The number `text` spells in ASCII digits, when it is from `low` to `high`;
    None for anything else. The one parser of numbers and ids from clients:
    `int()` also takes signs, spaces, underscores and other scripts' digits ("١",
    "１"), and `str.isdigit()` is true of "²", which `int()` refuses."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_key(text: str) -> int | None:
    """The row key `text` names (an agreement's id), or None when it is not one."""
    return whole_number(text, 1, KEY_MAX)


def is_key(key: int) -> bool:
    """Whether `key` (read from a public id) could be a row's key."""
    return 1 <= key <= KEY_MAX


def utc(moment: datetime) -> datetime | None:
    """An aware `moment` in UTC, as every database compares it; None when UTC has
    no such moment (0001-01-01T00:00:00+14:00 falls before the first one)."""
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    value: str = ""


@dataclass
class Checker:
    """Collects every problem in one go instead of stopping at the first. `today`
    is the district's day, for what cannot be in the future (None: not checked)."""

    problems: list[Problem] = field(default_factory=list)
    today: date | None = None

    def add(self, name: str, message: str, value: object = "") -> None:
        self.problems.append(Problem(name, message, str(value)))

    def text(
        self,
        name: str,
        value: str | None,
        *,
        max_length: int,
        required: bool = False,
        multiline: bool = False,
    ) -> None:
        if value is None or not value.strip():
            if required:
                self.add(name, "is required", value or "")
            return
        if len(value) > max_length:
            self.add(name, f"is {len(value)} characters; at most {max_length}", value)
        if UNSAFE.search(value):
            self.add(
                name,
                "contains control characters or bidirectional overrides",
                value,
            )
        elif not multiline and ("\n" in value or "\r" in value or "\t" in value):
            self.add(name, "must be one line, without tabs or line breaks", value)
        if MARKUP.search(value):
            self.add(name, "must be plain text, not HTML", value)
        if value.lstrip().startswith(("=", "@")):
            self.add(name, "must not start with = or @ (a spreadsheet formula)", value)

    def slug(self, name: str, value: str | None, *, required: bool = True) -> None:
        if not value:
            if required:
                self.add(name, "is required", "")
            return
        if len(value) > 80 or not SLUG.fullmatch(value):
            self.add(
                name,
                "must be lower-case letters, digits and single hyphens "
                "(e.g. bright-minds), at most 80",
                value,
            )

    def url(self, name: str, value: str | None) -> None:
        if not value:
            return
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or "." not in parts.netloc:
            self.add(name, "must be a web address starting with https://", value)
        elif len(value) > 300 or " " in value or not value.isprintable():
            self.add(name, "is not a valid web address", value)

    def email(self, name: str, value: str | None) -> None:
        if value and (
            len(value) > 254 or not EMAIL.fullmatch(value) or not value.isprintable()
        ):
            self.add(name, "must be an e-mail address like info@example.org", value)

    def phone(self, name: str, value: str | None) -> None:
        if value and (
            not PHONE.fullmatch(value) or sum(c.isdigit() for c in value) < 7
        ):
            self.add(name, "must be a phone number like 612-555-0142", value)

    def grades(
        self, low_name: str, low: int | None, high_name: str, high: int | None
    ) -> None:
        for name, grade in ((low_name, low), (high_name, high)):
            if grade is not None and not GRADE_MIN <= grade <= GRADE_MAX:
                self.add(name, f"must be {GRADE_HINT}", grade)
        if low is not None and high is not None and low > high:
            self.add(high_name, "must not be below the lowest grade", high)

    def day(self, name: str, value: date | None) -> None:
        if value is not None and not EARLIEST <= value <= LATEST:
            self.add(
                name,
                f"must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}",
                value,
            )

    def verified(self, name: str, value: date | None) -> None:
        """A day someone checked something: not one still to come. Refused, not
        warned of: a future "last verified" is a typo (2062 for 2026) that would
        keep a partner out of the yearly re-verification for decades."""
        self.past(name, value, "the day a partner's facts were last checked")

    def past(
        self, name: str, value: date | None, what: str = "a day that has happened"
    ) -> None:
        """A day that has come: today or before."""
        self.day(name, value)
        if value is not None and self.today is not None and value > self.today:
            self.add(
                name,
                f"is after today ({self.today.isoformat()}): {what} cannot be "
                "still to come",
                value,
            )

    def dates(
        self, start: str, starts_on: date | None, end: str, ends_on: date | None
    ) -> None:
        self.day(start, starts_on)
        self.day(end, ends_on)
        if starts_on and ends_on and ends_on < starts_on:
            self.add(
                end, f"must be on or after {start} ({starts_on.isoformat()})", ends_on
            )

    def known(self, name: str, wanted: list[str], found: set[str]) -> None:
        """Every slug in `wanted` must be one that exists."""
        unknown = [w for w in wanted if w not in found]
        if unknown:
            # a value sent to be hostile may be long: said in part
            said = ", ".join(w if len(w) <= 60 else w[:60] + "…" for w in unknown)
            self.add(name, f"unknown: {said}", ", ".join(unknown))


def check_support(
    c: Checker, v: dict[str, object], label: Callable[[str], str]
) -> None:
    """A training or assistance record: every field but notes is required."""
    if v.get("kind") is None:
        c.add(label("kind"), "is required")
    if v.get("held_on") is None:
        c.add(label("held_on"), "is required")
    else:
        c.day(label("held_on"), v["held_on"])  # type: ignore[arg-type]
    c.text(label("topic"), _str(v.get("topic")), max_length=200, required=True)
    c.text(label("staff"), _str(v.get("staff")), max_length=120, required=True)
    c.text(label("notes"), _str(v.get("notes")), max_length=5000, multiline=True)


def check_partner(
    c: Checker, v: dict[str, object], label: Callable[[str], str], creating: bool
) -> None:
    """Partner fields present in `v` (all required ones when creating)."""

    def given(name: str) -> bool:
        return creating or name in v

    if given("slug"):
        c.slug(label("slug"), _str(v.get("slug")))
    if given("name"):
        c.text(label("name"), _str(v.get("name")), max_length=200, required=True)
    if "summary" in v:
        c.text(label("summary"), _str(v["summary"]), max_length=300)
    for name in ("description", "internal_notes"):
        if name in v:
            c.text(label(name), _str(v[name]), max_length=5000, multiline=True)
    if "status_reason" in v:
        c.text(label("status_reason"), _str(v["status_reason"]), max_length=500)
    check_address(c, v, label)
    if "website" in v:
        c.url(label("website"), _str(v["website"]))
    if "email" in v:
        c.email(label("email"), _str(v["email"]))
    if isinstance(verified := v.get("last_verified_on"), date):
        c.verified(label("last_verified_on"), verified)
    if "phone" in v:
        c.phone(label("phone"), _str(v["phone"]))


def check_address(
    c: Checker, v: dict[str, object], label: Callable[[str], str]
) -> None:
    """Street, city and ZIP code, those present in `v`."""
    for name, length in (("street", 160), ("city", 80)):
        if name in v:
            c.text(label(name), _str(v[name]), max_length=length)
    if (
        "postal_code" in v
        and v["postal_code"]
        and not re.match(r"^[0-9]{5}(-[0-9]{4})?$", _str(v["postal_code"]) or "")
    ):
        c.add(label("postal_code"), "must be a ZIP code like 55401", v["postal_code"])


def check_program(
    c: Checker, v: dict[str, object], label: Callable[[str], str], creating: bool
) -> None:
    if creating or "slug" in v:
        c.slug(label("slug"), _str(v.get("slug")))
    if creating or "name" in v:
        c.text(label("name"), _str(v.get("name")), max_length=200, required=True)
    if "description" in v:
        c.text(
            label("description"),
            _str(v["description"]),
            max_length=5000,
            multiline=True,
        )
    if "cost" in v:
        c.text(label("cost"), _str(v["cost"]), max_length=200)
    for name in ("grade_min", "grade_max"):
        if creating and v.get(name) is None:
            c.add(label(name), "is required")
    low, high = v.get("grade_min"), v.get("grade_max")
    c.grades(
        label("grade_min"),
        low if isinstance(low, int) else None,
        label("grade_max"),
        high if isinstance(high, int) else None,
    )


def check_named(
    c: Checker,
    v: dict[str, object],
    label: Callable[[str], str],
    creating: bool,
) -> None:
    """Slug, name and description: service types and the like."""
    if creating or "slug" in v:
        c.slug(label("slug"), _str(v.get("slug")))
    if creating or "name" in v:
        c.text(label("name"), _str(v.get("name")), max_length=160, required=True)
    if "description" in v:
        c.text(
            label("description"),
            _str(v["description"]),
            max_length=2000,
            multiline=True,
        )


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def check_session(
    c: Checker, v: dict[str, Any], label: Callable[[str], str], schools: set[str]
) -> None:
    """One session: `days` (weekdays), `start_minute`/`end_minute` (minutes after
    midnight), `valid_from`/`valid_until` (the term) and `site` (a school slug
    among the program's `schools`, or None for the partner's own site)."""
    if not v.get("days"):
        c.add(label("days"), "is required: the weekdays it meets, e.g. Tue; Thu")
    start, end = v.get("start_minute"), v.get("end_minute")
    for name, minute in (("starts_at", start), ("ends_at", end)):
        if minute is None:
            c.add(label(name), "is required: a time like 3:30 PM")
        elif not 0 <= minute < 24 * 60:
            c.add(label(name), "must be a time of day like 3:30 PM", minute)
    if start is not None and end is not None and end <= start:
        c.add(label("ends_at"), "must be after the start time", clock_text(end))
    first, last = v.get("valid_from"), v.get("valid_until")
    for name, day in (("from", first), ("until", last)):
        if day is None:
            c.add(label(name), "is required: the term's first and last days")
    c.dates(label("from"), first, label("until"), last)
    if first and last and (last - first).days > MAX_TERM_DAYS:
        c.add(
            label("until"),
            f"makes a term of {(last - first).days} days; at most {MAX_TERM_DAYS}",
            last,
        )
    site = v.get("site")
    if site is not None and site not in schools:
        c.add(
            label("where"),
            "must be one of the program's schools (add the school to the program "
            "first), or empty for the partner's own site",
            site,
        )
