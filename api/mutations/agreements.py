"""Mutations on the office's records of a partner: agreements (record, renew,
end), and evaluation training and technical assistance."""

from datetime import date, timedelta
from typing import Any

import strawberry

import models as m
from api.context import Info
from api.inputs import AgreementInput, SupportRecordInput
from api.mutations.writes import Payload, Records, Relations, labels, refused
from api.permissions import EDITORS
from api.staff_types import Agreement, FieldError, SupportRecord
from models.validation import KEY_MAX, LATEST, Checker, check_support, parse_key


async def _find(id: strawberry.ID) -> m.Agreement | list[FieldError]:
    """The agreement `id` names, or why there is none."""
    key = parse_key(str(id))
    if key is None:
        return refused(
            "id", f"must be an agreement's id, a whole number from 1 to {KEY_MAX}"
        )
    found = await m.Agreement.get_or_none(id=key)
    return found if found is not None else refused("id", f"no agreement {id!r}")


def _drop_nulls(values: dict[str, Any]) -> None:
    """Fields given as null are left out: a new record takes its defaults."""
    for name in [name for name, value in values.items() if value is None]:
        del values[name]


async def _checked_agreement(
    checker: Checker, values: dict[str, Any], agreement: m.Agreement, creating: bool
) -> Relations:
    """A program named must be one of the agreement's partner's."""
    label = labels("input")
    for name in ("kind", "starts_on", "ends_on"):
        if values.get(name) is None:
            checker.add(label(name), "is required")
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    checker.dates(label("starts_on"), starts_on, label("ends_on"), ends_on)
    checker.text(label("reference"), values.get("reference"), max_length=60)
    notes = values.get("notes")
    checker.text(label("notes"), notes, max_length=5000, multiline=True)
    if program := values.pop("program", None):
        owner = agreement.partner
        row = await m.Program.get_or_none(slug=program, partner_id=owner.id)
        if row is None:
            checker.add(label("program"), f"{owner.slug} has no program {program!r}")
        values["program_id"] = row.id if row else None
    values.setdefault("status", m.AgreementStatus.ACTIVE)
    _drop_nulls(values)
    return {}


async def _checked_support(
    checker: Checker, values: dict[str, Any], record: m.SupportRecord, creating: bool
) -> Relations:
    check_support(checker, values, labels("input"))
    _drop_nulls(values)
    return {}


def _agreements(info: Info) -> Records[m.Agreement, Agreement]:
    """Agreements, answered as they stand on the request's day."""
    day = info.context.day
    return Records(
        m.Agreement,
        _checked_agreement,
        lambda row: Agreement.from_model(row, day),
        related=("partner", "program"),
    )


SUPPORT = Records(m.SupportRecord, _checked_support, SupportRecord.from_model)


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
        return await _agreements(info).create(info, "agreement.record", input, partner)

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
        old = await _find(id)
        if isinstance(old, list):
            return Payload(record=None, errors=old)
        if starts_on is None and old.ends_on >= LATEST:
            ends = old.ends_on.isoformat()
            return Payload(
                record=None, errors=refused("id", f"ends on {ends}: nothing to renew")
            )
        start = starts_on or old.ends_on + timedelta(days=1)
        checker = Checker()
        checker.dates("startsOn", start, "endsOn", ends_on)
        checker.text("reference", reference, max_length=60)
        new = m.Agreement(partner_id=old.partner_id, program_id=old.program_id)
        values = {
            "kind": old.kind,
            "status": m.AgreementStatus.ACTIVE,
            "starts_on": start,
            "ends_on": ends_on,
            "reference": reference if reference is not None else old.reference,
        }
        why = f"renews agreement {old.id}"
        return await _agreements(info).save(
            info, "agreement.renew", new, values, checker, reason=why
        )

    @strawberry.mutation(
        permission_classes=EDITORS,
        description="End an agreement before its last day, with a reason. endsOn, "
        'when given, records the day it ended ("as of last Friday"): today or '
        "earlier, not before it started nor after its last day; without it the dates "
        "stay as they are.",
    )
    async def end_agreement(
        self,
        info: Info,
        id: strawberry.ID,
        reason: str,
        ends_on: date | None = None,
    ) -> Payload[Agreement]:
        row = await _find(id)
        if isinstance(row, list):
            return Payload(record=None, errors=row)
        checker = Checker(today=info.context.day)
        checker.text("reason", reason, max_length=500, required=True)
        if row.status == m.AgreementStatus.ENDED:
            checker.add("id", "has already ended")
        values: dict[str, Any] = {"status": m.AgreementStatus.ENDED}
        if ends_on is not None:
            checker.past("endsOn", ends_on, "the day it ended")
            checker.dates("startsOn", row.starts_on, "endsOn", ends_on)
            if ends_on > row.ends_on:  # ending early never runs it longer
                checker.add(
                    "endsOn",
                    f"is after its last day ({row.ends_on.isoformat()}): "
                    "correctAgreement changes that",
                    ends_on,
                )
            values["ends_on"] = ends_on
        return await _agreements(info).save(
            info, "agreement.end", row, values, checker, reason=reason
        )

    @strawberry.mutation(
        permission_classes=EDITORS,
        description="Correct an agreement's dates or reference as recorded (a "
        "mistyped endsOn), with a reason; its status stays. The directory follows "
        "the corrected dates.",
    )
    async def correct_agreement(
        self,
        info: Info,
        id: strawberry.ID,
        reason: str,
        starts_on: date | None = None,
        ends_on: date | None = None,
        reference: str | None = None,
    ) -> Payload[Agreement]:
        row = await _find(id)
        if isinstance(row, list):
            return Payload(record=None, errors=row)
        checker = Checker(today=info.context.day)
        checker.text("reason", reason, max_length=500, required=True)
        given = {"starts_on": starts_on, "ends_on": ends_on, "reference": reference}
        values = {name: value for name, value in given.items() if value is not None}
        if not values:
            checker.add("id", "give startsOn, endsOn or reference to correct")
        checker.dates(
            "startsOn", starts_on or row.starts_on, "endsOn", ends_on or row.ends_on
        )
        checker.text("reference", reference, max_length=60)
        return await _agreements(info).save(
            info, "agreement.correct", row, values, checker, reason=reason
        )

    @strawberry.mutation(
        permission_classes=EDITORS,
        description="Record evaluation training or technical assistance the office "
        "gave a partner; it shows in the partner's history.",
    )
    async def record_support(
        self, info: Info, partner: str, input: SupportRecordInput
    ) -> Payload[SupportRecord]:
        return await SUPPORT.create(info, "support.record", input, partner)
