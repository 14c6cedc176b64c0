"""The anonymous answer cache: right until the data or the day changes, and
bounded in entries and bytes, whatever is put in it."""

from datetime import date

import models as m
from api.cache import Answer, AnswerCache, Revisions

DAY = date(2031, 3, 12)


def answer(size: int) -> Answer:
    return Answer(200, b"x" * size, "application/json", keep=True)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_answer_is_kept_for_its_revision_only() -> None:
    cache = AnswerCache(size=10, seconds=60, total_bytes=10_000, entry_bytes=1_000)
    cache.put(("q",), (1, "2031-03-12"), answer(10))
    assert cache.get(("q",), (1, "2031-03-12")) == answer(10)
    assert cache.get(("q",), (2, "2031-03-12")) is None  # something was written
    assert cache.get(("q",), (1, "2031-03-13")) is None  # the day changed
    cache.put(("other",), (2, "2031-03-12"), answer(10))
    assert len(cache) == 1  # older revisions can never be right again: dropped


def test_bytes_are_bounded_in_all_and_per_answer() -> None:
    cache = AnswerCache(size=1000, seconds=60, total_bytes=1_000, entry_bytes=300)
    for i in range(50):
        cache.put((f"q{i}",), (1, "d"), answer(200))
        assert cache.bytes <= 1_000
    assert len(cache) == 4  # 200 bytes of answer and 3 of key each
    cache.put(("huge",), (1, "d"), answer(301))
    assert cache.get(("huge",), (1, "d")) is None
    assert cache.get(("q49",), (1, "d")) is not None  # most recent kept
    assert cache.get(("q0",), (1, "d")) is None  # least recent went first


def test_expired_answers_go_without_being_asked_for() -> None:
    clock = Clock()
    cache = AnswerCache(
        size=100, seconds=60, total_bytes=10_000, entry_bytes=1_000, clock=clock
    )
    for i in range(5):
        cache.put((f"q{i}",), (1, "d"), answer(100))
    clock.now += 61
    assert cache.get(("unrelated",), (1, "d")) is None
    assert len(cache) == 0 and cache.bytes == 0


def test_an_entry_limit_of_zero_turns_it_off() -> None:
    cache = AnswerCache(size=0)
    cache.put(("q",), (1, "d"), answer(1))
    assert cache.get(("q",), (1, "d")) is None


async def test_the_revision_is_the_newest_audit_entry_and_the_day(db: object) -> None:
    revisions = Revisions(seconds=3600)
    assert await revisions.current(DAY) == (0, "2031-03-12")
    entry = await m.AuditEntry.create(actor="t", action="a", entity="E", entity_key="k")
    assert await revisions.current(DAY) == (0, "2031-03-12")  # read once an hour
    revisions.forget()
    assert await revisions.current(DAY) == (entry.id, "2031-03-12")
    assert (await revisions.current(date(2031, 3, 13)))[1] == "2031-03-13"
