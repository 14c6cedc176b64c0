"""Staff credentials and the audit trail of who changed what."""

import hashlib
import secrets
from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

TOKEN_PREFIX = "cpd_"


class Role(StrEnum):
    VIEWER = "viewer"  # reads staff-only data
    EDITOR = "editor"  # also writes


def hash_token(token: str) -> str:
    """Tokens are long random strings, so one SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class StaffToken(Model):
    """An API token of the partnerships office. Only its hash is kept."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=80, unique=True)
    role = fields.CharEnumField(Role, max_length=10)
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "staff_token"
        ordering = ["name", "id"]


class AuditEntry(Model):
    """One change: who made it, when, to what, and the values before and after."""

    id = fields.IntField(primary_key=True)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)
    actor = fields.CharField(max_length=80)
    action = fields.CharField(max_length=60)
    entity = fields.CharField(max_length=40)
    entity_key = fields.CharField(max_length=120, db_index=True)
    changes: dict[str, list[object]] = fields.JSONField(default=dict)
    reason = fields.CharField(max_length=500, default="")

    class Meta:
        table = "audit_entry"
        ordering = ["-id"]
