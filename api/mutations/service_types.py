"""Mutations on service types: create, update."""

import strawberry

import models as m
from api.context import Info
from api.inputs import ServiceTypeInput
from api.mutations.writes import (
    Payload,
    check_slug_free,
    failed,
    labels,
    provided,
    refused,
    translated,
    write,
)
from api.permissions import EDITORS
from api.types import ServiceType
from models.validation import Checker, check_named


async def _write(
    info: Info, row: m.ServiceType | None, input: ServiceTypeInput
) -> Payload[ServiceType]:
    values = provided(input)
    checker = Checker()
    check_named(checker, values, labels("input"), creating=row is None)
    current = row.translations if row else {}
    translated(checker, values, current, ("name", "description"))
    await check_slug_free(
        checker, m.ServiceType, values.get("slug"), row.slug if row else None
    )
    if checker.problems:
        return Payload(record=None, errors=failed(checker))
    action = "service_type.create" if row is None else "service_type.update"
    saved = row or m.ServiceType()
    if errors := await write(info, action, saved, values):
        return Payload(record=None, errors=errors)
    return Payload(record=ServiceType.from_model(saved), errors=[])


@strawberry.type
class ServiceTypeMutations:
    @strawberry.mutation(permission_classes=EDITORS, description="Add a service type.")
    async def create_service_type(
        self, info: Info, input: ServiceTypeInput
    ) -> Payload[ServiceType]:
        return await _write(info, None, input)

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
        return await _write(info, row, input)
