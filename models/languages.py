"""The district's languages, and texts kept in more than one of them.

English is the language every text is written in first; the others are kept per
record in a `translations` column: {"es": {"name": "…", "summary": "…"}, …}. A
text missing in a language falls back to English, field by field."""

from collections.abc import Mapping
from typing import Any

from models.settings import current

SOURCE = "en"  # the language of the records' own columns

Translations = dict[str, dict[str, str]]


def translated_languages() -> tuple[str, ...]:
    """The languages texts may be translated into (es, so, hmn by default): the
    district's languages but English."""
    return tuple(code for code in current().district_languages if code != SOURCE)


def text(row: Any, field: str, language: str) -> tuple[str, bool]:
    """A record's `field` in `language`, and whether it fell back to English."""
    english: str = getattr(row, field)
    if language == SOURCE:
        return english, False
    given = (getattr(row, "translations", None) or {}).get(language, {}).get(field)
    if given:
        return str(given), False
    return english, bool(english)


def cleaned(translations: Mapping[str, Mapping[str, str | None]]) -> Translations:
    """Translations as stored: no empty texts, no languages left empty, sorted."""
    kept: Translations = {}
    for language in sorted(translations):
        texts = {k: v for k, v in sorted(translations[language].items()) if v}
        if texts:
            kept[language] = texts
    return kept
