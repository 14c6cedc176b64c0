"""Mutations on programs: create, update."""

from collections.abc import Sequence
from typing import Any

import strawberry
from tortoise.models import Model

import models as m
from api.context import Info
from api.inputs import ProgramInput
from api.mutations.writes import (
    Payload,
    Records,
    Relations,
    check_slug_free,
    labels,
    lookup,
    translated,
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


async def _checked(
    checker: Checker, values: dict[str, Any], program: m.Program, creating: bool
) -> Relations:
    """Grades are checked as they will stand, the given one with the other kept;
    service types, sites and languages are named by slug (or code)."""
    low = values.get("grade_min", program.grade_min)
    high = values.get("grade_max", program.grade_max)
    grades = {**values, "grade_min": low, "grade_max": high}
    check_program(checker, grades, labels("input"), creating=creating)
    relations: dict[str, Sequence[Model]] = {}
    for name, (model, key, relation) in RELATED.items():
        if name in values:
            wanted = values.pop(name) or []
            field = labels("input")(name)
            relations[relation] = await lookup(checker, field, model, key, wanted)
    if "timing" in values:
        values.update(m.Timing.columns(values.pop("timing") or []))
    translated(checker, values, program.translations, ("name", "description"))
    await check_slug_free(checker, m.Program, values.get("slug"), program.slug)
    return relations


PROGRAMS = Records(m.Program, _checked, Program.from_model)


@strawberry.type
class ProgramMutations:
    @strawberry.mutation(permission_classes=EDITORS, description="Add a program.")
    async def create_program(
        self, info: Info, partner: str, input: ProgramInput
    ) -> Payload[Program]:
        return await PROGRAMS.create(info, "program.create", input, partner)

    @strawberry.mutation(permission_classes=EDITORS, description="Change a program.")
    async def update_program(
        self, info: Info, slug: str, input: ProgramInput
    ) -> Payload[Program]:
        return await PROGRAMS.update(info, "program.update", slug, input)
