"""Partners: the organizations the office works with. Which of them the public
sees is decided in models.listing."""

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.agreement import Agreement
from models.taxonomy import Category

if TYPE_CHECKING:
    from models.program import Program


class PartnerStatus(StrEnum):
    APPLIED = "applied"
    APPROVED = "approved"
    SUSPENDED = "suspended"
    INACTIVE = "inactive"


class Partner(Model):
    """An outside organization that serves the district's students."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=80, unique=True)
    name = fields.CharField(max_length=200, db_index=True)
    summary = fields.CharField(max_length=300, default="")
    description = fields.TextField(default="")
    # {"es": {"name": …, "summary": …, "description": …}, …}: see models/languages.py
    translations: dict[str, dict[str, str]] = fields.JSONField(default=dict)
    website = fields.CharField(max_length=300, default="")
    email = fields.CharField(max_length=254, default="")
    phone = fields.CharField(max_length=32, default="")
    street = fields.CharField(max_length=160, default="")
    city = fields.CharField(max_length=80, default="")
    postal_code = fields.CharField(max_length=12, default="")
    # Some providers (e.g. mental health) must not have their address published.
    address_confidential = fields.BooleanField(default=False)
    categories: fields.ManyToManyRelation[Category] = fields.ManyToManyField(
        "models.Category", related_name="partners", through="partner_category"
    )
    status = fields.CharEnumField(PartnerStatus, max_length=20, db_index=True)
    status_reason = fields.CharField(max_length=500, default="")
    internal_notes = fields.TextField(default="")
    last_verified_on = fields.DateField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    programs: fields.ReverseRelation["Program"]
    agreements: fields.ReverseRelation[Agreement]

    class Meta:
        table = "partner"
        ordering = ["name", "id"]
        # The public list walks approved partners A to Z: without this index the
        # database sorts every approved partner for each page it is asked for.
        indexes = [("status", "name", "id")]
