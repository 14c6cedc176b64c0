"""Programs: what a partner delivers, where, when, for whom."""

from tortoise import fields
from tortoise.models import Model

from models.partner import Partner
from models.school import SchoolSite
from models.taxonomy import Language, ServiceType


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
