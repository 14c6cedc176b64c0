"""District school sites, where programs run."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class SchoolLevel(StrEnum):
    ELEMENTARY = "elementary"
    K8 = "k8"
    MIDDLE = "middle"
    HIGH = "high"
    ALTERNATIVE = "alternative"


class SchoolSite(Model):
    """A school building. Grades run from -1 (pre-K) and 0 (kindergarten) to 12."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=80, unique=True)
    name = fields.CharField(max_length=160, db_index=True)
    level = fields.CharEnumField(SchoolLevel, max_length=20)
    grade_min = fields.SmallIntField()
    grade_max = fields.SmallIntField()
    street = fields.CharField(max_length=160)
    city = fields.CharField(max_length=80)
    postal_code = fields.CharField(max_length=12)
    phone = fields.CharField(max_length=32, default="")
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)

    class Meta:
        table = "school_site"
        ordering = ["name", "id"]
