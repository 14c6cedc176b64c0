"""Mutations on the office's records of a partner: agreements (record, renew,
end), and evaluation training and technical assistance."""

from datetime import date, timedelta

import strawberry

import models as m
from api.context import Info
from api.inputs import AgreementInput, SupportRecordInput
from api.mutations.writes import Payload, failed, labels, provided, refused, write
from api.permissions import EDITORS
from api.staff_types import Agreement, FieldError, SupportRecord
from models.validation import KEY_MAX, LATEST, Checker, check_support, parse_key


async def _agreement(id: strawberry.ID) -> m.Agreement | list[FieldError]:
    """The agreement `id` names, or why there is none."""
    key = parse_key(str(id))
    if key is None:
        return refused(
            "id", f"must be an agreement's id, a whole number from 1 to {KEY_MAX}"
        )
    found = await m.Agreement.get_or_none(id=key).prefetch_related("partner", "program")
    return found if found is not None else refused("id", f"no agreement {id!r}")


async def _fetched(row: m.Agreement, info: Info) -> Agreement:
    await row.fetch_related("partner", "program")
    return Agreement.from_model(row, info.context.day)


@strawberry.type
class AgreementMutations:
    @strawberry.mutation(
        permission_classes=EDITORS,
        description="Record a contract, data-sharing agreement or insurance "
        "certificate.",
    )
    async def record_agreement(
        self, info: Info, partner: str, input: AgreementInput
    ) -> Payload[Agreement]:
        owner = await m.Partner.get_or_none(slug=partner)
        if owner is None:
            return Payload(
                record=None, errors=refused("partner", f"no partner {partner!r}")
            )
        values = provided(input)
        label = labels("input")
        checker = Checker()
        for name in ("kind", "starts_on", "ends_on"):
            if values.get(name) is None:
                checker.add(label(name), "is required")
        checker.dates(
            label("starts_on"),
            values.get("starts_on"),
            label("ends_on"),
            values.get("ends_on"),
        )
        checker.text(label("reference"), values.get("reference"), max_length=60)
        checker.text(
            label("notes"), values.get("notes"), max_length=5000, multiline=True
        )
        if program := values.pop("program", None):
            row = await m.Program.get_or_none(slug=program, partner_id=owner.id)
            if row is None:
                checker.add(label("program"), f"{partner} has no program {program!r}")
            values["program_id"] = row.id if row else None
        if checker.problems:
            return Payload(record=None, errors=failed(checker))
        values.setdefault("status", m.AgreementStatus.ACTIVE)
        values = {k: v for k, v in values.items() if v is not None}
        agreement = m.Agreement(partner_id=owner.id)
        if errors := await write(info, "agreement.record", agreement, values):
            return Payload(record=None, errors=errors)
        return Payload(record=await _fetched(agreement, info), errors=[])

    @strawberry.mutation(
        permission_classes=EDITORS,
        description="Renew an agreement: a new one of the same kind that starts the "
        "day after this one ends (or on startsOn) and runs to endsOn.",
    )
    async def renew_agreement(
        self,
        info: Info,
        id: strawberry.ID,
        ends_on: date,
        starts_on: date | None = None,
        reference: str | None = None,
    ) -> Payload[Agreement]:
        old = await _agreement(id)
        if isinstance(old, list):
            return Payload(record=None, errors=old)
        checker = Checker()
        if starts_on is None and old.ends_on >= LATEST:
            checker.add("id", f"ends on {old.ends_on.isoformat()}: nothing to renew")
            return Payload(record=None, errors=failed(checker))
        start = starts_on or old.ends_on + timedelta(days=1)
        checker.dates("startsOn", start, "endsOn", ends_on)
        checker.text("reference", reference, max_length=60)
        if checker.problems:
            return Payload(record=None, errors=failed(checker))
        new = m.Agreement(partner_id=old.partner_id, program_id=old.program_id)
        values = {
            "kind": old.kind,
            "status": m.AgreementStatus.ACTIVE,
            "starts_on": start,
            "ends_on": ends_on,
            "reference": reference if reference is not None else old.reference,
        }
        if errors := await write(
            info, "agreement.renew", new, values, reason=f"renews agreement {old.id}"
        ):
            return Payload(record=None, errors=errors)
        return Payload(record=await _fetched(new, info), errors=[])

    @strawberry.mutation(
        permission_classes=EDITORS,
        description="End an agreement before its last day, with a reason.",
    )
    async def end_agreement(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> Payload[Agreement]:
        row = await _agreement(id)
        if isinstance(row, list):
            return Payload(record=None, errors=row)
        checker = Checker()
        checker.text("reason", reason, max_length=500, required=True)
        if row.status == m.AgreementStatus.ENDED:
            checker.add("id", "has already ended")
        if checker.problems:
            return Payload(record=None, errors=failed(checker))
        values = {"status": m.AgreementStatus.ENDED}
        if errors := await write(info, "agreement.end", row, values, reason=reason):
            return Payload(record=None, errors=errors)
        return Payload(record=Agreement.from_model(row, info.context.day), errors=[])

    @strawberry.mutation(
        permission_classes=EDITORS,
        description="Record evaluation training or technical assistance the office "
        "gave a partner; it shows in the partner's history.",
    )
    async def record_support(
        self, info: Info, partner: str, input: SupportRecordInput
    ) -> Payload[SupportRecord]:
        owner = await m.Partner.get_or_none(slug=partner)
        if owner is None:
            return Payload(
                record=None, errors=refused("partner", f"no partner {partner!r}")
            )
        values = provided(input)
        checker = Checker()
        check_support(checker, values, labels("input"))
        if checker.problems:
            return Payload(record=None, errors=failed(checker))
        record = m.SupportRecord(partner_id=owner.id)
        values = {k: v for k, v in values.items() if v is not None}
        if errors := await write(info, "support.record", record, values):
            return Payload(record=None, errors=errors)
        return Payload(record=SupportRecord.from_model(record), errors=[])
