"""Mutations on partners: create, update, set status."""

from collections.abc import Sequence
from typing import Any

import strawberry
from tortoise.models import Model

import models as m
from api.context import Info
from api.enums import PartnerStatus
from api.inputs import PartnerInput
from api.mutations.writes import (
    Payload,
    Records,
    Relations,
    check_slug_free,
    find,
    labels,
    lookup,
    translated,
)
from api.permissions import EDITORS
from api.staff_types import StaffPartner
from models.validation import Checker, check_partner


async def _checked(
    checker: Checker, values: dict[str, Any], partner: m.Partner, creating: bool
) -> Relations:
    """A new partner starts as applied, with the categories given or none; its
    status changes only through setPartnerStatus, which records a reason."""
    check_partner(checker, values, labels("input"), creating=creating)
    fields = ("name", "summary", "description")
    translated(checker, values, partner.translations, fields)
    relations: dict[str, Sequence[Model]] = {"categories": []} if creating else {}
    if "categories" in values:
        wanted = values.pop("categories") or []
        relations["categories"] = await lookup(
            checker, "input.categories", m.Category, "slug", wanted
        )
    if not creating and "status" in values:
        checker.add("input.status", "use setPartnerStatus, which records a reason")
    await check_slug_free(checker, m.Partner, values.get("slug"), partner.slug)
    if creating:
        values.setdefault("status", m.PartnerStatus.APPLIED)
    return relations


PARTNERS = Records(m.Partner, _checked, StaffPartner.from_model)


@strawberry.type
class PartnerMutations:
    @strawberry.mutation(permission_classes=EDITORS, description="Add a partner.")
    async def create_partner(
        self, info: Info, input: PartnerInput
    ) -> Payload[StaffPartner]:
        return await PARTNERS.create(info, "partner.create", input)

    @strawberry.mutation(
        permission_classes=EDITORS,
        description="Change a partner's fields; fields left out stay as they are.",
    )
    async def update_partner(
        self, info: Info, slug: str, input: PartnerInput
    ) -> Payload[StaffPartner]:
        return await PARTNERS.update(info, "partner.update", slug, input)

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
        partner = await find(m.Partner, "slug", slug)
        if isinstance(partner, list):
            return Payload(record=None, errors=partner)
        checker = Checker()
        checker.text("reason", reason, max_length=500, required=True)
        values = {"status": status, "status_reason": reason}
        return await PARTNERS.save(
            info, "partner.status", partner, values, checker, reason=reason
        )
