"""What a page reads of a partner or a program: plain rows, not model instances,
of only the columns the fields its query selects need (a test asks for each field
alone and compares: tests/test_columns.py)."""

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from tortoise.queryset import QuerySet

from api.engine.statements import Numbers, fetch
from models.languages import SOURCE

# What a page shows of a partner and a program, read as plain rows: model
# instances would cost as much again, for columns nobody asked for.
PARTNER_COLUMNS = (
    "id", "slug", "name", "summary", "description", "website", "email", "phone",
    "street", "city", "postal_code", "address_confidential", "last_verified_on",
    "status", "status_reason", "internal_notes", "translations",
)  # fmt: skip
PROGRAM_COLUMNS = (
    "id", "partner_id", "slug", "name", "description", "during_school",
    "after_school", "summer", "weekends", "grade_min", "grade_max", "free", "cost",
    "translations",
)  # fmt: skip


# What each field of a partner or a program is made from. A page reads only the
# columns the fields its query selects need, and the translations only for texts
# in another language; the fields not named here need only the id and slug.
PARTNER_NEEDS = {
    "name": ("name",),
    "summary": ("summary",),
    "description": ("description",),
    "untranslated": ("name", "summary", "description"),
    "translations": ("translations",),
    "website": ("website",),
    "email": ("email",),
    "phone": ("phone",),
    "addressConfidential": ("address_confidential",),
    "lastVerifiedOn": ("last_verified_on",),
    "address": ("street", "city", "postal_code", "address_confidential"),
}
PROGRAM_NEEDS = {
    "name": ("name",),
    "description": ("description",),
    "untranslated": ("name", "description"),
    "translations": ("translations",),
    "timing": ("during_school", "after_school", "summer", "weekends"),
    "gradeMin": ("grade_min",),
    "gradeMax": ("grade_max",),
    "grades": ("grade_min", "grade_max"),
    "free": ("free",),
    "cost": ("cost",),
}
TEXTS = frozenset({"name", "summary", "description"})


def _needed(
    table: Sequence[str],
    needs: dict[str, tuple[str, ...]],
    always: tuple[str, ...],
    fields: Iterable[str],
    language: str,
) -> tuple[str, ...]:
    chosen = set(always)
    for name in fields:
        chosen.update(needs.get(name, ()))
    if language != SOURCE and chosen & TEXTS:
        chosen.add("translations")
    return tuple(column for column in table if column in chosen)


def partner_columns(fields: Iterable[str], language: str) -> tuple[str, ...]:
    """The partner columns a query's `fields` of a partner need, in `language`."""
    return _needed(PARTNER_COLUMNS, PARTNER_NEEDS, ("id", "slug"), fields, language)


def program_columns(fields: Iterable[str], language: str) -> tuple[str, ...]:
    """The program columns a query's `fields` of a program need, in `language`."""
    always = ("id", "partner_id", "slug")
    return _needed(PROGRAM_COLUMNS, PROGRAM_NEEDS, always, fields, language)


class PartnerRow(SimpleNamespace):
    """A partner read as plain attributes; a column not read is None."""


class ProgramRow(SimpleNamespace):
    """A program read as plain attributes; a column not read is None."""


for _row, _table in ((PartnerRow, PARTNER_COLUMNS), (ProgramRow, PROGRAM_COLUMNS)):
    for _column in _table:
        setattr(_row, _column, None)


@dataclass(frozen=True)
class Plain:
    """How a page is read as plain rows: `columns`, as `row` objects, by a
    statement kept under `shape`, which names all the queryset is built from (a
    day, a filter)."""

    shape: Hashable
    columns: Sequence[str]
    row: type[SimpleNamespace] = SimpleNamespace


async def rows(queryset: QuerySet[Any], columns: Sequence[str]) -> list[Any]:
    """The queryset's rows, as objects with the columns as attributes."""
    return [SimpleNamespace(**row) for row in await queryset.values(*columns)]


async def kept_rows(
    shape: Hashable,
    build: Callable[..., QuerySet[Any]],
    columns: Sequence[str],
    *numbers: Numbers,
    row: type[SimpleNamespace] = SimpleNamespace,
) -> list[Any]:
    """`rows(build(*numbers), columns)` as `row` objects, by a statement made once
    per shape and columns (api/engine/statements.py)."""
    chosen = tuple(columns)
    found = await fetch((shape, chosen), lambda *n: build(*n).values(*chosen), *numbers)
    return [row(**found_row) for found_row in found]
