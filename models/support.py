"""Evaluation training and technical assistance: staff-only records of what the
partnerships office gave each partner (kind, date, topic, who from the office)."""

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.partner import Partner


class SupportKind(StrEnum):
    EVALUATION_TRAINING = "evaluation_training"
    TECHNICAL_ASSISTANCE = "technical_assistance"


class SupportRecord(Model):
    """A training session or an assistance contact with a partner (staff only)."""

    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation["Partner"] = fields.ForeignKeyField(
        "models.Partner",
        related_name="support_records",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    kind = fields.CharEnumField(SupportKind, max_length=30)
    held_on = fields.DateField()
    topic = fields.CharField(max_length=200)
    staff = fields.CharField(max_length=120)  # who from the office
    notes = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    partner_id: int

    class Meta:
        table = "support_record"
        ordering = ["partner_id", "-held_on", "-id"]
