"""The fictional district behind the demo data. Every row comes from one seeded random
generator and carries an explicit id, so the same seed always gives the same rows."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from demo import places, text
from demo.agreements import Agreements
from demo.programs import Programs, listed, slugify, unique_slug
from demo.services import SERVICES
from demo.sessions import Sessions
from demo.translations import CATEGORIES as CATEGORY_TEXTS
from demo.translations import SERVICES as SERVICE_TEXTS
from demo.translations import SHARE
from models.agreement import Agreement
from models.partner import Partner, PartnerStatus
from models.program import Program
from models.school import SchoolLevel, SchoolSite
from models.session import Session
from models.taxonomy import Category, Language, ServiceType

MENTAL_HEALTH = "mental-health"
# Categories with a main-service weight in SERVICES, in the order given there.
MAIN_CATEGORIES = ("contracted-partner", "community-education", "extended-learning")
CATEGORY_SLUGS = [slug for slug, *_ in text.CATEGORIES]
# How often each category (in CATEGORIES order) comes first, and comes second for
# the fifth of partners that hold two: mostly a contract, for working in schools.
FIRST_CATEGORY = (45, 20, 15, 20)
SECOND_CATEGORY = (60, 15, 10, 15)
STATUSES = {
    PartnerStatus.APPROVED: 80,
    PartnerStatus.APPLIED: 8,
    PartnerStatus.SUSPENDED: 6,
    PartnerStatus.INACTIVE: 6,
}
STATUS_REASONS = {
    PartnerStatus.APPROVED: ("",),
    PartnerStatus.APPLIED: text.APPLIED_REASONS,
    PartnerStatus.SUSPENDED: text.SUSPENDED_REASONS,
    PartnerStatus.INACTIVE: text.INACTIVE_REASONS,
}
# Services for whole families or everyone, where "Girls'" or "Teen" would not fit.
NO_AUDIENCE = {"family-support", "early-childhood", "basic-needs", "health"}
# A partner's website is https://<slug>.example.org, and a DNS label stops at 63.
PARTNER_SLUG_LIMIT = 60


@dataclass
class Batch:
    """Rows to write, in table order, with the many-to-many links as id pairs."""

    categories: list[Category] = field(default_factory=list)
    service_types: list[ServiceType] = field(default_factory=list)
    languages: list[Language] = field(default_factory=list)
    sites: list[SchoolSite] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    partner_categories: list[tuple[int, int]] = field(default_factory=list)
    program_service_types: list[tuple[int, int]] = field(default_factory=list)
    program_sites: list[tuple[int, int]] = field(default_factory=list)
    program_languages: list[tuple[int, int]] = field(default_factory=list)


class District:
    """A fictional district drawn from one seed, with agreements dated from `today`
    and sessions in the terms around it."""

    def __init__(self, seed: int, today: date) -> None:
        self.seed = seed
        self.rng = rng = random.Random(seed)
        self.today = today
        self.programs = Programs(rng)
        self.agreements = Agreements(rng, today)
        # Drawn apart from the district's own draws, so they change nothing else.
        self.sessions = Sessions(random.Random(f"{seed}-sessions"), today)
        self.names: set[str] = set()
        self.slugs: set[str] = set()
        self.service_ids = {
            slug: i for i, (slug, *_) in enumerate(text.SERVICE_TYPES, 1)
        }
        self.language_ids = {code: i for i, (code, *_) in enumerate(text.LANGUAGES, 1)}
        self.language_names = {code: name for code, name, *_ in text.LANGUAGES}

    def taxonomy_and_schools(self) -> Batch:
        """The vocabularies and school sites, which every partner refers to."""
        rng = self.rng
        latitude, longitude = places.CENTER
        batch = Batch()
        for i, (slug, name, about, contract) in enumerate(text.CATEGORIES, 1):
            batch.categories.append(
                Category(
                    id=i,
                    slug=slug,
                    name=name,
                    description=about,
                    position=i,
                    requires_contract=contract,
                    translations={
                        language: {"name": name, "description": about}
                        for language, (name, about) in CATEGORY_TEXTS[slug].items()
                    },
                )
            )
        for i, (slug, name, about) in enumerate(text.SERVICE_TYPES, 1):
            batch.service_types.append(
                ServiceType(
                    id=i,
                    slug=slug,
                    name=name,
                    description=about,
                    translations={
                        language: {"name": name, "description": about}
                        for language, (name, about, _) in SERVICE_TEXTS[slug].items()
                    },
                )
            )
        for i, (code, name, native, _) in enumerate(text.LANGUAGES, 1):
            batch.languages.append(
                Language(id=i, code=code, name=name, native_name=native)
            )
        for i, (name, level, low, high) in enumerate(places.SCHOOLS, 1):
            site = SchoolSite(
                id=i,
                slug=slugify(name, 80),
                name=name,
                level=SchoolLevel(level),
                grade_min=low,
                grade_max=high,
                street=self._street(units=False),
                city=places.CITY,
                postal_code=rng.choice(places.POSTAL_CODES),
                phone=f"{places.AREA_CODE}-555-{100 + i:04d}",
                latitude=round(latitude + rng.uniform(-0.05, 0.05), 5),
                longitude=round(longitude + rng.uniform(-0.07, 0.07), 5),
            )
            batch.sites.append(site)
        return batch

    def partners(self, ids: range) -> Batch:
        """Partners with these ids (counted from 1), their programs and agreements."""
        batch = Batch()
        for partner_id in ids:
            self._partner(partner_id, batch)
        return batch

    def _partner(self, id: int, batch: Batch) -> None:
        rng = self.rng
        first = rng.choices(CATEGORY_SLUGS, FIRST_CATEGORY)[0]
        categories = [first]
        if rng.random() < 0.2:
            second = rng.choices(CATEGORY_SLUGS, SECOND_CATEGORY)[0]
            categories += [second] if second != first else []
        services = self._services(first, categories)
        low, high, who = self._grades(services[0])
        community = rng.choice(text.COMMUNITIES) if rng.random() < 0.12 else None
        name = self._unique_name(self._name(services[0], low, community))
        slug = unique_slug(name, self.slugs, PARTNER_SLUG_LIMIT)
        status = rng.choices(list(STATUSES), list(STATUSES.values()))[0]
        confidential = MENTAL_HEALTH in categories and rng.random() < 0.8
        language = community[1] if community else None
        programs = self.programs.for_partner(id, slug, services, (low, high), language)
        languages = list(dict.fromkeys(c for p in programs for c in p.languages))
        batch.partners.append(
            Partner(
                id=id,
                slug=slug,
                name=name,
                summary=rng.choice(SERVICES[services[0]].summaries).format(
                    who=who, city=places.CITY
                ),
                description=self._description(services, confidential, languages),
                translations=self._translations(id, services[0]),
                website=f"https://{slug}.example.org",
                email=f"info@{slug}.example.org",
                phone=f"{places.AREA_CODE}-555-01{rng.randint(0, 99):02d}",
                street=self._street(units=True),
                city=places.CITY,
                postal_code=rng.choice(places.POSTAL_CODES),
                address_confidential=confidential,
                status=status,
                status_reason=rng.choice(STATUS_REASONS[status]),
                internal_notes=(
                    rng.choice(text.INTERNAL_NOTES) if rng.random() < 0.25 else ""
                ),
                last_verified_on=self.today - timedelta(days=rng.randint(0, 364)),
            )
        )
        batch.partner_categories += sorted(
            (id, CATEGORY_SLUGS.index(slug) + 1) for slug in categories
        )
        for drawn in programs:
            program_id = drawn.program.id
            batch.programs.append(drawn.program)
            batch.sessions += self.sessions.for_program(drawn.program, drawn.sites)
            batch.program_service_types += [
                (program_id, self.service_ids[slug]) for slug in drawn.services
            ]
            batch.program_sites += [(program_id, site) for site in drawn.sites]
            batch.program_languages += [
                (program_id, self.language_ids[code]) for code in drawn.languages
            ]
        batch.agreements += self.agreements.for_partner(
            id, status, categories, programs[0].program.id
        )

    def _translations(self, id: int, main: str) -> dict[str, dict[str, str]]:
        """Summaries some partners give in the district's other languages (drawn
        apart from the district's own draws, so they change nothing else)."""
        draw = random.Random(f"{self.seed}-{id}")
        return {
            language: {"summary": SERVICE_TEXTS[main][language][2]}
            for language, share in SHARE.items()
            if draw.randrange(100) < share
        }

    def _services(self, first: str, categories: list[str]) -> list[str]:
        """The partner's main service, then up to two that often come with it."""
        rng = self.rng
        if MENTAL_HEALTH in categories:
            main = MENTAL_HEALTH
        else:
            column = MAIN_CATEGORIES.index(first)
            weights = [profile.main_weights[column] for profile in SERVICES.values()]
            main = rng.choices(list(SERVICES), weights)[0]
        extra = rng.choices((0, 1, 2), (35, 45, 20))[0]
        return [main, *rng.sample(SERVICES[main].related, extra)]

    def _grades(self, main: str) -> tuple[int, int, str]:
        if main == "early-childhood":
            return text.EARLY_BAND
        bands = text.GRADE_BANDS
        if main == "college-career":
            bands = tuple(band for band in bands if band[0] >= 6 and band[1] >= 9)
        low, high, who, _ = self.rng.choices(bands, [band[3] for band in bands])[0]
        return low, high, who

    def _name(self, main: str, low: int, community: tuple[str, str] | None) -> str:
        rng = self.rng
        word = rng.choice(SERVICES[main].name_words)
        audiences: tuple[str, ...] = ("Family",) if low < 0 else text.AUDIENCES
        if low >= 6:
            audiences = tuple(a for a in audiences if a not in ("Kids", "Family"))
        audience = rng.choice(audiences)
        # No "Northside Girls' Youth Leadership" or "Riverton Kids Food Shelf".
        if main in NO_AUDIENCE or any(w in word for w in ("Youth", "Kids", "Famil")):
            audience = ""
        place = rng.choice((*places.NEIGHBORHOODS, places.CITY))
        kind = rng.choice(text.ORG_TYPES)
        if word.split()[-1] in text.ORG_TYPES:  # "Parent Network", "Story Works"
            kind = ""
        imagery = rng.choice(text.IMAGERY)
        pattern = rng.random()
        if community and community[1] == "es" and pattern < 0.4:
            return f"{rng.choice(text.CASAS)} {rng.choice(text.CASA_ENDINGS)}"
        if community:
            return _words(community[0], audience, word, kind)
        if pattern < 0.12 and main in text.CLUBS:
            return _words(place, audience, rng.choice(text.CLUBS[main]), "Club")
        if pattern < 0.2 and main in text.KIDS_NAMES:
            return rng.choice(text.KIDS_NAMES[main])
        if pattern < 0.5:
            return _words(place, audience, word, kind)
        if pattern < 0.8:
            return _words(imagery, word)
        return _words(imagery, word, kind)

    def _unique_name(self, base: str) -> str:
        # Large demos run out of combinations: a neighborhood reads like a branch
        # office, and a number settles whatever is left.
        name, number = base, 2
        for _ in range(4):
            if name not in self.names:
                break
            name = f"{base} – {self.rng.choice(places.NEIGHBORHOODS)}"
        while name in self.names:
            name, number = f"{base} {number}", number + 1
        self.names.add(name)
        return name

    def _description(
        self, services: list[str], confidential: bool, languages: list[str]
    ) -> str:
        """Two to four sentences, the ones families most need first."""
        rng = self.rng
        sentences = [rng.choice(SERVICES[services[0]].openers)]
        if services[0] == MENTAL_HEALTH:
            sentences.append(text.CONSENT)
        if confidential:
            sentences.append(text.PRIVATE_ADDRESS)
        if len(services) > 1 and rng.random() < 0.5:
            sentences.append(rng.choice(SERVICES[services[1]].openers))
        others = [self.language_names[code] for code in languages if code != "en"]
        if others and rng.random() < 0.7:
            also = " as well as English" if "en" in languages else ""
            sentences.append(f"Our staff speak {listed(others)}{also}.")
        sentences.append(rng.choice(text.CLOSERS))
        return " ".join(sentences[:4])

    def _street(self, units: bool) -> str:
        street = f"{self.rng.randint(100, 4899)} {self.rng.choice(places.STREETS)}"
        if units and self.rng.random() < 0.2:
            street += f", {self.rng.choice(places.UNITS)}"
        return street


def _words(*words: str) -> str:
    return " ".join(word for word in words if word)
