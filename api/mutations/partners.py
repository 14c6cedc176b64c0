"""Mutations on partners: create, update, set status."""

import strawberry

import models as m
from api.context import Info
from api.enums import PartnerStatus
from api.inputs import PartnerInput
from api.mutations.writes import (
    Payload,
    check_slug_free,
    failed,
    labels,
    lookup,
    provided,
    refused,
    translated,
    write,
)
from api.permissions import EDITORS
from api.staff_types import StaffPartner
from models.validation import Checker, check_partner


async def _checked(
    values: dict[str, object], partner: m.Partner | None
) -> tuple[Checker, list[m.Category] | None]:
    checker = Checker()
    check_partner(checker, values, labels("input"), creating=partner is None)
    current = partner.translations if partner else {}
    translated(checker, values, current, ("name", "summary", "description"))
    categories = None
    if "categories" in values:
        wanted = values.pop("categories") or []
        assert isinstance(wanted, list)
        categories = await lookup(
            checker, "input.categories", m.Category, "slug", wanted
        )
    if partner is not None and "status" in values:
        checker.add("input.status", "use setPartnerStatus, which records a reason")
    await check_slug_free(
        checker, m.Partner, values.get("slug"), partner.slug if partner else None
    )
    return checker, categories


@strawberry.type
class PartnerMutations:
    @strawberry.mutation(permission_classes=EDITORS, description="Add a partner.")
    async def create_partner(
        self, info: Info, input: PartnerInput
    ) -> Payload[StaffPartner]:
        values = provided(input)
        checker, categories = await _checked(values, None)
        if checker.problems:
            return Payload(record=None, errors=failed(checker))
        values.setdefault("status", m.PartnerStatus.APPLIED)
        partner = m.Partner()
        relations = {"categories": list(categories or [])}
        if errors := await write(info, "partner.create", partner, values, relations):
            return Payload(record=None, errors=errors)
        return Payload(record=StaffPartner.from_model(partner), errors=[])

    @strawberry.mutation(
        permission_classes=EDITORS,
        description="Change a partner's fields; fields left out stay as they are.",
    )
    async def update_partner(
        self, info: Info, slug: str, input: PartnerInput
    ) -> Payload[StaffPartner]:
        partner = await m.Partner.get_or_none(slug=slug)
        if partner is None:
            return Payload(record=None, errors=refused("slug", f"no partner {slug!r}"))
        values = provided(input)
        checker, categories = await _checked(values, partner)
        if checker.problems:
            return Payload(record=None, errors=failed(checker))
        relations = {} if categories is None else {"categories": list(categories)}
        if errors := await write(info, "partner.update", partner, values, relations):
            return Payload(record=None, errors=errors)
        return Payload(record=StaffPartner.from_model(partner), errors=[])

    @strawberry.mutation(
        permission_classes=EDITORS,
        description="Approve, suspend, deactivate or reopen a partner, with a reason.",
    )
    async def set_partner_status(
        self,
        info: Info,
        slug: str,
        status: PartnerStatus,
        reason: str,
    ) -> Payload[StaffPartner]:
        partner = await m.Partner.get_or_none(slug=slug)
        if partner is None:
            return Payload(record=None, errors=refused("slug", f"no partner {slug!r}"))
        checker = Checker()
        checker.text("reason", reason, max_length=500, required=True)
        if checker.problems:
            return Payload(record=None, errors=failed(checker))
        values = {"status": status, "status_reason": reason}
        if errors := await write(
            info, "partner.status", partner, values, reason=reason
        ):
            return Payload(record=None, errors=errors)
        return Payload(record=StaffPartner.from_model(partner), errors=[])
