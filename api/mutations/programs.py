"""Mutations on programs, school sites and service types."""

from typing import Any

import strawberry
from strawberry.permission import BasePermission
from tortoise.models import Model

import models as m
from api.auth import IsEditor, actor
from api.context import Info
from api.filters import Timing
from api.inputs import ProgramInput, SchoolSiteInput, ServiceTypeInput
from api.mutations.writes import (
    Payload,
    failed,
    labels,
    lookup,
    provided,
    refused,
)
from api.types import Program, SchoolSite, ServiceType
from models.audit import save
from models.validation import Checker, check_named, check_partner, check_program

EDITORS: list[type[BasePermission]] = [IsEditor]
RELATED: dict[str, tuple[type[Model], str, str]] = {
    # input field: (model, key column, relation on Program)
    "service_types": (m.ServiceType, "slug", "service_types"),
    "school_sites": (m.SchoolSite, "slug", "sites"),
    "languages": (m.Language, "code", "languages"),
}


async def _program_values(
    values: dict[str, Any], creating: bool, program: m.Program | None = None
) -> tuple[Checker, dict[str, list[Model]]]:
    checker = Checker()
    low = values.get("grade_min", program.grade_min if program else None)
    high = values.get("grade_max", program.grade_max if program else None)
    check_program(
        checker,
        {**values, "grade_min": low, "grade_max": high},
        labels("input"),
        creating,
    )
    relations: dict[str, list[Model]] = {}
    for name, (model, key, relation) in RELATED.items():
        if name in values:
            wanted = values.pop(name) or []
            field = labels("input")(name)
            relations[relation] = list(await lookup(checker, field, model, key, wanted))
    if "timing" in values:
        chosen = set(values.pop("timing") or [])
        values.update({t.value: t in chosen for t in Timing})
    return checker, relations


@strawberry.type
class ProgramMutations:
    @strawberry.mutation(permission_classes=EDITORS, description="Add a program.")
    async def create_program(
        self, info: Info, partner: str, input: ProgramInput
    ) -> Payload[Program]:
        owner = await m.Partner.get_or_none(slug=partner)
        if owner is None:
            return Payload(
                record=None, errors=refused("partner", f"no partner {partner!r}")
            )
        values = provided(input)
        checker, relations = await _program_values(values, creating=True)
        if await m.Program.exists(slug=values.get("slug")):
            checker.add("input.slug", "is already used by another program")
        if checker.problems:
            return Payload(record=None, errors=failed(checker))
        program = m.Program(partner_id=owner.id)
        await save(actor(info), "program.create", program, values, relations)
        return Payload(record=Program.from_model(program), errors=[])

    @strawberry.mutation(permission_classes=EDITORS, description="Change a program.")
    async def update_program(
        self, info: Info, slug: str, input: ProgramInput
    ) -> Payload[Program]:
        program = await m.Program.get_or_none(slug=slug)
        if program is None:
            return Payload(record=None, errors=refused("slug", f"no program {slug!r}"))
        values = provided(input)
        checker, relations = await _program_values(values, False, program)
        if values.get("slug", slug) != slug and await m.Program.exists(
            slug=values["slug"]
        ):
            checker.add("input.slug", "is already used by another program")
        if checker.problems:
            return Payload(record=None, errors=failed(checker))
        await save(actor(info), "program.update", program, values, relations)
        return Payload(record=Program.from_model(program), errors=[])

    @strawberry.mutation(permission_classes=EDITORS, description="Add a school site.")
    async def create_school_site(
        self, info: Info, input: SchoolSiteInput
    ) -> Payload[SchoolSite]:
        return await _write_site(info, None, input)

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
        return await _write_site(info, site, input)

    @strawberry.mutation(permission_classes=EDITORS, description="Add a service type.")
    async def create_service_type(
        self, info: Info, input: ServiceTypeInput
    ) -> Payload[ServiceType]:
        return await _write_service_type(info, None, input)

    @strawberry.mutation(
        permission_classes=EDITORS, description="Change a service type."
    )
    async def update_service_type(
        self, info: Info, slug: str, input: ServiceTypeInput
    ) -> Payload[ServiceType]:
        row = await m.ServiceType.get_or_none(slug=slug)
        if row is None:
            return Payload(
                record=None, errors=refused("slug", f"no service type {slug!r}")
            )
        return await _write_service_type(info, row, input)


async def _write_site(
    info: Info, site: m.SchoolSite | None, input: SchoolSiteInput
) -> Payload[SchoolSite]:
    values = provided(input)
    creating = site is None
    checker = Checker()
    check_named(checker, values, labels("input"), creating)
    address: dict[str, object] = {
        k: values[k] for k in ("street", "city", "postal_code", "phone") if k in values
    }
    check_partner(checker, address, labels("input"), creating=False)
    for name in ("level", "grade_min", "grade_max", "street", "city", "postal_code"):
        if creating and values.get(name) in (None, ""):
            checker.add(labels("input")(name), "is required")
    low = values.get("grade_min", site.grade_min if site else None)
    high = values.get("grade_max", site.grade_max if site else None)
    checker.grades("input.gradeMin", low, "input.gradeMax", high)
    slug = values.get("slug")
    if (
        slug
        and slug != (site.slug if site else None)
        and await m.SchoolSite.exists(slug=slug)
    ):
        checker.add("input.slug", "is already used by another school site")
    if checker.problems:
        return Payload(record=None, errors=failed(checker))
    action = "school_site.create" if creating else "school_site.update"
    row = site or m.SchoolSite()
    await save(actor(info), action, row, values)
    return Payload(record=SchoolSite.from_model(row), errors=[])


async def _write_service_type(
    info: Info, row: m.ServiceType | None, input: ServiceTypeInput
) -> Payload[ServiceType]:
    values = provided(input)
    checker = Checker()
    check_named(checker, values, labels("input"), creating=row is None)
    slug = values.get("slug")
    if (
        slug
        and slug != (row.slug if row else None)
        and await m.ServiceType.exists(slug=slug)
    ):
        checker.add("input.slug", "is already used by another service type")
    if checker.problems:
        return Payload(record=None, errors=failed(checker))
    action = "service_type.create" if row is None else "service_type.update"
    saved = row or m.ServiceType()
    await save(actor(info), action, saved, values)
    return Payload(record=ServiceType.from_model(saved), errors=[])
