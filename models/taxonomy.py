"""The district's small, stable vocabularies: partnership categories, service types,
languages."""

from tortoise import fields
from tortoise.models import Model


class Category(Model):
    """A partnership category. One organization can hold several."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=60, unique=True)
    name = fields.CharField(max_length=120)
    description = fields.TextField()
    # {"es": {"name": …, "description": …}, …}: see models/languages.py
    translations: dict[str, dict[str, str]] = fields.JSONField(default=dict)
    # Contracted partners work on school property, so they are listed only while a
    # signed contract covers today (see models.listing).
    requires_contract = fields.BooleanField(default=False)
    position = fields.SmallIntField(default=0)

    class Meta:
        table = "category"
        ordering = ["position", "id"]


class ServiceType(Model):
    """What kind of help a program gives: tutoring, mentoring, mental health…"""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=60, unique=True)
    name = fields.CharField(max_length=120)
    description = fields.TextField(default="")
    translations: dict[str, dict[str, str]] = fields.JSONField(default=dict)

    class Meta:
        table = "service_type"
        ordering = ["name", "id"]


class Language(Model):
    """A language a program is offered in, by its ISO 639-1 code."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=12, unique=True)
    name = fields.CharField(max_length=60)
    native_name = fields.CharField(max_length=60)

    class Meta:
        table = "language"
        ordering = ["name", "id"]
