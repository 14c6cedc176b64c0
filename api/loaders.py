"""Per-request DataLoaders: each nested list costs a fixed number of SQL statements,
however many parents a page holds."""

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import cached_property
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.functions import Count
from tortoise.models import Model
from tortoise.queryset import QuerySet

import models as m
from api.columns import (
    PARTNER_COLUMNS,
    PROGRAM_COLUMNS,
    PartnerRow,
    ProgramRow,
    kept_rows,
)
from api.engine.statements import fetch

T = TypeVar("T", bound=Model)


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


async def listed_partner_rows(
    listing: m.Listing, keys: list[int], columns: Sequence[str]
) -> list[Any]:
    """The partners of `keys` that are listed on the listing's day, as plain rows
    of `columns` (in no particular order)."""

    def build(ids: list[int]) -> QuerySet[m.Partner]:
        return listing.partners().filter(id__in=ids)

    shape = ("listed partners", listing.day)
    return await kept_rows(shape, build, columns, keys, row=PartnerRow)


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


SESSION_COLUMNS = (
    "program_id", "days", "start_minute", "end_minute", "valid_from", "valid_until",
    "site_id",
)  # fmt: skip


async def program_sessions(keys: list[int]) -> list[list[tuple[Any, ...]]]:
    """For each program id, its sessions as rows of SESSION_COLUMNS, in order."""

    def build(ids: list[int]) -> Any:
        return m.Session.filter(program_id__in=ids).values_list(*SESSION_COLUMNS)

    return _bucket(await fetch("sessions", build, keys), lambda row: row[0], keys)


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
    def program_sessions(self) -> DataLoader[int, list[tuple[Any, ...]]]:
        return DataLoader(program_sessions)

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
