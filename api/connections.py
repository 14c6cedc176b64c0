"""The listing's connections: pages of partners, of programs and of programs at
school sites, read the same way (a kept statement for the page, what it selects
loaded ahead), and the GraphQL field that declares their shared arguments."""

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Annotated, Any, Generic, Protocol, TypeVar

import strawberry
from tortoise.queryset import QuerySet

import models as m
from api.columns import (
    PROGRAM_COLUMNS,
    PartnerRow,
    Plain,
    ProgramRow,
    partner_columns,
    program_columns,
    rows,
)
from api.context import Info
from api.filters import PartnerFilter, listed_partners, listed_programs
from api.pagination import (
    PAGE_SIZE_DEFAULT,
    Connection,
    connection,
    page_start,
    paginate,
)
from api.prefetch import (
    prepare_partners_for,
    prepare_programs,
    prepare_programs_for,
)
from api.texts import LANGUAGE, checked
from api.types import (
    Partner,
    Program,
    ProgramSite,
)
from api.wanted import Wanted

NodeT = TypeVar("NodeT")
Made = TypeVar("Made", covariant=True)

NODES = frozenset({"Partner", "Program", "SchoolSite"})
NODES_OF_EDGES = ("edges", "node")


class Convert(Protocol[Made]):
    """A GraphQL type that makes itself from a row, in a language."""

    def from_model(self, row: Any, language: str) -> Made: ...


@dataclass(frozen=True)
class Pages(Generic[NodeT]):
    """How pages of the listing's partners or programs are read: the `query` over
    the listing, the `node` type a row becomes, the `columns` the query's fields
    need, read as `row` objects by statements kept under `name`, and what
    `prepare` loads for a page's nodes at once."""

    name: str
    query: Callable[[m.Listing, PartnerFilter | None], QuerySet[Any]]
    node: Convert[NodeT]
    columns: Callable[[Iterable[str], str], tuple[str, ...]]
    row: type[SimpleNamespace]
    prepare: Callable[[list[NodeT], Info, Wanted], Awaitable[None]]

    async def read(
        self,
        info: Info,
        filter: PartnerFilter | None,
        first: int,
        after: str | None,
        spoken: str,
    ) -> Connection[NodeT]:
        wanted = info.context.engine.selected(info, NODES_OF_EDGES)
        shape = (self.name, info.context.day, repr(filter))
        return await paginate(
            self.query(info.context.listing, filter),
            lambda row: self.node.from_model(row, spoken),
            first,
            after,
            plain=Plain(shape, self.columns(wanted.fields, spoken), self.row),
            prepare=lambda nodes: self.prepare(nodes, info, wanted),
        )


PARTNERS = Pages(
    "partners",
    listed_partners,
    Partner,
    partner_columns,
    PartnerRow,
    prepare_partners_for,
)
PROGRAMS = Pages(
    "programs",
    listed_programs,
    Program,
    program_columns,
    ProgramRow,
    prepare_programs_for,
)


# Reads a page of one of the listing's connections, in the language asked for.
Read = Callable[
    [Info, PartnerFilter | None, int, str | None, str], Awaitable[Connection[NodeT]]
]


def connection_field(read: Read[NodeT], graphql_type: object, description: str) -> Any:
    """A field for one of the listing's connections: partners, programs and
    program sites are paged, filtered and translated alike, so they take the
    same arguments, written once here."""

    async def resolve(
        info: Info,
        filter: PartnerFilter | None = None,
        first: int = PAGE_SIZE_DEFAULT,
        after: str | None = None,
        language: Annotated[str | None, LANGUAGE] = None,
    ) -> Connection[NodeT]:
        return await read(info, filter, first, after, checked(language))

    return strawberry.field(
        resolver=resolve, graphql_type=graphql_type, description=description
    )


async def read_program_sites(
    info: Info,
    filter: PartnerFilter | None,
    first: int,
    after: str | None,
    spoken: str,
) -> Connection[ProgramSite]:
    """Each program at each school site it runs at: a page of the pairs."""
    start = page_start(first, after)
    pairs = listed_programs(info.context.listing, filter).filter(
        sites__id__not_isnull=True
    )
    window = await (
        pairs.order_by("name", "id", "sites__name", "sites__id")
        .offset(start)
        .limit(first + 1)
        .values_list("id", "sites__id")
    )
    nodes = await program_site_nodes(info, window[:first], spoken)

    async def loaded() -> list[ProgramSite]:
        return nodes

    async def count() -> int:
        return await pairs.count()  # the join's rows: one a pair

    return connection(len(nodes), start, len(window) > first, loaded, count)


async def program_site_nodes(
    info: Info, shown: Sequence[tuple[int, int]], spoken: str
) -> list[ProgramSite]:
    """The (program, school site) pairs of a page as nodes, their programs read
    and prepared all at once."""
    keys = list(dict.fromkeys(program for program, _ in shown))
    found = await rows(
        info.context.listing.programs().filter(id__in=keys), PROGRAM_COLUMNS
    )
    programs = {row.id: Program.from_model(row, spoken) for row in found}
    await prepare_programs(list(programs.values()), info, (*NODES_OF_EDGES, "program"))
    sites = info.context.vocabulary[spoken].school_sites
    return [
        ProgramSite(program=programs[p], school_site=sites.by_id[s]) for p, s in shown
    ]
