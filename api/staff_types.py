"""Staff-only GraphQL types: partners in any status, agreements, the audit trail."""

import json
from datetime import date, datetime
from typing import Self

import strawberry

import models as m
from api.context import Info
from api.enums import (
    AgreementKind,
    AgreementStatus,
    ApplicationState,
    PartnerStatus,
    SupportKind,
)
from api.types import Address, PartnerProfile


@strawberry.type(description="Something wrong with one input field.")
class FieldError:
    field: str = strawberry.field(description='Where, e.g. "input.website".')
    message: str


@strawberry.type(
    description="A contract, data-sharing agreement or insurance certificate."
)
class Agreement:
    id: strawberry.ID
    kind: AgreementKind
    status: AgreementStatus
    starts_on: date
    ends_on: date
    reference: str
    notes: str
    partner_slug: str
    program_slug: str | None = strawberry.field(
        description="The program it covers, if only one."
    )
    days_left: int | None = strawberry.field(
        description="Days from today to its last day; null once it has ended."
    )
    in_force: bool = strawberry.field(description="Active and covering today.")

    @classmethod
    def from_model(cls, row: m.Agreement, day: date) -> Self:
        """`row` comes with its partner and program fetched; `day` is the request's."""
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=row.kind,
            status=row.status,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            reference=row.reference,
            notes=row.notes,
            partner_slug=row.partner.slug,
            program_slug=row.program.slug if row.program else None,
            days_left=row.days_left(day),
            in_force=row.covers(day),
        )


@strawberry.type(
    description="Evaluation training or technical assistance the office gave a "
    "partner (staff only)."
)
class SupportRecord:
    id: strawberry.ID
    kind: SupportKind
    held_on: date
    topic: str
    staff: str = strawberry.field(description="Who from the office gave it.")
    notes: str

    @classmethod
    def from_model(cls, row: m.SupportRecord) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=row.kind,
            held_on=row.held_on,
            topic=row.topic,
            staff=row.staff,
            notes=row.notes,
        )


@strawberry.type(description="One recorded change.")
class AuditEntry:
    at: datetime
    actor: str = strawberry.field(description="The name of the token that made it.")
    action: str
    entity: str
    entity_key: str
    changes: str = strawberry.field(
        description='JSON: {"field": [old, new], ...}, keys sorted.'
    )
    reason: str
    partner_key: strawberry.Private[int | None]

    @strawberry.field(
        description="The slug of the partner it concerns (now), if it concerns one."
    )
    async def partner(self, info: Info) -> str | None:
        if self.partner_key is None:
            return None
        row = await info.context.loaders.partners.load(self.partner_key)
        return str(row.slug) if row is not None else None

    @classmethod
    def from_model(cls, row: m.AuditEntry) -> Self:
        return cls(
            at=row.at,
            actor=row.actor,
            action=row.action,
            entity=row.entity,
            entity_key=row.entity_key,
            changes=json.dumps(row.changes, sort_keys=True, ensure_ascii=False),
            reason=row.reason,
            partner_key=row.partner_key,
        )


@strawberry.type(
    description="A partner as the office sees it: any status, every field."
)
class StaffPartner(PartnerProfile):
    address: Address = strawberry.field(description="Even when kept confidential.")
    status: PartnerStatus
    status_reason: str
    internal_notes: str

    @strawberry.field(description="Whether the public sees it today.")
    async def listed(self, info: Info) -> bool:
        return await info.context.loaders.listed_partner.load(self.row_id) is not None

    @strawberry.field
    async def agreements(self, info: Info) -> list[Agreement]:
        rows = await info.context.loaders.agreements.load(self.row_id)
        return [Agreement.from_model(row, info.context.day) for row in rows]

    @strawberry.field(
        description="Evaluation training and technical assistance, newest first."
    )
    async def support_records(self, info: Info) -> list[SupportRecord]:
        rows = await info.context.loaders.support_records.load(self.row_id)
        return [SupportRecord.from_model(row) for row in rows]

    @strawberry.field(description="The latest evaluation training, if any.")
    async def latest_evaluation_training(self, info: Info) -> SupportRecord | None:
        return await self._latest(info, m.SupportKind.EVALUATION_TRAINING)

    @strawberry.field(description="The latest technical assistance, if any.")
    async def latest_technical_assistance(self, info: Info) -> SupportRecord | None:
        return await self._latest(info, m.SupportKind.TECHNICAL_ASSISTANCE)

    async def _latest(self, info: Info, kind: m.SupportKind) -> SupportRecord | None:
        rows = await info.context.loaders.support_records.load(self.row_id)
        found = next((row for row in rows if row.kind == kind), None)
        return SupportRecord.from_model(found) if found else None

    @strawberry.field(
        description="Changes to this partner, its programs, agreements and records, "
        "newest first; kept across a change of slug."
    )
    async def history(self, info: Info) -> list[AuditEntry]:
        rows = await info.context.loaders.histories.load(self.row_id)
        return [AuditEntry.from_model(row) for row in rows]

    @classmethod
    def from_model(cls, row: m.Partner) -> Self:
        return cls(
            address=Address.of(row),
            status=row.status,
            status_reason=row.status_reason,
            internal_notes=row.internal_notes,
            **cls.profile(row),
        )


@strawberry.type(description="An application to become a partner.")
class Application:
    id: strawberry.ID
    state: ApplicationState
    partner: StaffPartner = strawberry.field(
        description="The partner it made: APPLIED until the office approves it."
    )
    contact_name: str
    contact_email: str
    contact_phone: str
    attestations: list[str]
    language: str = strawberry.field(description="The language the applicant reads.")
    submitted_at: datetime
    decided_at: datetime | None
    decided_by: str
    decision_reason: str

    @classmethod
    def from_model(cls, row: m.Application) -> Self:
        """`row` comes with its partner fetched."""
        return cls(
            id=strawberry.ID(str(row.id)),
            state=row.state,
            partner=StaffPartner.from_model(row.partner),
            contact_name=row.contact_name,
            contact_email=row.contact_email,
            contact_phone=row.contact_phone,
            attestations=list(row.attestations),
            language=row.language,
            submitted_at=row.submitted_at,
            decided_at=row.decided_at,
            decided_by=row.decided_by,
            decision_reason=row.decision_reason,
        )


@strawberry.type(description="One field a proposal changes: as it is, as proposed.")
class FieldDifference:
    field: str = strawberry.field(
        description='Where: "phone", "translations.es.summary", '
        '"programs.homework-help.sessions".'
    )
    before: str
    after: str
