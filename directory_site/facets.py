"""The search facets: which values each offers and which partners each value holds."""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.core import Locale, UnknownLocaleError
from babel.dates import get_day_names

from directory_site import language_names
from directory_site.messages import N_
from directory_site.when import DAY_WORDS, WEEK, weekdays
from models.grades import GRADES

Partner = dict[str, Any]
Say = Callable[[str], str]  # a language's gettext

TIMING_LABELS = {
    "DURING_SCHOOL": N_("During the school day"),
    "AFTER_SCHOOL": N_("After school"),
    "SUMMER": N_("Summer"),
    "WEEKENDS": N_("Weekends"),
}
LABELS = {
    "service": (N_("Service"), N_("Any service")),
    "school": (N_("School"), N_("Any school")),
    "grade": (N_("Grade"), N_("Any grade")),
    "category": (N_("Kind of partner"), N_("Any kind")),
    "language": (N_("Language"), N_("Any language")),
    "timing": (N_("When"), N_("Any time")),
    "free": (N_("Cost"), N_("Free or paid")),
    "day": (N_("Day"), N_("Any day")),
}


def timing_words(programs: list[dict[str, Any]], say: Say) -> str:
    """When some programs run, in the form's order: "After school, Summer"."""
    given = {t for program in programs for t in program["timing"]}
    return ", ".join(say(label) for key, label in TIMING_LABELS.items() if key in given)


def day_names(language: str, say: Say) -> list[str]:
    """The week's days, Monday first, as a list of choices names them: CLDR's
    (Babel's) names; the catalog's short ones where CLDR has none (Hmong)."""
    try:
        names = get_day_names("wide", "stand-alone", locale=Locale.parse(language))
    except (UnknownLocaleError, ValueError):
        return [say(word) for word in DAY_WORDS]
    # a choice in a list begins with a capital, as the list's other choices do
    return [str(names[n])[:1].upper() + str(names[n])[1:] for n in range(7)]


def grade_name(grade: int, say: Say) -> str:
    """A grade on its own, as families say it: "Kindergarten", "Grade 3"."""
    if grade == -1:
        return say("Pre-K")
    if grade == 0:
        return say("Kindergarten")
    return say("Grade %(number)s") % {"number": grade}


@functools.lru_cache(maxsize=1024)
def grade_span(low: int, high: int, say: Say) -> str:
    """A grade range: "Pre-K–5", "K–8", "9–12", "3"."""

    def short(grade: int) -> str:
        return {-1: say("Pre-K"), 0: say("K")}.get(grade, str(grade))

    return short(low) if low == high else f"{short(low)}–{short(high)}"


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


def facets(
    directory: dict[str, Any],
    partners: list[Partner],
    say: Say = str,
    language: str = "en",
) -> list[Facet]:
    """The facets in the order the search form shows them, in `language` (whose
    words `say` says); options without any listed partner are left out. A day
    holds the partners with a session that meets on it from the listing's day on."""
    day = date.fromisoformat(directory["listing"]["day"])
    values: dict[str, Callable[[Partner], set[str]]] = {
        "service": lambda p: {s["slug"] for s in p["serviceTypes"]},
        "school": lambda p: {s["slug"] for s in p["schoolSites"]},
        "grade": lambda p: _programs(p, _grades),
        "category": lambda p: {c["slug"] for c in p["categories"]},
        "language": lambda p: {lang["code"] for lang in p["languages"]},
        "timing": lambda p: _programs(p, lambda program: program["timing"]),
        "free": lambda p: {"yes"} if any(pr["free"] for pr in p["programs"]) else set(),
        "day": lambda p: {WEEK[number].lower() for number in weekdays(p, day)},
    }
    options = {
        "service": [Option(s["slug"], s["name"]) for s in directory["serviceTypes"]],
        "school": [Option(s["slug"], s["name"]) for s in directory["schoolSites"]],
        "grade": [Option(str(g), grade_name(g, say)) for g in GRADES],
        "category": [Option(c["slug"], c["name"]) for c in directory["categories"]],
        "language": [
            Option(lang["code"], language_names.label(lang))
            for lang in directory["languages"]
        ],
        "timing": [Option(key, say(label)) for key, label in TIMING_LABELS.items()],
        "free": [Option("yes", say("Free programs only"))],
        "day": [
            Option(name.lower(), label)
            for name, label in zip(WEEK, day_names(language, say), strict=True)
        ],
    }
    result = []
    for key, get in values.items():
        members: dict[str, list[int]] = {o.value: [] for o in options[key]}
        for position, partner in enumerate(partners):
            for value in get(partner):
                if value in members:
                    members[value].append(position)
        label, any_label = LABELS[key]
        result.append(
            Facet(
                key=key,
                label=say(label),
                any=say(any_label),
                options=[o for o in options[key] if members[o.value]],
                members={v: ids for v, ids in members.items() if ids},
            )
        )
    return result
