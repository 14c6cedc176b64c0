"""Per-request DataLoaders: each nested list costs a fixed number of SQL statements,
however many parents a page holds."""

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from functools import cached_property
from types import SimpleNamespace
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.functions import Count
from tortoise.models import Model
from tortoise.queryset import QuerySet

import models as m
from models.languages import SOURCE
from models.statements import Numbers, fetch

T = TypeVar("T", bound=Model)


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
    per shape and columns (models/statements.py)."""
    chosen = tuple(columns)
    found = await fetch((shape, chosen), lambda *n: build(*n).values(*chosen), *numbers)
    return [row(**found_row) for found_row in found]


def _grouped(pairs: Iterable[tuple[Any, Any]], keys: Sequence[int]) -> list[list[int]]:
    """The target ids under each owner key (each once; None for no link)."""
    owned: dict[int, dict[int, None]] = defaultdict(dict)
    for owner, target in pairs:
        if target is not None:
            owned[owner][target] = None
    return [list(owned[k]) for k in keys]


def _linked(
    owner: type[Model], relation: str
) -> Callable[[list[int]], Awaitable[list[list[int]]]]:
    """A batch function: for each owner id, the ids it links to through
    `relation` (objects come from the vocabulary, api/vocabulary.py).

    The link rows are read from the owner's side so the database walks its index on
    the owner column instead of scanning the whole link table."""

    shape = ("linked", owner.__name__, relation)

    def build(ids: list[int]) -> Any:
        return owner.filter(id__in=ids).values_list("id", f"{relation}__id")

    async def load(keys: list[int]) -> list[list[int]]:
        return _grouped(await fetch(shape, build, keys), keys)

    return load


def _through_programs(
    relation: str,
) -> Callable[[list[int]], Awaitable[list[list[int]]]]:
    """A batch function: for each partner id, the distinct ids its programs link
    to."""

    shape = ("through programs", relation)

    def build(ids: list[int]) -> Any:
        return m.Program.filter(partner_id__in=ids).values_list(
            "partner_id", f"{relation}__id"
        )

    async def load(keys: list[int]) -> list[list[int]]:
        return _grouped(await fetch(shape, build, keys), keys)

    return load


K = TypeVar("K")


def _bucket(
    rows: Iterable[T], key: Callable[[T], K], keys: Sequence[K]
) -> list[list[T]]:
    """Rows grouped under the keys asked for, in the rows' own order."""
    grouped: dict[K, list[T]] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return [grouped[k] for k in keys]


def _programs_of(ids: list[int]) -> QuerySet[m.Program]:
    return m.Program.filter(partner_id__in=ids)


async def _programs(
    keys: list[int], columns: Sequence[str] = PROGRAM_COLUMNS
) -> list[list[Any]]:
    found = await kept_rows("programs", _programs_of, columns, keys, row=ProgramRow)
    return _bucket(found, lambda row: row.partner_id, keys)


def _listed_partners(
    listing: m.Listing,
) -> Callable[[list[int]], Awaitable[list[m.Partner | None]]]:
    async def load(keys: list[int]) -> list[m.Partner | None]:
        rows = {p.id: p for p in await listing.partners().filter(id__in=keys)}
        return [rows.get(k) for k in keys]

    return load


def _partner_ids_at_sites(
    listing: m.Listing,
) -> Callable[[list[int]], Awaitable[list[list[int]]]]:
    """A batch function: for each school site, its listed partners' ids, A to Z."""

    def build(ids: list[int]) -> Any:
        programs = listing.programs().filter(sites__id__in=ids)
        ordered = programs.order_by("partner__name", "partner_id")
        return ordered.values_list("sites__id", "partner_id")

    async def load(keys: list[int]) -> list[list[int]]:
        at: dict[int, dict[int, None]] = defaultdict(dict)  # an ordered set
        for site, partner in await fetch(("at sites", listing.day), build, keys):
            at[site][partner] = None
        return [list(at[k]) for k in keys]

    return load


def _partners_of(ids: list[int]) -> QuerySet[m.Partner]:
    return m.Partner.filter(id__in=ids)


async def _partners(keys: list[int]) -> list[Any | None]:
    found = await kept_rows(
        "partners", _partners_of, PARTNER_COLUMNS, keys, row=PartnerRow
    )
    by_id = {p.id: p for p in found}
    return [by_id.get(k) for k in keys]


