"""The GraphQL schema: public queries over listed partners, staff reads behind
`staff`, and staff mutations."""

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

import models as m
from api.context import Info
from api.errors import UserInputError
from api.filters import PartnerFilter, listed_partners, listed_programs
from api.listing_state import ListingState
from api.mutations import Mutation
from api.pagination import PAGE_SIZE_DEFAULT, Connection, paginate
from api.permissions import IsStaff
from api.staff_query import StaffQuery
from api.types import Category, Language, Partner, Program, SchoolSite, ServiceType

NODES = frozenset({"Partner", "Program", "SchoolSite"})


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
    ) -> Connection[Partner]:
        rows = listed_partners(info.context.listing, filter)
        return await paginate(rows, Partner.from_model, first, after)

    @strawberry.field(description="A publicly listed partner by its slug.")
    async def partner(self, info: Info, slug: str) -> Partner | None:
        row = await info.context.listing.partners().get_or_none(slug=slug)
        return Partner.from_model(row) if row else None

    @strawberry.field(description="Programs of publicly listed partners, A to Z.")
    async def programs(
        self,
        info: Info,
        filter: PartnerFilter | None = None,
        first: int = PAGE_SIZE_DEFAULT,
        after: str | None = None,
    ) -> Connection[Program]:
        rows = listed_programs(info.context.listing, filter)
        return await paginate(rows, Program.from_model, first, after)

    @strawberry.field(description="The four partnership categories.")
    async def categories(self) -> list[Category]:
        return [Category.from_model(row) for row in await m.Category.all()]

    @strawberry.field(description="Every service type, with its listed partners.")
    async def service_types(self) -> list[ServiceType]:
        return [ServiceType.from_model(row) for row in await m.ServiceType.all()]

    @strawberry.field(description="Languages programs are offered in.")
    async def languages(self) -> list[Language]:
        return [Language.from_model(row) for row in await m.Language.all()]

    @strawberry.field(description="The district's school sites, A to Z.")
    async def school_sites(self) -> list[SchoolSite]:
        return [SchoolSite.from_model(row) for row in await m.SchoolSite.all()]

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

    @strawberry.field(description="A school site by its slug.")
    async def school_site(self, slug: str) -> SchoolSite | None:
        row = await m.SchoolSite.get_or_none(slug=slug)
        return SchoolSite.from_model(row) if row else None


# Run documents through api.execution.run, which adds the limits, the caches and
# the error handling; the schema itself carries no extensions.
schema = strawberry.Schema(query=Query, mutation=Mutation)
