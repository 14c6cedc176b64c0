"""Mutations on programs: create, update."""

from typing import Any

import strawberry
from tortoise.models import Model

import models as m
from api.context import Info
from api.inputs import ProgramInput
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
from api.types import Program
from models.validation import Checker, check_program

RELATED: dict[str, tuple[type[Model], str, str]] = {
    # input field: (model, key column, relation on Program)
    "service_types": (m.ServiceType, "slug", "service_types"),
    "school_sites": (m.SchoolSite, "slug", "sites"),
    "languages": (m.Language, "code", "languages"),
}


async def _program_values(
    values: dict[str, Any], program: m.Program | None
) -> tuple[Checker, dict[str, list[Model]]]:
    checker = Checker()
    low = values.get("grade_min", program.grade_min if program else None)
    high = values.get("grade_max", program.grade_max if program else None)
    check_program(
        checker,
        {**values, "grade_min": low, "grade_max": high},
        labels("input"),
        creating=program is None,
    )
    relations: dict[str, list[Model]] = {}
    for name, (model, key, relation) in RELATED.items():
        if name in values:
            wanted = values.pop(name) or []
            field = labels("input")(name)
            relations[relation] = list(await lookup(checker, field, model, key, wanted))
    if "timing" in values:
        values.update(m.Timing.columns(values.pop("timing") or []))
    current = program.translations if program else {}
    translated(checker, values, current, ("name", "description"))
    await check_slug_free(
        checker, m.Program, values.get("slug"), program.slug if program else None
    )
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
        checker, relations = await _program_values(values, None)
        if checker.problems:
            return Payload(record=None, errors=failed(checker))
        program = m.Program(partner_id=owner.id)
        if errors := await write(info, "program.create", program, values, relations):
            return Payload(record=None, errors=errors)
        return Payload(record=Program.from_model(program), errors=[])

    @strawberry.mutation(permission_classes=EDITORS, description="Change a program.")
    async def update_program(
        self, info: Info, slug: str, input: ProgramInput
    ) -> Payload[Program]:
        program = await m.Program.get_or_none(slug=slug)
        if program is None:
            return Payload(record=None, errors=refused("slug", f"no program {slug!r}"))
        values = provided(input)
        checker, relations = await _program_values(values, program)
        if checker.problems:
            return Payload(record=None, errors=failed(checker))
        if errors := await write(info, "program.update", program, values, relations):
            return Payload(record=None, errors=errors)
        return Payload(record=Program.from_model(program), errors=[])
