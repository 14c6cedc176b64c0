"""The GraphQL schema: public queries over listed partners, staff reads behind
`staff`, and staff mutations."""

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from api.changes import ListingChanges, listing_changes
from api.columns import PARTNER_COLUMNS, rows
from api.connections import (
    NODES,
    PARTNERS,
    PROGRAMS,
    connection_field,
    read_program_sites,
)
from api.context import Info
from api.errors import UserInputError
from api.invitations import InvitedRecord, invited_record
from api.listing_state import ListingState
from api.mutations import Mutation
from api.pagination import Connection
from api.permissions import IsStaff
from api.prefetch import prepare_partners
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

    partners = connection_field(
        PARTNERS.read, Connection[Partner], "Publicly listed partners, A to Z."
    )

    @strawberry.field(
        description="A partner's own public facts, for the key of the private link "
        "the office sent it (what its update form shows); null when the key opens "
        "nothing now (unknown, used or expired). Never cached."
    )
    async def invitation(self, key: str) -> InvitedRecord | None:
        return await invited_record(key)

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

    programs = connection_field(
        PROGRAMS.read,
        Connection[Program],
        "Programs of publicly listed partners, A to Z.",
    )

    program_sites = connection_field(
        read_program_sites,
        Connection[ProgramSite],
        "Each program of a publicly listed partner at each school site it runs at, "
        "by program A to Z, then school A to Z.",
    )

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
