"""Sessions: when and where a program meets. "Tue and Thu, 3:30–5:00 pm, Sep 8 –
May 28, at Hillcrest Middle": the weekdays, the clock times in the district's time
zone (models.clock.district_zone) and the term's first and last days. A session
meets at one of its program's school sites, or at the partner's own site when it
names none. A program has any number of sessions, or none (its timing words then
say all there is)."""

import re
from collections.abc import Iterable
from datetime import date, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.program import Program
    from models.school import SchoolSite

# A program's sessions at most, and a term's longest span (a school year and its
# summer): anything longer is a typing error ("2062" for "2026").
MAX_SESSIONS = 20
MAX_TERM_DAYS = 400


class Weekday(StrEnum):
    """A day of the week, by its iCalendar code (RFC 5545 BYDAY), which HSDS's
    schedules use too. In the week's order, Monday first (ISO 8601)."""

    MONDAY = "MO"
    TUESDAY = "TU"
    WEDNESDAY = "WE"
    THURSDAY = "TH"
    FRIDAY = "FR"
    SATURDAY = "SA"
    SUNDAY = "SU"
    # The codes themselves, as other names of the same members.
    MO = "MO"
    TU = "TU"
    WE = "WE"
    TH = "TH"
    FR = "FR"
    SA = "SA"
    SU = "SU"

    @property
    def number(self) -> int:
        """0 for Monday to 6 for Sunday, as date.weekday() counts."""
        return _NUMBERS[self]

    @staticmethod
    def of(day: date) -> "Weekday":
        return _WEEK[day.weekday()]

    @staticmethod
    def joined(days: Iterable["Weekday"]) -> str:
        """The days, each once, in the week's order: "TU,TH" (the stored form)."""
        chosen = set(days)
        return ",".join(d.value for d in Weekday if d in chosen)

    @staticmethod
    def listed(stored: str) -> list["Weekday"]:
        return [Weekday(code) for code in stored.split(",") if code]


class Session(Model):
    """One weekly meeting pattern of a program within a term."""

    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation["Program"] = fields.ForeignKeyField(
        "models.Program",
        related_name="sessions",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    # None: at the partner's own site (its address, unless that is confidential).
    site: fields.ForeignKeyNullableRelation["SchoolSite"] = fields.ForeignKeyField(
        "models.SchoolSite",
        related_name="sessions",
        null=True,
        on_delete=fields.CASCADE,
    )
    days = fields.CharField(max_length=20)  # "TU,TH": see Weekday.joined
    # Clock times as minutes after midnight (930 is 3:30 pm), the district's
    # wall clock: whole minutes compare and sort the same in every database, and
    # Tortoise's TimeField cannot be written to SQLite.
    start_minute = fields.SmallIntField()
    end_minute = fields.SmallIntField()
    valid_from = fields.DateField()
    valid_until = fields.DateField()

    program_id: int
    site_id: int | None

    class Meta:
        table = "program_session"
        ordering = ["program_id", "valid_from", "start_minute", "id"]
        table_description = "When and where a program meets, week by week, in a term."

    AUDIT_RELATED = ("site",)

    def audit_text(self) -> str:
        """What the audit trail keeps of it: "TU,TH 15:30-17:00 2026-09-08/
        2027-05-28 at hillcrest-middle" (the site loaded, or set, beforehand)."""
        site = self.site.slug if self.site is not None else "the partner's site"
        return (
            f"{self.days} {self.starts_at:%H:%M}-{self.ends_at:%H:%M} "
            f"{self.valid_from.isoformat()}/{self.valid_until.isoformat()} at {site}"
        )

    @property
    def weekdays(self) -> list[Weekday]:
        return Weekday.listed(self.days)

    @property
    def starts_at(self) -> time:
        return clock(self.start_minute)

    @property
    def ends_at(self) -> time:
        return clock(self.end_minute)

    def meets_on(self, day: date) -> bool:
        """Whether the session meets on `day` (its term and weekdays)."""
        return self.valid_from <= day <= self.valid_until and Weekday.of(day).value in (
            self.days.split(",")
        )


def clock(minute: int) -> time:
    """The clock time `minute` minutes after midnight."""
    return time(minute // 60, minute % 60)


def minute_of(moment: time) -> int:
    """Minutes after midnight of a clock time (seconds dropped)."""
    return moment.hour * 60 + moment.minute


def first_meeting(days: Iterable[Weekday], first: date, last: date) -> date | None:
    """The first day from `first` to `last` that falls on one of `days`; None when
    none does (a term shorter than a week may miss them all)."""
    numbers = {day.number for day in days}
    if not numbers:
        return None
    found = first + timedelta(days=min((n - first.weekday()) % 7 for n in numbers))
    return found if found <= last else None


_DAY_WORDS = {
    **{d.value.lower(): d for d in Weekday},
    **{name[:3]: d for name, d in zip(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        Weekday, strict=True,
    )},
    **{name: d for name, d in zip(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        Weekday, strict=True,
    )},
    **{name + "s": d for name, d in zip(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        Weekday, strict=True,
    )},
    "tues": Weekday.TU, "wed": Weekday.WE, "weds": Weekday.WE, "thu": Weekday.TH,
    "thur": Weekday.TH, "thurs": Weekday.TH,
}  # fmt: skip
_DAY_SEPARATORS = re.compile(r"\s*(?:[;,/&+]|\band\b|\s)\s*")
_DAY_RANGE = re.compile(r"^([a-z]+)\s*[-–]\s*([a-z]+)$")
_CLOCK = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>[ap])?\.?\s*(?:m\.?)?$"
)


_WEEK = tuple(Weekday)  # the seven days, Monday first (aliases are not members)
_NUMBERS = {day: number for number, day in enumerate(_WEEK)}


def parse_days(text: str) -> list[Weekday] | None:
    """The weekdays a person typed: "Tue; Thu", "Tu,Th", "Tuesday and Thursday",
    "Mon-Fri", "MO,WE,FR". None when a word is not a day (or none is given)."""
    words = text.strip().lower().rstrip(".")
    if (span := _DAY_RANGE.match(words)) is not None:
        first, last = (_DAY_WORDS.get(w.rstrip(".")) for w in span.groups())
        if first is None or last is None or first.number > last.number:
            return None
        return list(Weekday)[first.number : last.number + 1]
    days: list[Weekday] = []
    for word in _DAY_SEPARATORS.split(words):
        if not word:
            continue
        day = _DAY_WORDS.get(word.rstrip("."))
        if day is None:
            return None
        days.append(day)
    return Weekday.listed(Weekday.joined(days)) or None


def parse_clock(text: str) -> int | None:
    """Minutes after midnight of a clock time a person typed, US style or 24-hour:
    "3:30 PM", "3:30pm", "3 pm", "15:30", "noon". None when it is not one."""
    words = text.strip().lower()
    if words in ("noon", "12 noon"):
        return 12 * 60
    found = _CLOCK.match(words)
    if found is None:
        return None
    hour, minute = int(found["hour"]), int(found["minute"] or 0)
    if minute > 59:
        return None
    if found["half"] is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if found["half"] == "p" else 0)
    elif hour > 23 or found["minute"] is None:
        return None  # "3" alone could be either half of the day
    return hour * 60 + minute


def clock_text(minute: int) -> str:
    """A clock time as the spreadsheet writes it back: "3:30 PM"."""
    hour, rest = divmod(minute, 60)
    return f"{hour % 12 or 12}:{rest:02d} {'AM' if hour < 12 else 'PM'}"
