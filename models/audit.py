"""The audit trail: every write names who made it and keeps old and new values.
The newest entry's id is also the data's revision (see api.cache)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from tortoise import fields
from tortoise.models import Model
from tortoise.transactions import in_transaction


class AuditEntry(Model):
    """One change: who made it, when, to what, and the values before and after."""

    id = fields.IntField(primary_key=True)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)
    actor = fields.CharField(max_length=80)
    action = fields.CharField(max_length=60)
    entity = fields.CharField(max_length=40)
    entity_key = fields.CharField(max_length=120, db_index=True)
    # The partner the change concerns (a partner, one of its programs, agreements
    # or records), by key: a partner's history survives a new slug.
    partner_key = fields.IntField(null=True, db_index=True)
    changes: dict[str, list[object]] = fields.JSONField(default=dict)
    reason = fields.CharField(max_length=500, default="")

    class Meta:
        table = "audit_entry"
        ordering = ["-id"]


def plain(value: Any) -> Any:
    """A value as it is stored in the audit trail's JSON."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return sorted(plain(v) for v in value)
    return value


def differences(instance: Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields `values` would really change, as {field: [old, new]}."""
    changes: dict[str, list[Any]] = {}
    for name, new in values.items():
        old = getattr(instance, name)
        if plain(old) != plain(new):
            changes[name] = [plain(old), plain(new)]
    return changes


def assign(instance: Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the fields that really change; return them as {field: [old, new]}."""
    changes = differences(instance, values)
    for name in changes:
        setattr(instance, name, values[name])
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
        partner_key=partner_of(instance),
        changes=changes,
        reason=reason,
    )


def partner_of(instance: Model) -> int | None:
    """The key of the partner a record belongs to (its own, for a partner)."""
    if type(instance).__name__ == "Partner":
        return int(instance.pk)
    owner = getattr(instance, "partner_id", None)
    return int(owner) if owner is not None else None


def key_of(row: Model) -> str:
    return str(getattr(row, "slug", None) or getattr(row, "code", None) or row.pk)


async def save(
    actor: str,
    action: str,
    instance: Model,
    values: dict[str, Any],
    relations: Mapping[str, Sequence[Model]] | None = None,
    reason: str = "",
    owned: Mapping[str, "Owned"] | None = None,
) -> dict[str, list[Any]]:
    """Write `values`, the given many-to-many `relations` and the rows it `owned`
    (a reverse relation's rows, e.g. a program's sessions, replaced whole) with
    one audit entry, all in one transaction: on any error nothing is kept.
    Returns what changed; a record that would not change is not written at all."""
    creating = instance.pk is None
    async with in_transaction():
        changes = assign(instance, values)
        if creating or changes:
            await instance.save()
        for name, rows in (relations or {}).items():
            manager = getattr(instance, name)
            old = [] if creating else [key_of(r) for r in await manager.all()]
            new = [key_of(r) for r in rows]
            if sorted(old) != sorted(new):
                await manager.clear()
                await manager.add(*rows)
                changes[name] = [sorted(old), sorted(new)]
        for name, kept in (owned or {}).items():
            if change := await kept.replace(instance, creating):
                changes[name] = change
        if changes or reason:
            await record(actor, action, instance, key_of(instance), changes, reason)
    return changes


@dataclass(frozen=True)
class Owned:
    """The rows a record owns through a foreign key on them (`column`, e.g. a
    session's program_id), to be replaced whole by `rows`. Each row's
    `audit_text()` says what it is; the model's AUDIT_RELATED names what that
    reads."""

    model: type[Model]
    column: str
    rows: Sequence[Any]

    async def replace(self, owner: Model, creating: bool) -> list[Any] | None:
        """Write the rows for `owner`: [old, new] texts when they differ, else
        None and nothing is written."""
        mine = self.model.filter(**{self.column: owner.pk})
        related = getattr(self.model, "AUDIT_RELATED", ())
        found: list[Any] = [] if creating else await mine.prefetch_related(*related)
        old = sorted(row.audit_text() for row in found)
        new = sorted(row.audit_text() for row in self.rows)
        if old == new:
            return None
        await mine.delete()
        for row in self.rows:
            setattr(row, self.column, owner.pk)
        await self.model.bulk_create(list(self.rows))
        return [old, new]


async def revision() -> tuple[int, datetime | None]:
    """The data's revision: the newest audit entry's id (0 for none) and when it
    was made. Every write leaves an entry, so this changes with any write."""
    newest = await AuditEntry.all().order_by("-id").first().values("id", "at")
    if newest is None:
        return 0, None
    return int(newest["id"]), newest["at"]
