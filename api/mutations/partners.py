"""Mutations on partners: create, update, set status."""

import strawberry
from strawberry.permission import BasePermission

import models as m
from api.auth import IsEditor, actor
from api.context import Info
from api.inputs import PartnerInput
from api.mutations.writes import (
    Payload,
    failed,
    labels,
    lookup,
    provided,
    refused,
)
from api.staff_types import PartnerStatus, StaffPartner
from models.audit import save
from models.validation import Checker, check_partner

EDITORS: list[type[BasePermission]] = [IsEditor]


async def _checked(
    values: dict[str, object], creating: bool
) -> tuple[Checker, list[m.Category] | None]:
    checker = Checker()
    check_partner(checker, values, labels("input"), creating)
    categories = None
    if "categories" in values:
        wanted = values.pop("categories") or []
        assert isinstance(wanted, list)
        categories = await lookup(
            checker, "input.categories", m.Category, "slug", wanted
        )
    return checker, categories


@strawberry.type
class PartnerMutations:
    @strawberry.mutation(permission_classes=EDITORS, description="Add a partner.")
    async def create_partner(
        self, info: Info, input: PartnerInput
    ) -> Payload[StaffPartner]:
        values = provided(input)
        checker, categories = await _checked(values, creating=True)
        if await m.Partner.exists(slug=values.get("slug")):
            checker.add("input.slug", "is already used by another partner")
        if checker.problems:
            return Payload(record=None, errors=failed(checker))
        values.setdefault("status", m.PartnerStatus.APPLIED)
        partner = m.Partner()
        await save(
            actor(info),
            "partner.create",
            partner,
            values,
            {"categories": list(categories or [])},
        )
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
        checker, categories = await _checked(values, creating=False)
        if "status" in values:
            checker.add("input.status", "use setPartnerStatus, which records a reason")
        if values.get("slug", slug) != slug and await m.Partner.exists(
            slug=values["slug"]
        ):
            checker.add("input.slug", "is already used by another partner")
        if checker.problems:
            return Payload(record=None, errors=failed(checker))
        relations = {} if categories is None else {"categories": list(categories)}
        await save(actor(info), "partner.update", partner, values, relations)
        return Payload(record=StaffPartner.from_model(partner), errors=[])

    @strawberry.mutation(
        permission_classes=EDITORS,
        description="Approve, suspend, deactivate or reopen a partner, with a reason.",
    )
    async def set_partner_status(
        self,
        info: Info,
        slug: str,
        status: PartnerStatus,  # type: ignore[valid-type]
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
        await save(actor(info), "partner.status", partner, values, reason=reason)
        return Payload(record=StaffPartner.from_model(partner), errors=[])
