"""Staff credentials: API tokens of the partnerships office, stored hashed."""

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
