"""Agreements with partners: staff-only records, and what "in force" means."""

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model
from tortoise.queryset import QuerySet

if TYPE_CHECKING:
    from models.partner import Partner
    from models.program import Program


class AgreementKind(StrEnum):
    CONTRACT = "contract"
    DATA_SHARING = "data_sharing"
    INSURANCE_CERTIFICATE = "insurance_certificate"


class AgreementStatus(StrEnum):
    PENDING = "pending"  # drafted or awaiting signatures
    ACTIVE = "active"  # signed; in force between its dates
    ENDED = "ended"  # terminated before its end date


class Agreement(Model):
    """A contract, data-sharing agreement or insurance certificate on file."""

    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation["Partner"] = fields.ForeignKeyField(
        "models.Partner",
        related_name="agreements",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    program: fields.ForeignKeyNullableRelation["Program"] = fields.ForeignKeyField(
        "models.Program",
        related_name="agreements",
        null=True,
        on_delete=fields.SET_NULL,
        db_index=True,
    )
    kind = fields.CharEnumField(AgreementKind, max_length=30)
    status = fields.CharEnumField(AgreementStatus, max_length=20)
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    reference = fields.CharField(max_length=60, default="")
    notes = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    partner_id: int
    program_id: int | None

    class Meta:
        table = "agreement"
        ordering = ["partner_id", "kind", "starts_on", "id"]
        indexes = [("kind", "status", "ends_on")]

    # "In force on a day": signed (active) and the day within its dates, both ends
    # included. in_force() and covers() are the only two spellings of that rule.
    @classmethod
    def in_force(cls, day: date) -> QuerySet["Agreement"]:
        """The agreements in force on `day`."""
        return cls.filter(
            status=AgreementStatus.ACTIVE, starts_on__lte=day, ends_on__gte=day
        )

    def covers(self, day: date) -> bool:
        """Whether this agreement is in force on `day`."""
        return self.status == AgreementStatus.ACTIVE and (
            self.starts_on <= day <= self.ends_on
        )

    def days_left(self, day: date) -> int | None:
        """Days from `day` to its last day; None once it has ended or lapsed."""
        if self.status == AgreementStatus.ENDED or self.ends_on < day:
            return None
        return (self.ends_on - day).days
