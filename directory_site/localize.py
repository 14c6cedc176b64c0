"""The API's answers in one of the district's languages: each text in that
language where the office gave one, English where not, with the English ones
noted so that a page can mark them (`lang="en"`) and say so."""

from typing import Any

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


def directory_in(directory: Record, language: str) -> Record:
    """The directory's vocabularies in `language`."""
    return {
        **directory,
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
    copy["programs"] = [
        {
            **_texts(program, ("name", "description"), language),
            "serviceTypes": renamed(program["serviceTypes"], "serviceTypes"),
        }
        for program in partner["programs"]
    ]
    return copy
