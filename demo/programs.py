"""What demo partners run: programs with their services, schools, languages, timing
and cost, drawn to fit each partner's services and grades."""

import random
import re
import unicodedata
from dataclasses import dataclass

from demo import places, text
from demo.activities import PROGRAMS
from demo.services import SERVICES
from models.program import Program

WHEN = ("during the school day", "after school", "in the summer", "on weekends")


@dataclass(frozen=True)
class DrawnProgram:
    """A program row and what it links to: service slugs, site ids, language codes."""

    program: Program
    services: list[str]
    sites: list[int]
    languages: list[str]


class Programs:
    """Draws each partner's programs in turn, numbering them from 1."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.count = 0
        self.slugs: set[str] = set()
        self.sites_by_grades: dict[tuple[int, int], list[int]] = {}
        self.languages = [code for code, *_ in text.LANGUAGES]
        self.language_weights = [weight for *_, weight in text.LANGUAGES]

    def for_partner(
        self,
        partner_id: int,
        partner_slug: str,
        services: list[str],
        grades: tuple[int, int],
        community_language: str | None,
    ) -> list[DrawnProgram]:
        """One to three programs; the first is in the partner's main service."""
        rng = self.rng
        drawn: list[DrawnProgram] = []
        for index in range(rng.choices((1, 2, 3), (50, 35, 15))[0]):
            # The first program is in the main service, and so are many others.
            main = index == 0 or rng.random() < 0.4
            first = services[0] if main else rng.choice(services)
            # Each service has four program names, more than a partner has programs.
            taken = {program.program.name for program in drawn}
            name = rng.choice([name for name in PROGRAMS[first] if name not in taken])
            others = [service for service in services if service != first]
            kinds = [first, *rng.sample(others, rng.randint(0, min(2, len(others))))]
            low, high = grades
            if high - low >= 3 and rng.random() < 0.4:
                low = rng.randint(low, high - 2)
                high = rng.randint(low + 2, high)
            slug = unique_slug(f"{partner_slug} {name}", self.slugs, 120)
            program = self._program(partner_id, slug, name, first, low, high)
            sites = self._sites_for(low, high)
            count = rng.choices((1, 2, 3, 4, 5), (35, 25, 20, 12, 8))[0]
            chosen = sorted(rng.sample(sites, min(count, len(sites))))
            languages = self._languages(community_language)
            drawn.append(DrawnProgram(program, kinds, chosen, languages))
        return drawn

    def _program(
        self, partner_id: int, slug: str, name: str, service: str, low: int, high: int
    ) -> Program:
        rng = self.rng
        self.count += 1
        chances = SERVICES[service].timing
        when = [rng.random() < chance for chance in chances]
        if not any(when):
            when[chances.index(max(chances))] = True
        timing = listed([words for words, on in zip(WHEN, when, strict=True) if on])
        activity = PROGRAMS[service][name]
        free = service == "basic-needs" or rng.random() < 0.7
        costs = text.THERAPY_COSTS if service == "mental-health" else text.COSTS
        return Program(
            id=self.count,
            slug=slug,
            partner_id=partner_id,
            name=name,
            description=f"{activity} It runs {timing}, {_grade_span(low, high)}.",
            during_school=when[0],
            after_school=when[1],
            summer=when[2],
            weekends=when[3],
            grade_min=low,
            grade_max=high,
            free=free,
            cost="Free" if free else rng.choice(costs),
        )

    def _languages(self, community_language: str | None) -> list[str]:
        rng = self.rng
        codes = ["en"] if rng.random() < 0.9 else []
        if community_language and community_language not in codes:
            codes.append(community_language)
        for _ in range(rng.choices((0, 1, 2), (50, 35, 15))[0]):
            code = rng.choices(self.languages, self.language_weights)[0]
            if code not in codes:
                codes.append(code)
        return codes[:3] or ["en"]

    def _sites_for(self, low: int, high: int) -> list[int]:
        """Ids of the schools whose grades overlap these."""
        if (low, high) not in self.sites_by_grades:
            self.sites_by_grades[low, high] = [
                i
                for i, (_, _, site_low, site_high) in enumerate(places.SCHOOLS, 1)
                if site_low <= high and low <= site_high
            ]
        return self.sites_by_grades[low, high]


def listed(items: list[str]) -> str:
    """Items as a sentence would list them: "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def slugify(name: str, limit: int) -> str:
    """A URL-safe form of the name, cut at a word boundary to at most `limit`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = plain.lower().replace("&", " and ").replace("'", "")
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return slug if len(slug) <= limit else slug[:limit].rsplit("-", 1)[0]


def unique_slug(name: str, taken: set[str], limit: int) -> str:
    """A slug for the name not yet in `taken`, which it is then added to."""
    base = slug = slugify(name, limit - 4)
    number = 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def _grade(grade: int) -> str:
    return {-1: "pre-K", 0: "kindergarten"}.get(grade, f"grade {grade}")


def _grade_span(low: int, high: int) -> str:
    if low == high:
        return f"for {_grade(low)}"
    if low <= 0:
        return f"from {_grade(low)} to {_grade(high)}"
    return f"for grades {low} to {high}"
