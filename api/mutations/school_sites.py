"""Mutations on school sites: create, update."""

from typing import Any

import strawberry

import models as m
from api.context import Info
from api.inputs import SchoolSiteInput
from api.mutations.writes import (
    Payload,
    Records,
    Relations,
    check_slug_free,
    labels,
)
from api.permissions import EDITORS
from api.types import SchoolSite
from models.validation import Checker, check_address, check_named

REQUIRED = ("level", "grade_min", "grade_max", "street", "city", "postal_code")


async def _checked(
    checker: Checker, values: dict[str, Any], site: m.SchoolSite, creating: bool
) -> Relations:
    """A new site needs its level, grades and address; grades are checked as
    they will stand, the given one with the other kept."""
    label = labels("input")
    check_named(checker, values, label, creating=creating)
    check_address(checker, values, label)
    if "phone" in values:
        checker.phone(label("phone"), values["phone"])
    for name in REQUIRED if creating else ():
        if values.get(name) in (None, ""):
            checker.add(label(name), "is required")
    low = values.get("grade_min", site.grade_min)
    high = values.get("grade_max", site.grade_max)
    checker.grades(label("grade_min"), low, label("grade_max"), high)
    await check_slug_free(checker, m.SchoolSite, values.get("slug"), site.slug)
    return {}


SCHOOL_SITES = Records(m.SchoolSite, _checked, SchoolSite.from_model)


@strawberry.type
class SchoolSiteMutations:
    @strawberry.mutation(permission_classes=EDITORS, description="Add a school site.")
    async def create_school_site(
        self, info: Info, input: SchoolSiteInput
    ) -> Payload[SchoolSite]:
        return await SCHOOL_SITES.create(info, "school_site.create", input)

    @strawberry.mutation(
        permission_classes=EDITORS, description="Change a school site."
    )
    async def update_school_site(
        self, info: Info, slug: str, input: SchoolSiteInput
    ) -> Payload[SchoolSite]:
        return await SCHOOL_SITES.update(info, "school_site.update", slug, input)
