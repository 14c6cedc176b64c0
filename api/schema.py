"""The GraphQL schema: public queries over listed partners, staff reads behind
`staff`, and staff mutations."""

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from api.changes import ListingChanges, listing_changes
from api.columns import (
    PARTNER_COLUMNS,
    PROGRAM_COLUMNS,
    PartnerRow,
    Plain,
    ProgramRow,
    partner_columns,
    program_columns,
    rows,
)
from api.context import Info
from api.errors import UserInputError
from api.filters import PartnerFilter, listed_partners, listed_programs
from api.listing_state import ListingState
from api.mutations import Mutation
from api.pagination import (
    PAGE_SIZE_DEFAULT,
    Connection,
    connection,
    page_start,
    paginate,
)
from api.permissions import IsStaff
from api.prefetch import (
    prepare_partners,
    prepare_partners_for,
    prepare_programs,
    prepare_programs_for,
)
from api.staff_query import StaffQuery
from api.texts import LANGUAGE, checked
from api.types import (
    Category,
    Language,
    Partner,
    Program,
    ProgramSite,
    SchoolSite,
    ServiceType,
)
from models.languages import SOURCE

NODES = frozenset({"Partner", "Program", "SchoolSite"})
NODES_OF_EDGES = ("edges", "node")


@strawberry.type
class Query:
    @strawberry.field(
        description="Any partner, program or school site by its global id."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[
            relay.GlobalID, strawberry.argument(description="The ID of the object.")
        ],
    ) -> relay.Node | None:
        if id.type_name not in NODES:
            raise UserInputError(
                f"id is not the id of a partner, program or school site "
                f"(it names {id.type_name!r})",
                argument="id",
            )
        if "\x00" in id.node_id:
            return None
        try:
            node: relay.Node | None = await id.resolve_node(info)
        except GlobalIDValueError:
            return None
        return node

    @strawberry.field(description="Publicly listed partners, A to Z.")
    async def partners(
        self,
        info: Info,
        filter: PartnerFilter | None = None,
        first: int = PAGE_SIZE_DEFAULT,
        after: str | None = None,
        language: Annotated[str | None, LANGUAGE] = None,
    ) -> Connection[Partner]:
        spoken = checked(language)
        wanted = info.context.engine.selected(info, NODES_OF_EDGES)
        return await paginate(
            listed_partners(info.context.listing, filter),
            lambda row: Partner.from_model(row, spoken),
            first,
            after,
            plain=Plain(
                ("partners", info.context.day, repr(filter)),
                partner_columns(wanted.fields, spoken),
                PartnerRow,
            ),
            prepare=lambda nodes: prepare_partners_for(nodes, info, wanted),
        )

    @strawberry.field(description="A publicly listed partner by its slug.")
    async def partner(
        self,
        info: Info,
        slug: str,
        language: Annotated[str | None, LANGUAGE] = None,
    ) -> Partner | None:
        spoken = checked(language)
        found = await rows(
            info.context.listing.partners().filter(slug=slug), PARTNER_COLUMNS
        )
        if not found:
            return None
        partner = Partner.from_model(found[0], spoken)
        await prepare_partners([partner], info, ())
        return partner

    @strawberry.field(description="Programs of publicly listed partners, A to Z.")
    async def programs(
        self,
        info: Info,
        filter: PartnerFilter | None = None,
        first: int = PAGE_SIZE_DEFAULT,
        after: str | None = None,
        language: Annotated[str | None, LANGUAGE] = None,
    ) -> Connection[Program]:
        spoken = checked(language)
        wanted = info.context.engine.selected(info, NODES_OF_EDGES)
        return await paginate(
            listed_programs(info.context.listing, filter),
            lambda row: Program.from_model(row, spoken),
            first,
            after,
            plain=Plain(
                ("programs", info.context.day, repr(filter)),
                program_columns(wanted.fields, spoken),
                ProgramRow,
            ),
            prepare=lambda nodes: prepare_programs_for(nodes, info, wanted),
        )

    @strawberry.field(
        description="Each program of a publicly listed partner at each school site "
        "it runs at, by program A to Z, then school A to Z."
    )
    async def program_sites(
        self,
        info: Info,
        filter: PartnerFilter | None = None,
        first: int = PAGE_SIZE_DEFAULT,
        after: str | None = None,
        language: Annotated[str | None, LANGUAGE] = None,
    ) -> Connection[ProgramSite]:
        spoken = checked(language)
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
        shown = window[:first]
        keys = list(dict.fromkeys(program for program, _ in shown))
        found = await rows(
            info.context.listing.programs().filter(id__in=keys), PROGRAM_COLUMNS
        )
        programs = {row.id: Program.from_model(row, spoken) for row in found}
        await prepare_programs(
            list(programs.values()), info, (*NODES_OF_EDGES, "program")
        )
        sites = info.context.vocabulary[spoken].school_sites
        nodes = [
            ProgramSite(program=programs[p], school_site=sites.by_id[s])
            for p, s in shown
        ]

        async def loaded() -> list[ProgramSite]:
            return nodes

        async def count() -> int:
            return await pairs.count()  # the join's rows: one a pair

        return connection(len(nodes), start, len(window) > first, loaded, count)

    @strawberry.field(description="The four partnership categories.")
    def categories(
        self, info: Info, language: Annotated[str | None, LANGUAGE] = None
    ) -> list[Category]:
        return info.context.vocabulary[checked(language)].categories.all()

    @strawberry.field(description="Every service type, with its listed partners.")
    def service_types(
        self, info: Info, language: Annotated[str | None, LANGUAGE] = None
    ) -> list[ServiceType]:
        return info.context.vocabulary[checked(language)].service_types.all()

    @strawberry.field(description="Languages programs are offered in.")
    def languages(self, info: Info) -> list[Language]:
        return info.context.vocabulary[SOURCE].languages.all()

    @strawberry.field(description="The district's school sites, A to Z.")
    def school_sites(
        self, info: Info, language: Annotated[str | None, LANGUAGE] = None
    ) -> list[SchoolSite]:
        return info.context.vocabulary[checked(language)].school_sites.all()

    @strawberry.field(
        permission_classes=[IsStaff],
        description="Staff-only records. Needs Authorization: Bearer <staff token>.",
    )
    def staff(self) -> StaffQuery | None:
        return StaffQuery()

    @strawberry.field(
        description="What these answers are true for: the day, the data's revision, "
        "and the last day they hold."
    )
    async def listing(self, info: Info) -> ListingState:
        return await ListingState.of(info.context.listing)

    listing_changes: ListingChanges = strawberry.field(
        resolver=listing_changes,
        description="The public listing's change log: partners added, updated and "
        "removed, oldest first, including those a contract's end removed at "
        "midnight. A mirror applies it from its last cursor and holds exactly the "
        "listed set.",
    )

    @strawberry.field(description="A school site by its slug.")
    def school_site(
        self,
        info: Info,
        slug: str,
        language: Annotated[str | None, LANGUAGE] = None,
    ) -> SchoolSite | None:
        return info.context.vocabulary[checked(language)].school_sites.slugged(slug)


# Run documents through api.execution.run, which adds the limits, the caches and
# the error handling; the schema itself carries no extensions.
schema = strawberry.Schema(query=Query, mutation=Mutation)
