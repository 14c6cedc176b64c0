"""What every staff mutation shares: reading inputs, reporting problems by field,
and writing a record with its audit entry in one transaction."""

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import UNSET
from tortoise.models import Model
from tortoise.transactions import in_transaction

from api.staff_types import FieldError
from models import audit
from models.validation import Checker

T = TypeVar("T")
M = TypeVar("M", bound=Model)


@strawberry.type(description="The record written, or why nothing was.")
class Payload(Generic[T]):
    record: T | None
    errors: list[FieldError] = strawberry.field(
        description="Empty when the change was saved; otherwise nothing was written."
    )


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def labels(prefix: str) -> Callable[[str], str]:
    """Error paths as a client writes them: input.postalCode."""
    return lambda name: f"{prefix}.{camel(name)}"


def provided(data: object) -> dict[str, Any]:
    """The fields of an input that the caller gave."""
    return {
        f.name: getattr(data, f.name)
        for f in dataclasses.fields(data)  # type: ignore[arg-type]
        if getattr(data, f.name) is not UNSET
    }


def failed(checker: Checker) -> list[FieldError]:
    return [FieldError(field=p.field, message=p.message) for p in checker.problems]


def refused(field: str, message: str) -> list[FieldError]:
    return [FieldError(field=field, message=message)]


def key_of(row: Model) -> str:
    return str(getattr(row, "slug", None) or getattr(row, "code", None) or row.pk)


async def lookup(
    checker: Checker, field: str, model: type[M], key: str, wanted: Sequence[str]
) -> list[M]:
    """The rows for the given slugs (or codes), in the order given; unknown ones
    are reported on `field`."""
    rows = {key_of(r): r for r in await model.filter(**{f"{key}__in": list(wanted)})}
    checker.known(field, list(wanted), set(rows))
    return [rows[w] for w in wanted if w in rows]


async def save(
    actor: str,
    action: str,
    instance: M,
    values: dict[str, Any],
    relations: Mapping[str, Sequence[Model]] | None = None,
    reason: str = "",
) -> M:
    """Write `values` and the given many-to-many `relations` with one audit entry,
    all in one transaction: on any error nothing is kept."""
    creating = instance.pk is None
    async with in_transaction():
        changes = audit.assign(instance, values)
        await instance.save()
        for name, rows in (relations or {}).items():
            manager = getattr(instance, name)
            old = [] if creating else [key_of(r) for r in await manager.all()]
            new = [key_of(r) for r in rows]
            if sorted(old) != sorted(new):
                await manager.clear()
                await manager.add(*rows)
                changes[name] = [sorted(old), sorted(new)]
        if changes or reason:
            await audit.record(
                actor, action, instance, key_of(instance), changes, reason
            )
    return instance
