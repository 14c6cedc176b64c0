"""The demo district's sessions: most programs say when and where they meet, in
keeping with their timing words and schools, in the terms around the day the demo
is loaded, the same for the same seed."""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
from tortoise.context import TortoiseContext

import models as m
from demo import load_demo
from demo.sessions import MOST, Terms
from models.session import Weekday
from tests.district import DAY

WEEKEND = {"SA", "SU"}
SUMMER_MONTHS = {6, 7, 8}
# After-school sessions start then or later (schools that let out early).
DISMISSAL = 14 * 60 + 30
SESSION = (
    "program_id",
    "site_id",
    "days",
    "start_minute",
    "end_minute",
    "valid_from",
    "valid_until",
)


async def _sessions() -> list[tuple[Any, ...]]:
    return list(await m.Session.all().order_by("id").values_list(*SESSION))


def _kind(days: str, start: int, first: date) -> m.Timing:
    """The timing word a session stands for, by its days, hours and term."""
    if set(days.split(",")) <= WEEKEND:
        return m.Timing.WEEKENDS
    if first.month in SUMMER_MONTHS:
        return m.Timing.SUMMER
    return m.Timing.AFTER_SCHOOL if start >= DISMISSAL else m.Timing.DURING_SCHOOL


async def test_most_demo_programs_meet_as_their_timing_and_schools_say(
    db: TortoiseContext,
) -> None:
    summary = await load_demo(partners=100, seed=6, today=DAY)
    sessions = await _sessions()
    assert summary.sessions == len(sessions)
    columns = [t.value for t in m.Timing]
    timing = {
        program_id: {t for t, on in zip(m.Timing, flags, strict=True) if on}
        for program_id, *flags in await m.Program.all().values_list("id", *columns)
    }
    schools: dict[int, set[int]] = defaultdict(set)
    for program_id, site_id in await m.Program.all().values_list("id", "sites__id"):
        schools[program_id].add(site_id)
    # The school year DAY (12 March 2031) is in, and the summer after it.
    school_year = (date(2030, 9, 1), date(2031, 6, 30))
    summer = (date(2031, 6, 1), date(2031, 8, 31))
    per_program: dict[int, int] = defaultdict(int)
    kinds = set()
    for program_id, site_id, days, start, end, first, last in sessions:
        per_program[program_id] += 1
        assert days == Weekday.joined(Weekday.listed(days)), days
        assert start < end and start % 15 == 0 and end % 15 == 0
        assert first <= last and (last - first).days <= 366
        assert site_id is None or site_id in schools[program_id]
        kind = _kind(days, start, first)
        kinds.add(kind)
        assert kind in timing[program_id], (kind, timing[program_id])
        if kind is m.Timing.WEEKENDS:
            continue
        assert not set(days.split(",")) & WEEKEND, days
        if kind is m.Timing.SUMMER:
            assert summer[0] <= first and last <= summer[1]
            continue
        assert school_year[0] <= first and last <= school_year[1]
        if kind is m.Timing.DURING_SCHOOL:
            assert site_id is not None and end <= 15 * 60  # at school, in its hours
    share = len(per_program) / summary.programs
    assert 0.75 <= share <= 0.95, share
    assert max(per_program.values()) <= MOST
    assert kinds == set(m.Timing)
    # At schools and at partners' own sites.
    assert {site is None for _, site, *_ in sessions} == {True, False}


async def test_the_same_seed_draws_the_same_sessions(db: TortoiseContext) -> None:
    await load_demo(partners=40, seed=6, today=DAY)
    first = await _sessions()
    await load_demo(partners=40, seed=6, today=DAY, replace=True)
    assert await _sessions() == first
    await load_demo(partners=40, seed=7, today=DAY, replace=True)
    assert await _sessions() != first


async def test_terms_move_with_the_day_the_demo_is_loaded(db: TortoiseContext) -> None:
    await load_demo(partners=40, seed=6, today=DAY)
    this_year = await _sessions()
    await load_demo(partners=40, seed=6, today=DAY + timedelta(days=365), replace=True)
    next_year = await _sessions()
    assert len(this_year) == len(next_year) > 0
    for now, later in zip(this_year, next_year, strict=True):
        assert now[:5] == later[:5]  # the same program, place, days and hours
        for before, after in zip(now[5:], later[5:], strict=True):
            assert 357 <= (after - before).days <= 371  # a year on, within a week


@pytest.mark.parametrize(
    ("day", "school_year", "summer"),
    [
        # In the school year: this one, and the summer after it.
        (date(2031, 3, 12), (date(2030, 9, 3), date(2031, 6, 6)), date(2031, 6, 16)),
        # Its last day, and the next day (the summer and the next school year).
        (date(2031, 6, 6), (date(2030, 9, 3), date(2031, 6, 6)), date(2031, 6, 16)),
        (date(2031, 6, 7), (date(2031, 9, 2), date(2032, 6, 4)), date(2031, 6, 16)),
        # In summer programs' last weeks, and after they all ended.
        (date(2031, 8, 8), (date(2031, 9, 2), date(2032, 6, 4)), date(2031, 6, 16)),
        (date(2031, 8, 30), (date(2031, 9, 2), date(2032, 6, 4)), date(2032, 6, 14)),
        (date(2031, 12, 1), (date(2031, 9, 2), date(2032, 6, 4)), date(2032, 6, 14)),
    ],
)
def test_the_terms_are_the_ones_not_yet_over_on_the_day(
    day: date, school_year: tuple[date, date], summer: date
) -> None:
    terms = Terms(day)
    assert (terms.school_starts, terms.school_ends) == school_year
    assert terms.summer_starts == summer
    # The school year starts on the Tuesday after Labor Day, and ends on a Friday.
    assert terms.school_starts.weekday() == 1 and terms.school_ends.weekday() == 4
