"""Mutations on school sites: create, update."""

import strawberry

import models as m
from api.context import Info
from api.inputs import SchoolSiteInput
from api.mutations.writes import (
    Payload,
    check_slug_free,
    failed,
    labels,
    provided,
    refused,
    write,
)
from api.permissions import EDITORS
from api.types import SchoolSite
from models.validation import Checker, check_address, check_named

REQUIRED = ("level", "grade_min", "grade_max", "street", "city", "postal_code")


async def _write(
    info: Info, site: m.SchoolSite | None, input: SchoolSiteInput
) -> Payload[SchoolSite]:
    values = provided(input)
    label = labels("input")
    checker = Checker()
    check_named(checker, values, label, creating=site is None)
    check_address(checker, values, label)
    if "phone" in values:
        checker.phone(label("phone"), values["phone"])
    for name in REQUIRED if site is None else ():
        if values.get(name) in (None, ""):
            checker.add(label(name), "is required")
    low = values.get("grade_min", site.grade_min if site else None)
    high = values.get("grade_max", site.grade_max if site else None)
    checker.grades(label("grade_min"), low, label("grade_max"), high)
    await check_slug_free(
        checker, m.SchoolSite, values.get("slug"), site.slug if site else None
    )
    if checker.problems:
        return Payload(record=None, errors=failed(checker))
    action = "school_site.create" if site is None else "school_site.update"
    row = site or m.SchoolSite()
    if errors := await write(info, action, row, values):
        return Payload(record=None, errors=errors)
    return Payload(record=SchoolSite.from_model(row), errors=[])


@strawberry.type
class SchoolSiteMutations:
    @strawberry.mutation(permission_classes=EDITORS, description="Add a school site.")
    async def create_school_site(
        self, info: Info, input: SchoolSiteInput
    ) -> Payload[SchoolSite]:
        return await _write(info, None, input)

    @strawberry.mutation(
        permission_classes=EDITORS, description="Change a school site."
    )
    async def update_school_site(
        self, info: Info, slug: str, input: SchoolSiteInput
    ) -> Payload[SchoolSite]:
        site = await m.SchoolSite.get_or_none(slug=slug)
        if site is None:
            return Payload(
                record=None, errors=refused("slug", f"no school site {slug!r}")
            )
        return await _write(info, site, input)
