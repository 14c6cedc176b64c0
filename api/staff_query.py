"""Staff-only reads, behind `Query.staff`: everything the office keeps."""

from datetime import timedelta
from typing import Annotated

import strawberry
from tortoise.expressions import Subquery

import models as m
from api.context import Info
from api.enums import (
    AgreementKind,
    AgreementStatus,
    ApplicationState,
    PartnerStatus,
    ProposalState,
)
from api.errors import UserInputError
from api.filters import PartnerFilter, matching_partners
from api.mutations.proposals import Proposal
from api.pagination import PAGE_SIZE_DEFAULT, Connection, paginate
from api.staff_types import Agreement, Application, AuditEntry, StaffPartner
from models.application import WAITING
from models.reminders import lapsing

MAX_DAYS_AHEAD = 366


def _days(within_days: int) -> timedelta:
    if not 1 <= within_days <= MAX_DAYS_AHEAD:
        raise UserInputError(
            f"withinDays must be between 1 and {MAX_DAYS_AHEAD}, got {within_days}",
            argument="withinDays",
        )
    return timedelta(days=within_days)


@strawberry.type(description="What only the partnerships office sees.")
class StaffQuery:
    @strawberry.field(description="Partners in any status, A to Z.")
    async def partners(
        self,
        info: Info,
        statuses: list[PartnerStatus] | None = None,
        filter: PartnerFilter | None = None,
        first: int = PAGE_SIZE_DEFAULT,
        after: str | None = None,
    ) -> Connection[StaffPartner]:
        partners = m.Partner.all()
        if statuses is not None:
            partners = partners.filter(status__in=statuses)
        return await paginate(
            matching_partners(partners, filter, info.context.listing.day),
            StaffPartner.from_model,
            first,
            after,
        )

    @strawberry.field(description="Any partner by its slug.")
    async def partner(self, slug: str) -> StaffPartner | None:
        row = await m.Partner.get_or_none(slug=slug)
        return StaffPartner.from_model(row) if row else None

    @strawberry.field(description="Agreements, by partner, kind and status.")
    async def agreements(
        self,
        info: Info,
        partner: str | None = None,
        kinds: list[AgreementKind] | None = None,
        statuses: list[AgreementStatus] | None = None,
        first: int = PAGE_SIZE_DEFAULT,
        after: str | None = None,
    ) -> Connection[Agreement]:
        rows = m.Agreement.all().prefetch_related("partner", "program")
        if partner is not None:
            rows = rows.filter(partner__slug=partner)
        if kinds is not None:
            rows = rows.filter(kind__in=kinds)
        if statuses is not None:
            rows = rows.filter(status__in=statuses)
        day = info.context.day
        return await paginate(
            rows, lambda row: Agreement.from_model(row, day), first, after
        )

    @strawberry.field(
        description="Active agreements whose last day falls within the next N days, "
        "soonest first."
    )
    async def expiring_agreements(
        self, info: Info, within_days: int = 30
    ) -> list[Agreement]:
        day = info.context.day
        rows = (
            await m.Agreement.in_force(day)
            .filter(ends_on__lt=day + _days(within_days))
            .order_by("ends_on", "id")
            .prefetch_related("partner", "program")
        )
        return [Agreement.from_model(row, day) for row in rows]

    @strawberry.field(
        description="Partners listed today that will drop out of the public directory "
        "within the next N days unless an agreement is renewed."
    )
    async def lapsing_partners(
        self, info: Info, within_days: int = 30
    ) -> list[StaffPartner]:
        drops = await lapsing(info.context.listing.day, _days(within_days).days)
        rows = await m.Partner.filter(id__in=sorted(drops)) if drops else []
        return [StaffPartner.from_model(row) for row in rows]

    @strawberry.field(
        description="Applications to become a partner, newest first: by default "
        "those waiting for the office (new, or changes asked)."
    )
    async def applications(
        self,
        states: list[ApplicationState] | None = None,
        first: int = PAGE_SIZE_DEFAULT,
        after: str | None = None,
    ) -> Connection[Application]:
        wanted = states if states is not None else list(WAITING)
        rows = m.Application.filter(state__in=wanted).prefetch_related("partner")
        return await paginate(rows, Application.from_model, first, after)

    @strawberry.field(
        description="Partners' proposed changes (by default those waiting), newest "
        "first, each as the differences it would make now."
    )
    async def proposals(
        self,
        states: list[ProposalState] | None = None,
        first: int = PAGE_SIZE_DEFAULT,
        after: str | None = None,
    ) -> Connection[Proposal]:
        wanted = states if states is not None else [m.ProposalState.PENDING]
        rows = m.Proposal.filter(state__in=wanted).prefetch_related("partner")
        return await paginate(rows, Proposal.from_model, first, after)

    @strawberry.field(description="Every recorded change, newest first.")
    async def audit_log(
        self,
        entity: str | None = None,
        key: str | None = None,
        first: int = PAGE_SIZE_DEFAULT,
        after: str | None = None,
        partner: Annotated[
            str | None,
            strawberry.argument(
                description="Only changes that concern this partner (its slug now), "
                "its programs, agreements and records."
            ),
        ] = None,
    ) -> Connection[AuditEntry]:
        rows = m.AuditEntry.all()
        if entity is not None:
            rows = rows.filter(entity=entity)
        if key is not None:
            rows = rows.filter(entity_key=key)
        if partner is not None:
            owner = m.Partner.filter(slug=partner).values("id")
            rows = rows.filter(partner_key__in=Subquery(owner))
        return await paginate(rows, AuditEntry.from_model, first, after)
