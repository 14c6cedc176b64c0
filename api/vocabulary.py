"""The district's small tables (categories, service types, school sites,
languages), made into GraphQL objects once per data revision and shared by every
request of that revision: a partner's categories are then a list of ids to look
up, not rows to read and objects to build."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import models as m
from api.types import Category, Language, SchoolSite, ServiceType
from models.settings import current

T = TypeVar("T")


class Table(Generic[T]):
    """Objects by row id, in the table's own order."""

    def __init__(self, rows: Iterable[tuple[int, T]]) -> None:
        self.by_id = dict(rows)
        self.rank = {row_id: i for i, row_id in enumerate(self.by_id)}
        self.by_slug = {getattr(row, "slug", None): row for row in self.by_id.values()}

    def all(self) -> list[T]:
        return list(self.by_id.values())

    def of(self, ids: Iterable[int]) -> list[T]:
        """The objects for `ids`, each once, in the table's order."""
        known = {i for i in ids if i in self.by_id}
        return [self.by_id[i] for i in sorted(known, key=self.rank.__getitem__)]

    def slugged(self, slug: str) -> T | None:
        return self.by_slug.get(slug)


@dataclass(frozen=True)
class Vocabulary:
    categories: Table[Category]
    service_types: Table[ServiceType]
    school_sites: Table[SchoolSite]
    languages: Table[Language]


# A vocabulary per language the district's texts are in (its texts in that
# language, English standing in where untranslated).
Vocabularies = dict[str, Vocabulary]


async def read_vocabulary() -> Vocabularies:
    """The tables as they stand now (four statements), in every language."""
    categories, service_types = await m.Category.all(), await m.ServiceType.all()
    sites, languages = await m.SchoolSite.all(), await m.Language.all()
    spoken = Table((row.id, Language.from_model(row)) for row in languages)
    return {
        language: Vocabulary(
            categories=Table(
                (row.id, Category.from_model(row, language)) for row in categories
            ),
            service_types=Table(
                (row.id, ServiceType.from_model(row, language)) for row in service_types
            ),
            school_sites=Table(
                (row.id, SchoolSite.from_model(row, language)) for row in sites
            ),
            languages=spoken,
        )
        for language in current().district_languages
    }