def _listed_counts(
    listing: m.Listing, owner: type[Model], relation: str, partner: str
) -> Callable[[list[int]], Awaitable[list[int]]]:
    """A batch function: for each related id, how many listed partners it reaches;
    `partner` is the owner's column that holds the partner id."""

    def build(ids: list[int]) -> Any:
        listed = listing.partner_ids()
        return (
            owner.filter(**{f"{relation}__id__in": ids, f"{partner}__in": listed})
            .annotate(n=Count(partner, distinct=True))
            .group_by(f"{relation}__id")
            .values_list(f"{relation}__id", "n")
        )

    shape = ("listed counts", listing.day, owner.__name__, relation, partner)

    async def load(keys: list[int]) -> list[int]:
        counts = dict(await fetch(shape, build, keys))
        return [int(counts.get(k, 0)) for k in keys]

    return load


async def _agreements(keys: list[int]) -> list[list[m.Agreement]]:
    rows = await m.Agreement.filter(partner_id__in=keys).prefetch_related(
        "partner", "program"
    )
    return _bucket(rows, lambda row: row.partner_id, keys)


async def _support_records(keys: list[int]) -> list[list[m.SupportRecord]]:
    rows = await m.SupportRecord.filter(partner_id__in=keys)  # newest first
    return _bucket(rows, lambda row: row.partner_id, keys)


async def _histories(keys: list[int]) -> list[list[m.AuditEntry]]:
    """Each partner's changes: to it, its programs, agreements and records."""
    rows = await m.AuditEntry.filter(partner_key__in=keys)
    return _bucket(rows, lambda row: row.partner_key or 0, keys)


# The batch functions that do not depend on the day: a page loads its lists with
# them directly (api/prefetch.py); the loaders below wrap them for one-by-one use.
partner_categories = _linked(m.Partner, "categories")
partner_programs = _programs
partner_service_types = _through_programs("service_types")
partner_sites = _through_programs("sites")
partner_languages = _through_programs("languages")
program_service_types = _linked(m.Program, "service_types")
program_sites = _linked(m.Program, "sites")
program_languages = _linked(m.Program, "languages")


class Loaders:
    """The loaders of one request; never shared between requests or callers. Each
    is made on first use: most requests need few of them, and a cached answer
    none."""

    def __init__(self, listing: m.Listing) -> None:
        self.listing = listing

    @cached_property
    def categories(self) -> DataLoader[int, list[int]]:
        return DataLoader(partner_categories)

    @cached_property
    def programs(self) -> DataLoader[int, list[Any]]:
        return DataLoader(partner_programs)

    @cached_property
    def program_service_types(self) -> DataLoader[int, list[int]]:
        return DataLoader(program_service_types)

    @cached_property
    def program_sites(self) -> DataLoader[int, list[int]]:
        return DataLoader(program_sites)

    @cached_property
    def program_languages(self) -> DataLoader[int, list[int]]:
        return DataLoader(program_languages)

    @cached_property
    def partner_service_types(self) -> DataLoader[int, list[int]]:
        return DataLoader(partner_service_types)

    @cached_property
    def partner_sites(self) -> DataLoader[int, list[int]]:
        return DataLoader(partner_sites)

    @cached_property
    def partner_languages(self) -> DataLoader[int, list[int]]:
        return DataLoader(partner_languages)

    @cached_property
    def listed_partner(self) -> DataLoader[int, m.Partner | None]:
        return DataLoader(_listed_partners(self.listing))

    @cached_property
    def site_partner_ids(self) -> DataLoader[int, list[int]]:
        return DataLoader(_partner_ids_at_sites(self.listing))

    @cached_property
    def partners(self) -> DataLoader[int, Any | None]:
        return DataLoader(_partners)

    @cached_property
    def category_counts(self) -> DataLoader[int, int]:
        return DataLoader(_listed_counts(self.listing, m.Partner, "categories", "id"))

    @cached_property
    def service_type_counts(self) -> DataLoader[int, int]:
        return DataLoader(
            _listed_counts(self.listing, m.Program, "service_types", "partner_id")
        )

    @cached_property
    def agreements(self) -> DataLoader[int, list[m.Agreement]]:
        return DataLoader(_agreements)

    @cached_property
    def support_records(self) -> DataLoader[int, list[m.SupportRecord]]:
        return DataLoader(_support_records)

    @cached_property
    def histories(self) -> DataLoader[int, list[m.AuditEntry]]:
        return DataLoader(_histories)
