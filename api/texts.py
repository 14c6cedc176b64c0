"""Texts in the district's languages: the `Translation` type, the `language`
argument, and a record's texts in one language with English standing in, field by
field (models/languages.py)."""

from typing import Any, Self

import strawberry

from api.errors import UserInputError
from models.languages import SOURCE, text
from models.settings import current

# The schema is made once, whatever the settings, so this does not list the
# district's languages: an unknown code's error does (checked()).
LANGUAGE = strawberry.argument(
    description="The language of the texts (name, summary, description), by code: "
    "en, or one of the languages the district's texts are translated into (an "
    "unknown code's error lists them). A text with no translation is given in "
    "English, and listed in `untranslated`."
)


@strawberry.type(
    description="A record's texts in one of the district's languages. A field left "
    "null has no translation: English stands in for it."
)
class Translation:
    language: str
    name: str | None
    summary: str | None
    description: str | None

    @classmethod
    def all_of(cls, row: Any) -> list[Self]:
        given = getattr(row, "translations", None) or {}
        return [
            cls(
                language=language,
                name=given[language].get("name"),
                summary=given[language].get("summary"),
                description=given[language].get("description"),
            )
            for language in current().district_languages
            if language in given
        ]


def checked(language: str | None) -> str:
    """The language asked for, or a clear error naming the ones there are."""
    if language is None:
        return SOURCE
    languages = current().district_languages
    if language not in languages:
        raise UserInputError(
            f"language must be one of {', '.join(languages)}, got {language!r}",
            argument="language",
        )
    return language


def localized(
    row: Any, fields: tuple[str, ...], language: str
) -> tuple[dict[str, str], list[str]]:
    """`fields` of `row` in `language`, and which of them fell back to English."""
    values: dict[str, str] = {}
    untranslated: list[str] = []
    for field in fields:
        values[field], fell_back = text(row, field, language)
        if fell_back:
            untranslated.append(field)
    return values, untranslated
