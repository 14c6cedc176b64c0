"""Statements made once per shape (api/engine/statements.py) give the rows Tortoise
gives, whatever numbers each run puts in."""

from collections.abc import Callable
from datetime import date
from typing import Any

import models as m
from api.columns import PARTNER_COLUMNS
from api.engine.statements import STATEMENTS, Statements, _passes_through, fetch


def partners(ids: list[int]) -> Any:
    return m.Partner.filter(id__in=ids).order_by("id").values(*PARTNER_COLUMNS)


def categories(ids: list[int]) -> Any:
    return m.Partner.filter(id__in=ids).values_list("id", "categories__id")


async def test_kept_statements_answer_as_tortoise_does(
    district: date,
) -> None:
    ids = sorted(p.id for p in await m.Partner.all())
    assert len(ids) >= 4
    await m.Partner.filter(id=ids[0]).update(last_verified_on=date(2026, 1, 2))
    kept = Statements()
    STATEMENTS.set(kept)

    def page(offset: int, limit: int) -> Any:
        listed = m.Listing(district).partners()
        columns = ("id", "slug", "last_verified_on", "address_confidential")
        return listed.offset(offset).limit(limit).values(*columns)

    shapes: list[tuple[Callable[..., Any], list[Any]]] = [
        (partners, [ids[:2]]),
        (partners, [ids[2:4]]),  # the same shape, other ids
        (partners, [ids[:3]]),  # another count
        (categories, [ids[:3]]),
        (categories, [ids[1:4]]),
        (page, [0, 2]),
        (page, [1, 5]),
    ]
    for build, numbers in shapes:
        expected = await build(*numbers)
        found = await fetch(build.__name__, build, *numbers)
        assert repr(found) == repr(expected)  # True is not 1, a date not a text
        assert expected  # rows, not a vacuous match
    assert len(kept.kept) == 4  # partners ×2 counts, categories, page
    # dates and texts read as Tortoise reads them
    [first] = await fetch("partners", partners, [ids[0]])
    assert first["last_verified_on"] == date(2026, 1, 2)
    assert isinstance(first["translations"], dict)


async def test_a_query_without_its_numbers_runs_unkept(district: date) -> None:
    kept = Statements()
    STATEMENTS.set(kept)

    def everyone(ids: list[int]) -> Any:
        return m.Partner.all().values_list("id", flat=False)

    assert await fetch("everyone", everyone, [1, 2]) == await everyone([1, 2])
    assert not kept.kept and not kept.models


async def test_without_kept_statements_tortoise_runs_each_query(district: date) -> None:
    """The reference engine keeps none: every query is Tortoise's own."""
    STATEMENTS.set(None)
    ids = sorted(p.id for p in await m.Partner.all())
    assert await fetch("partners", partners, ids[:2]) == await partners(ids[:2])


def test_only_a_function_that_gives_back_what_it_is_given_passes_through() -> None:
    """Tortoise hands over `lambda x: x` for columns the driver reads as they are
    and a field's conversion (a bound method) for the others; a plain function
    that converts is not taken for the first."""
    assert _passes_through(lambda x: x)
    assert not _passes_through(lambda x: str(x))
    assert not _passes_through(date.fromisoformat)
    assert not _passes_through(m.Partner._meta.fields_map["slug"].to_python_value)
