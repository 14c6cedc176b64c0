"""The API's answers in one of the district's languages: each text in that
language where the office gave one, English where not, with the English ones
noted so that a page can mark them (`lang="en"`) and say so; and languages named
as that language's pages name them (directory_site/language_names.py)."""

import functools
from typing import Any

from directory_site.language_names import named
from directory_site.messages import translations
from models.languages import SOURCE

Record = dict[str, Any]


def _texts(record: Record, fields: tuple[str, ...], language: str) -> Record:
    """The record with `fields` in `language`, and `fallback`: those in English."""
    given = {t["language"]: t for t in record.get("translations", [])}.get(language)
    copy = dict(record)
    copy["fallback"] = []
    for field in fields:
        translated = given.get(field) if given and language != SOURCE else None
        if translated:
            copy[field] = translated
        elif language != SOURCE and record.get(field):
            copy["fallback"].append(field)
    return copy


def _languages(items: list[Record], language: str) -> list[Record]:
    return [
        _named(item["code"], item["name"], item["nativeName"], language)
        for item in items
    ]


@functools.lru_cache(maxsize=1024)  # the same few languages on every partner
def _named(code: str, name: str, native: str, language: str) -> Record:
    lang = {"code": code, "name": name, "nativeName": native}
    return named(lang, language, translations(language).gettext)


def directory_in(directory: Record, language: str) -> Record:
    """The directory's vocabularies in `language`."""
    return {
        **directory,
        "languages": _languages(directory["languages"], language),
        "categories": [
            _texts(c, ("name", "description"), language)
            for c in directory["categories"]
        ],
        "serviceTypes": [
            _texts(s, ("name", "description"), language)
            for s in directory["serviceTypes"]
        ],
    }


def partner_in(partner: Record, language: str, directory: Record) -> Record:
    """A partner and its programs in `language`; the names of its categories and
    services from `directory` (already in that language)."""
    names = {
        key: {item["slug"]: item["name"] for item in directory[key]}
        for key in ("categories", "serviceTypes")
    }

    def renamed(items: list[Record], key: str) -> list[Record]:
        return [{**item, "name": names[key].get(item["slug"], item["name"])}
                for item in items]  # fmt: skip

    copy = _texts(partner, ("name", "summary", "description"), language)
    copy["categories"] = renamed(partner["categories"], "categories")
    copy["serviceTypes"] = renamed(partner["serviceTypes"], "serviceTypes")
    copy["languages"] = _languages(partner["languages"], language)
    copy["programs"] = [
        {
            **_texts(program, ("name", "description"), language),
            "serviceTypes": renamed(program["serviceTypes"], "serviceTypes"),
            "languages": _languages(program["languages"], language),
        }
        for program in partner["programs"]
    ]
    return copy
