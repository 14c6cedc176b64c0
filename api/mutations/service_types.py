"""Mutations on service types: create, update."""

from typing import Any

import strawberry

import models as m
from api.context import Info
from api.inputs import ServiceTypeInput
from api.mutations.writes import (
    Payload,
    Records,
    Relations,
    check_slug_free,
    labels,
    translated,
)
from api.permissions import EDITORS
from api.types import ServiceType
from models.validation import Checker, check_named


async def _checked(
    checker: Checker, values: dict[str, Any], row: m.ServiceType, creating: bool
) -> Relations:
    check_named(checker, values, labels("input"), creating=creating)
    translated(checker, values, row.translations, ("name", "description"))
    await check_slug_free(checker, m.ServiceType, values.get("slug"), row.slug)
    return {}


SERVICE_TYPES = Records(m.ServiceType, _checked, ServiceType.from_model)


@strawberry.type
class ServiceTypeMutations:
    @strawberry.mutation(permission_classes=EDITORS, description="Add a service type.")
    async def create_service_type(
        self, info: Info, input: ServiceTypeInput
    ) -> Payload[ServiceType]:
        return await SERVICE_TYPES.create(info, "service_type.create", input)

    @strawberry.mutation(
        permission_classes=EDITORS, description="Change a service type."
    )
    async def update_service_type(
        self, info: Info, slug: str, input: ServiceTypeInput
    ) -> Payload[ServiceType]:
        return await SERVICE_TYPES.update(info, "service_type.update", slug, input)
