"""Recording changes: every write names who made it and keeps old and new values."""

from datetime import date, datetime
from enum import Enum
from typing import Any

from tortoise.models import Model

from models.staff import AuditEntry


def plain(value: Any) -> Any:
    """A value as it is stored in the audit trail's JSON."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return sorted(plain(v) for v in value)
    return value


def assign(instance: Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the fields that really change; return them as {field: [old, new]}."""
    changes: dict[str, list[Any]] = {}
    for name, new in values.items():
        old = getattr(instance, name)
        if plain(old) != plain(new):
            changes[name] = [plain(old), plain(new)]
            setattr(instance, name, new)
    return changes


async def record(
    actor: str,
    action: str,
    instance: Model,
    key: str,
    changes: dict[str, list[Any]],
    reason: str = "",
) -> AuditEntry:
    return await AuditEntry.create(
        actor=actor,
        action=action,
        entity=type(instance).__name__,
        entity_key=key,
        changes=changes,
        reason=reason,
    )
