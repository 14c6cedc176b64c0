"""Search facets: each value's partners, by their place in the A–Z list; values no
listed partner has are left out."""

from typing import Any

from directory_site.facets import facets

DIRECTORY: dict[str, Any] = {
    "serviceTypes": [
        {"slug": "arts", "name": "Arts"},
        {"slug": "tutoring", "name": "Tutoring"},
    ],
    "schoolSites": [{"slug": "oak", "name": "Oak"}],
    "categories": [{"slug": "mental-health", "name": "Mental health"}],
    "languages": [
        {"code": "es", "name": "Spanish", "nativeName": "Español"},
        {"code": "en", "name": "English", "nativeName": "English"},
    ],
    "listing": {"day": "2031-03-12"},
}


def program(grades: tuple[int, int], timing: list[str], free: bool) -> dict[str, Any]:
    return {
        "gradeMin": grades[0],
        "gradeMax": grades[1],
        "timing": timing,
        "free": free,
        "sessions": [],
    }


def partner(services: list[str], programs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "serviceTypes": [{"slug": s} for s in services],
        "schoolSites": [{"slug": "oak"}],
        "categories": [],
        "languages": [{"code": "es"}],
        "programs": programs,
    }


def test_facets_list_each_value_with_its_partners_in_order() -> None:
    partners = [
        partner(["arts"], [program((0, 2), ["SUMMER"], False)]),
        partner(["tutoring"], [program((2, 3), ["AFTER_SCHOOL"], True)]),
    ]
    by_key = {f.key: f for f in facets(DIRECTORY, partners)}
    assert list(by_key) == [
        "service",
        "school",
        "grade",
        "category",
        "language",
        "timing",
        "free",
        "day",
    ]
    assert by_key["service"].members == {"arts": [0], "tutoring": [1]}
    assert by_key["grade"].members == {"0": [0], "1": [0], "2": [0, 1], "3": [1]}
    assert [o.label for o in by_key["grade"].options] == [
        "Kindergarten",
        "Grade 1",
        "Grade 2",
        "Grade 3",
    ]
    assert by_key["free"].members == {"yes": [1]}
    # no listed partner holds a category or speaks English: no such options
    assert by_key["category"].options == []
    assert [o.label for o in by_key["language"].options] == ["Español (Spanish)"]
