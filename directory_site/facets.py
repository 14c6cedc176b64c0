"""The search facets: which values each offers and which partners each value holds."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from models.grades import GRADES, grade_long

Partner = dict[str, Any]

TIMING_LABELS = {
    "DURING_SCHOOL": "During the school day",
    "AFTER_SCHOOL": "After school",
    "SUMMER": "Summer",
    "WEEKENDS": "Weekends",
}


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Facet:
    """One facet: its URL key, its label, its options and each option's partners
    (as positions in the A–Z list)."""

    key: str
    label: str
    any: str
    options: list[Option]
    members: dict[str, list[int]] = field(repr=False)


def _programs(p: Partner, get: Callable[[dict[str, Any]], Iterable[str]]) -> set[str]:
    return {value for program in p["programs"] for value in get(program)}


def _grades(program: dict[str, Any]) -> Iterable[str]:
    return (str(g) for g in range(program["gradeMin"], program["gradeMax"] + 1))


def facets(directory: dict[str, Any], partners: list[Partner]) -> list[Facet]:
    """The facets in the order the search form shows them; options without any
    listed partner are left out."""
    values: dict[str, Callable[[Partner], set[str]]] = {
        "service": lambda p: {s["slug"] for s in p["serviceTypes"]},
        "school": lambda p: {s["slug"] for s in p["schoolSites"]},
        "grade": lambda p: _programs(p, _grades),
        "category": lambda p: {c["slug"] for c in p["categories"]},
        "language": lambda p: {lang["code"] for lang in p["languages"]},
        "timing": lambda p: _programs(p, lambda program: program["timing"]),
        "free": lambda p: {"yes"} if any(pr["free"] for pr in p["programs"]) else set(),
    }
    options = {
        "service": [Option(s["slug"], s["name"]) for s in directory["serviceTypes"]],
        "school": [Option(s["slug"], s["name"]) for s in directory["schoolSites"]],
        "grade": [Option(str(g), grade_long(g)) for g in GRADES],
        "category": [Option(c["slug"], c["name"]) for c in directory["categories"]],
        "language": [
            Option(lang["code"], _language_label(lang))
            for lang in directory["languages"]
        ],
        "timing": [Option(key, label) for key, label in TIMING_LABELS.items()],
        "free": [Option("yes", "Free programs only")],
    }
    labels = {
        "service": ("Service", "Any service"),
        "school": ("School", "Any school"),
        "grade": ("Grade", "Any grade"),
        "category": ("Kind of partner", "Any kind"),
        "language": ("Language", "Any language"),
        "timing": ("When", "Any time"),
        "free": ("Cost", "Free or paid"),
    }
    result = []
    for key, get in values.items():
        members: dict[str, list[int]] = {o.value: [] for o in options[key]}
        for position, partner in enumerate(partners):
            for value in get(partner):
                if value in members:
                    members[value].append(position)
        label, any_label = labels[key]
        result.append(
            Facet(
                key=key,
                label=label,
                any=any_label,
                options=[o for o in options[key] if members[o.value]],
                members={v: ids for v, ids in members.items() if ids},
            )
        )
    return result


def _language_label(lang: dict[str, Any]) -> str:
    if lang["nativeName"] == lang["name"]:
        return str(lang["name"])
    return f"{lang['name']} ({lang['nativeName']})"
