"""Programs: what a partner delivers, where, when, for whom."""

from collections.abc import Iterable
from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.partner import Partner
from models.school import SchoolSite
from models.taxonomy import Language, ServiceType


class Timing(StrEnum):
    """When a program runs. Each value is also the name of a Program column."""

    DURING_SCHOOL = "during_school"
    AFTER_SCHOOL = "after_school"
    SUMMER = "summer"
    WEEKENDS = "weekends"

    @staticmethod
    def columns(chosen: Iterable["Timing"]) -> dict[str, bool]:
        """Program column values for the chosen times (the others off)."""
        wanted = set(chosen)
        return {t.value: t in wanted for t in Timing}


class Program(Model):
    """One program of a partner. Grades use -1 for pre-K and 0 for kindergarten."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=120, unique=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField(
        "models.Partner",
        related_name="programs",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    # {"es": {"name": …, "summary": …, "description": …}, …}: see models/languages.py
    translations: dict[str, dict[str, str]] = fields.JSONField(default=dict)
    service_types: fields.ManyToManyRelation[ServiceType] = fields.ManyToManyField(
        "models.ServiceType", related_name="programs", through="program_service_type"
    )
    sites: fields.ManyToManyRelation[SchoolSite] = fields.ManyToManyField(
        "models.SchoolSite", related_name="programs", through="program_site"
    )
    languages: fields.ManyToManyRelation[Language] = fields.ManyToManyField(
        "models.Language", related_name="programs", through="program_language"
    )
    during_school = fields.BooleanField(default=False)
    after_school = fields.BooleanField(default=False)
    summer = fields.BooleanField(default=False)
    weekends = fields.BooleanField(default=False)
    grade_min = fields.SmallIntField()
    grade_max = fields.SmallIntField()
    free = fields.BooleanField(default=True)
    cost = fields.CharField(max_length=200, default="")

    partner_id: int

    class Meta:
        table = "program"
        ordering = ["name", "id"]

    @property
    def timing(self) -> list[Timing]:
        return [t for t in Timing if getattr(self, t.value)]
