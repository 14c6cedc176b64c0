"""When and where demo programs meet: sessions drawn to fit each program's timing
words and schools, in the district's terms around the day the demo is loaded."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import Generic, TypeVar

from demo import places
from models.program import Program
from models.session import Session, Weekday

MO, TU, WE, TH, FR, SA, SU = Weekday
# The share of programs that say when they meet; the rest keep their timing words.
WITH_SESSIONS = 0.85
# A program's sessions at most. The API bounds a query's cost by the largest
# count in the data (api/bounds.py), so the demo keeps it as small as a real one.
MOST = 3
# Schools that let out early, so their after-school programs may start at 2:30.
EARLY_DISMISSAL = ("high", "alternative")
SUMMER_WEEKS = (4, 6, 8)
WEEK = timedelta(days=7)

Days = tuple[Weekday, ...]
Slot = tuple[int, int]  # start and end, minutes after midnight


T = TypeVar("T")


@dataclass(frozen=True)
class Weighted(Generic[T]):
    """Options and how often each is drawn."""

    options: tuple[T, ...]
    cum_weights: tuple[int, ...]

    @classmethod
    def of(cls, *pairs: tuple[T, int]) -> "Weighted[T]":
        options, weights = zip(*pairs, strict=True)
        return cls(options, tuple(accumulate(weights)))

    def draw(self, rng: random.Random) -> T:
        return rng.choices(self.options, cum_weights=self.cum_weights)[0]


def _minute(clock: str) -> int:
    hour, minute = clock.split(":")
    return int(hour) * 60 + int(minute)


def _slots(*slots: tuple[str, str, int]) -> Weighted[Slot]:
    """Clock times ("10:00", "11:30", weight) as a draw of (start, end) minutes."""
    return Weighted.of(*(((_minute(a), _minute(b)), w) for a, b, w in slots))


AFTER_SCHOOL_DAYS = Weighted[Days].of(
    ((TU, TH), 30),
    ((MO, WE), 25),
    ((MO, TU, WE, TH), 10),
    ((MO, TU, WE, TH, FR), 8),
    ((MO, WE, FR), 5),
    ((MO,), 4),
    ((TU,), 4),
    ((WE,), 6),
    ((TH,), 5),
    ((FR,), 3),
)
# The first two only where school lets out early (EARLY_DISMISSAL).
AFTER_SCHOOL_STARTS = tuple(
    _minute(clock)
    for clock in ("14:30", "14:45", "15:00", "15:15", "15:30", "15:45", "16:00")
)
AFTER_SCHOOL_LENGTHS = Weighted[int].of((60, 30), (75, 10), (90, 40), (120, 20))
SCHOOL_DAY_DAYS = Weighted[Days].of(
    ((MO,), 10),
    ((TU,), 12),
    ((WE,), 12),
    ((TH,), 12),
    ((FR,), 6),
    ((MO, WE), 15),
    ((TU, TH), 18),
    ((MO, WE, FR), 8),
)
SCHOOL_DAY_SLOTS = _slots(
    ("08:45", "09:30", 5),
    ("09:00", "10:00", 10),
    ("09:30", "10:15", 10),
    ("10:00", "11:30", 20),
    ("10:15", "11:00", 10),
    ("11:00", "12:00", 10),
    ("12:30", "13:15", 10),
    ("13:00", "14:00", 15),
    ("13:30", "14:30", 10),
)
SUMMER_DAYS = Weighted[Days].of(
    ((MO, TU, WE, TH), 50),
    ((MO, TU, WE, TH, FR), 35),
    ((TU, WE, TH), 15),
)
SUMMER_SLOTS = _slots(
    ("09:00", "12:00", 40),
    ("09:00", "15:00", 20),
    ("08:30", "11:30", 10),
    ("13:00", "16:00", 15),
    ("09:30", "11:30", 15),
)
WEEKEND_DAYS = Weighted[Days].of(((SA,), 75), ((SU,), 10), ((SA, SU), 15))
WEEKEND_SLOTS = _slots(
    ("10:00", "12:00", 40),
    ("09:00", "11:00", 20),
    ("10:00", "11:30", 15),
    ("13:00", "15:00", 15),
    ("13:00", "16:00", 10),
)


def _on_or_after(day: date, weekday: Weekday) -> date:
    return day + timedelta(days=(weekday.number - day.weekday()) % 7)


def _school_starts(year: int) -> date:
    """The Tuesday after Labor Day (the first Monday in September)."""
    return _on_or_after(date(year, 9, 1), MO) + timedelta(days=1)


def _school_ends(year: int) -> date:
    """The first Friday in June."""
    return _on_or_after(date(year, 6, 1), FR)


def _summer_starts(year: int) -> date:
    """The second Monday after the last day of school: mid-June."""
    return _school_ends(year) + timedelta(days=10)


# The latest a summer session ends: a week late and as long as any.
LATEST_SUMMER_END = WEEK + max(SUMMER_WEEKS) * WEEK


class Terms:
    """The district's school year and summer break that have not ended on `day`
    (on a day in March, this school year and the summer after it; in July, this
    summer and the school year after it), so the demo is current whenever loaded."""

    def __init__(self, day: date) -> None:
        year = day.year if day > _school_ends(day.year) else day.year - 1
        self.school_starts = _school_starts(year)
        self.school_ends = _school_ends(year + 1)
        summer = day.year
        if day > _summer_starts(summer) + LATEST_SUMMER_END:
            summer += 1
        self.summer_starts = _summer_starts(summer)
        # Fall and spring halves, for programs that change days at the new year.
        self.fall_ends = _on_or_after(date(year, 12, 14), FR)
        self.spring_starts = _on_or_after(date(year + 1, 1, 5), MO)


class Sessions:
    """Draws each program's sessions in turn, numbering them from 1."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.terms = Terms(today)
        self.count = 0

    def for_program(self, program: Program, sites: list[int]) -> list[Session]:
        """Most programs' sessions, each kind only when its timing says so: after
        school at one or two of its schools (`sites`), during the school day at
        one, in summer and on weekends at one or at the partner's own site."""
        rng = self.rng
        if rng.random() >= WITH_SESSIONS:
            return []
        kinds = (
            (program.after_school, self._after_school),
            (program.during_school and bool(sites), self._school_day),
            (program.summer, self._summer),
            (program.weekends, self._weekends),
        )
        drawn: list[Session] = []
        for wanted, draw in kinds:
            if wanted and len(drawn) < MOST:
                drawn += draw(program, sites)
        return drawn[:MOST]

    def _after_school(self, program: Program, sites: list[int]) -> list[Session]:
        rng, terms = self.rng, self.terms
        first, last = self._school_year()
        where: list[int | None] = [None]  # at the partner's own centre
        if sites and rng.random() >= 0.12:
            two = len(sites) > 1 and rng.random() < 0.35
            where = list(rng.sample(sites, 2 if two else 1))
        if len(where) == 1 and rng.random() < 0.15:  # new days after winter break
            site, (start, end) = where[0], self._after_school_hours(where[0])
            fall, spring = AFTER_SCHOOL_DAYS.draw(rng), AFTER_SCHOOL_DAYS.draw(rng)
            return [
                self._new(program, site, fall, start, end, first, terms.fall_ends),
                self._new(program, site, spring, start, end, terms.spring_starts, last),
            ]
        drawn = []
        for site in where:
            start, end = self._after_school_hours(site)
            days = AFTER_SCHOOL_DAYS.draw(rng)
            drawn.append(self._new(program, site, days, start, end, first, last))
        return drawn

    def _after_school_hours(self, site: int | None) -> Slot:
        rng = self.rng
        early = site is not None and places.SCHOOLS[site - 1][1] in EARLY_DISMISSAL
        start = rng.choice(AFTER_SCHOOL_STARTS[0 if early else 2 :])
        return start, start + AFTER_SCHOOL_LENGTHS.draw(rng)

    def _school_day(self, program: Program, sites: list[int]) -> list[Session]:
        rng = self.rng
        first, last = self._school_year()
        (start, end), days = SCHOOL_DAY_SLOTS.draw(rng), SCHOOL_DAY_DAYS.draw(rng)
        site = rng.choice(sites)
        return [self._new(program, site, days, start, end, first, last)]

    def _summer(self, program: Program, sites: list[int]) -> list[Session]:
        rng = self.rng
        first = self.terms.summer_starts + timedelta(days=rng.choice((0, 7)))
        # Ends on the Friday of its last week.
        last = first + rng.choice(SUMMER_WEEKS) * WEEK - timedelta(days=3)
        site = rng.choice(sites) if sites and rng.random() < 0.7 else None
        (start, end), days = SUMMER_SLOTS.draw(rng), SUMMER_DAYS.draw(rng)
        return [self._new(program, site, days, start, end, first, last)]

    def _weekends(self, program: Program, sites: list[int]) -> list[Session]:
        rng = self.rng
        first, last = self._school_year()
        # From its first Saturday to the Sunday before its last Friday.
        first, last = _on_or_after(first, SA), last - timedelta(days=5)
        in_school_year = program.during_school or program.after_school
        if program.summer and not in_school_year and rng.random() < 0.5:
            # Eight weekends in the summer instead.
            first = _on_or_after(self.terms.summer_starts, SA)
            last = first + max(SUMMER_WEEKS) * WEEK - timedelta(days=6)
        site = rng.choice(sites) if sites and rng.random() < 0.35 else None
        (start, end), days = WEEKEND_SLOTS.draw(rng), WEEKEND_DAYS.draw(rng)
        return [self._new(program, site, days, start, end, first, last)]

    def _school_year(self) -> tuple[date, date]:
        """A term through the school year, from its first day or the Monday of
        its second or third week, to its last day or a week or two before."""
        rng, terms = self.rng, self.terms
        first = terms.school_starts + timedelta(days=rng.choice((0, 6, 13)))
        last = terms.school_ends - timedelta(days=rng.choice((0, 7, 14)))
        return first, last

    def _new(
        self,
        program: Program,
        site: int | None,
        days: Days,
        start: int,
        end: int,
        first: date,
        last: date,
    ) -> Session:
        self.count += 1
        return Session(
            id=self.count,
            program_id=program.id,
            site_id=site,
            days=Weekday.joined(days),
            start_minute=start,
            end_minute=end,
            valid_from=first,
            valid_until=last,
        )
