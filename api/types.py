"""GraphQL types: explicit projections of the models, built with from_model().

A page of partners or programs has its nested lists loaded ahead, all at once
(api/prefetch.py), into `pre`; their resolvers then answer at once, with no
awaitable per field. Objects made one by one load their lists when asked."""

from collections.abc import Awaitable, Iterable
from datetime import date, time
from typing import Any, Self, TypeVar, cast
from uuid import UUID

import strawberry
from strawberry import relay

import models as m
from api.context import Info
from api.enums import SchoolLevel, Timing, Weekday
from api.pagination import PAGE_SIZE_DEFAULT, Connection, connection, page_start
from api.texts import Translation, localized
from models.grades import grade_range
from models.languages import SOURCE
from models.public_ids import Kind, public_id
from models.session import clock

T = TypeVar("T")
TIMINGS = [(t, t.value) for t in Timing]  # each with its column
STABLE_ID = (
    "A stable id that a change of slug keeps: the id other directories "
    "(Open Referral HSDS) know it by."
)


def pending(awaitable: Awaitable[T]) -> T:
    """What a resolver returns when its value is still to load: graphql-core awaits
    it. (A resolver returns its value itself when it is loaded already.)"""
    return cast(T, awaitable)


def translations_of(self: Any) -> list[Translation]:
    """A partner's or program's translations, made only when asked for."""
    return Translation.all_of(self.given)


class SlugNode(relay.Node):
    """A node whose global id is built from its slug, stable across reloads."""

    slug: str

    @classmethod
    def resolve_id(cls, root: Self, *, info: Info) -> str:
        return root.slug


@strawberry.type(description="A street address.")
class Address:
    street: str
    city: str
    postal_code: str

    @classmethod
    def of(cls, row: Any) -> Self:
        return cls(street=row.street, city=row.city, postal_code=row.postal_code)


@strawberry.type(description="One of the four kinds of partnership with the district.")
class Category:
    slug: str
    name: str
    description: str
    requires_contract: bool = strawberry.field(
        description="Listed only while a signed district contract covers today."
    )
    translations: list[Translation]
    row_id: strawberry.Private[int]

    @strawberry.field(description=STABLE_ID)
    def uuid(self) -> UUID:
        return public_id(Kind.CATEGORY, self.row_id)

    @strawberry.field(description="How many publicly listed partners hold it.")
    async def partner_count(self, info: Info) -> int:
        return await info.context.loaders.category_counts.load(self.row_id)

    @classmethod
    def from_model(cls, row: m.Category, language: str = SOURCE) -> Self:
        texts, _ = localized(row, ("name", "description"), language)
        return cls(
            slug=row.slug,
            requires_contract=row.requires_contract,
            translations=Translation.all_of(row),
            row_id=row.id,
            **texts,
        )


@strawberry.type(description="A kind of service: tutoring, mentoring, mental health…")
class ServiceType:
    slug: str
    name: str
    description: str
    translations: list[Translation]
    row_id: strawberry.Private[int]

    @strawberry.field(description=STABLE_ID)
    def uuid(self) -> UUID:
        return public_id(Kind.SERVICE_TYPE, self.row_id)

    @strawberry.field(description="How many publicly listed partners offer it.")
    async def partner_count(self, info: Info) -> int:
        return await info.context.loaders.service_type_counts.load(self.row_id)

    @classmethod
    def from_model(cls, row: m.ServiceType, language: str = SOURCE) -> Self:
        texts, _ = localized(row, ("name", "description"), language)
        return cls(
            slug=row.slug,
            translations=Translation.all_of(row),
            row_id=row.id,
            **texts,
        )


@strawberry.type(description="A language, by its ISO 639 code.")
class Language:
    code: str
    name: str
    native_name: str

    @classmethod
    def from_model(cls, row: m.Language) -> Self:
        return cls(code=row.code, name=row.name, native_name=row.native_name)


@strawberry.type(description="A district school building.")
class SchoolSite(SlugNode):
    slug: str
    name: str
    level: SchoolLevel
    grade_min: int
    grade_max: int
    grades: str = strawberry.field(description='The grades served, e.g. "K–5".')
    address: Address
    phone: str
    latitude: float | None
    longitude: float | None
    row_id: strawberry.Private[int]
    language: strawberry.Private[str]  # its partners' texts are in this language

    @strawberry.field(description=STABLE_ID)
    def uuid(self) -> UUID:
        return public_id(Kind.SCHOOL_SITE, self.row_id)

    @strawberry.field(
        description="Publicly listed partners with a program here, A to Z."
    )
    async def partners(
        self, info: Info, first: int = PAGE_SIZE_DEFAULT, after: str | None = None
    ) -> Connection["Partner"]:
        start = page_start(first, after)
        loaders = info.context.loaders
        ids = await loaders.site_partner_ids.load(self.row_id)
        page = ids[start : start + first]

        async def nodes() -> list[Partner]:
            from api.prefetch import prepare_partners  # it builds on these types

            rows = await loaders.partners.load_many(page)
            found = [
                Partner.from_model(row, self.language)
                for row in rows
                if row is not None
            ]
            await prepare_partners(found, info, ("edges", "node"))
            return found

        async def count() -> int:
            return len(ids)

        return connection(len(page), start, len(ids) > start + first, nodes, count)

    @classmethod
    def from_model(cls, row: m.SchoolSite, language: str = SOURCE) -> Self:
        return cls(
            slug=row.slug,
            name=row.name,
            level=row.level,
            grade_min=row.grade_min,
            grade_max=row.grade_max,
            grades=grade_range(row.grade_min, row.grade_max),
            address=Address.of(row),
            phone=row.phone,
            latitude=row.latitude,
            longitude=row.longitude,
            row_id=row.id,
            language=language,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        sites = info.context.vocabulary[SOURCE].school_sites
        return cast(list[Self | None], [sites.slugged(slug) for slug in node_ids])


@strawberry.type(
    description="When and where a program meets: these weekdays, from one clock "
    "time to another in the district's time zone, every week of a term."
)
class Session:
    days: list[Weekday] = strawberry.field(description="In the week's order.")
    starts_at: time = strawberry.field(description="The district's wall clock.")
    ends_at: time
    valid_from: date = strawberry.field(description="The term's first day.")
    valid_until: date = strawberry.field(description="The term's last day.")
    school_site: "SchoolSite | None" = strawberry.field(
        description="Where it meets; null when at the partner's own site (see "
        "the partner's address, which a confidential one leaves out)."
    )

    @classmethod
    def of(cls, row: Any, sites: Any) -> Self:
        """`row`: a session's (program_id, days, start_minute, end_minute,
        valid_from, valid_until, site_id); `sites`: the vocabulary's schools."""
        _, days, start, end, first, last, site = row
        return cls(
            days=m.Weekday.listed(days),
            starts_at=clock(start),
            ends_at=clock(end),
            valid_from=first,
            valid_until=last,
            school_site=sites.of([site])[0] if site is not None else None,
        )


@strawberry.type(description="Something a partner runs for students.")
class Program(SlugNode):
    slug: str
    name: str
    description: str
    untranslated: list[str] = strawberry.field(
        description="Texts given in English, for want of a translation into the "
        "language asked for."
    )
    translations: list[Translation] = strawberry.field(resolver=translations_of)
    timing: list[Timing]
    grade_min: int
    grade_max: int
    grades: str = strawberry.field(description='The grades served, e.g. "K–5".')
    free: bool
    cost: str = strawberry.field(description='What families pay, e.g. "Free".')
    row_id: strawberry.Private[int]
    partner_row_id: strawberry.Private[int]
    pre: strawberry.Private[dict[str, Any]]  # lists loaded ahead, by field
    language: strawberry.Private[str]
    given: strawberry.Private[Any]  # the row, whose translations are made if asked

    @strawberry.field(description=STABLE_ID)
    def uuid(self) -> UUID:
        return public_id(Kind.PROGRAM, self.row_id)

    @strawberry.field
    def service_types(self, info: Info) -> list[ServiceType]:
        if (found := self.pre.get("serviceTypes")) is not None:
            return cast(list[ServiceType], found)
        return pending(self._service_types(info))

    async def _service_types(self, info: Info) -> list[ServiceType]:
        ids = await info.context.loaders.program_service_types.load(self.row_id)
        return info.context.vocabulary[self.language].service_types.of(ids)

    @strawberry.field(description="The school sites it runs at.")
    def school_sites(self, info: Info) -> list[SchoolSite]:
        if (found := self.pre.get("schoolSites")) is not None:
            return cast(list[SchoolSite], found)
        return pending(self._school_sites(info))

    async def _school_sites(self, info: Info) -> list[SchoolSite]:
        ids = await info.context.loaders.program_sites.load(self.row_id)
        return info.context.vocabulary[self.language].school_sites.of(ids)

    @strawberry.field(description="The languages it is offered in.")
    def languages(self, info: Info) -> list[Language]:
        if (found := self.pre.get("languages")) is not None:
            return cast(list[Language], found)
        return pending(self._languages(info))

    async def _languages(self, info: Info) -> list[Language]:
        ids = await info.context.loaders.program_languages.load(self.row_id)
        return info.context.vocabulary[self.language].languages.of(ids)

    @strawberry.field(
        description="When and where it meets, term by term; empty when the office "
        "knows only its timing."
    )
    def sessions(self, info: Info) -> list[Session]:
        if (found := self.pre.get("sessions")) is not None:
            return cast(list[Session], found)
        return pending(self._sessions(info))

    async def _sessions(self, info: Info) -> list[Session]:
        rows = await info.context.loaders.program_sessions.load(self.row_id)
        sites = info.context.vocabulary[self.language].school_sites
        return [Session.of(row, sites) for row in rows]

    @strawberry.field(description="Null when the partner is not publicly listed.")
    def partner(self, info: Info) -> "Partner | None":
        if "partner" in self.pre:  # loaded ahead with the page (api/prefetch.py)
            return cast("Partner | None", self.pre["partner"])
        return pending(self._partner(info))

    async def _partner(self, info: Info) -> "Partner | None":
        row = await info.context.loaders.listed_partner.load(self.partner_row_id)
        return Partner.from_model(row, self.language) if row else None

    @classmethod
    def from_model(cls, row: Any, language: str = SOURCE) -> Self:
        """`row`: a Program, or a row of PROGRAM_COLUMNS with attribute access."""
        texts, untranslated = localized(row, ("name", "description"), language)
        return cls(
            slug=row.slug,
            untranslated=untranslated,
            timing=[t for t, column in TIMINGS if getattr(row, column)],
            grade_min=row.grade_min,
            grade_max=row.grade_max,
            grades=grade_range(row.grade_min, row.grade_max),
            free=row.free,
            cost=row.cost,
            row_id=row.id,
            partner_row_id=row.partner_id,
            pre={},
            language=language,
            given=row,
            **texts,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        slugs = list(node_ids)
        programs = info.context.listing.programs()
        rows = {r.slug: r for r in await programs.filter(slug__in=slugs)}
        return [cls.from_model(rows[s]) if s in rows else None for s in slugs]


@strawberry.type(description="What the public and the office both see of a partner.")
class PartnerProfile:
    slug: str
    name: str
    summary: str = strawberry.field(description="One sentence about the partner.")
    description: str
    untranslated: list[str] = strawberry.field(
        description="Texts given in English, for want of a translation into the "
        "language asked for."
    )
    translations: list[Translation] = strawberry.field(resolver=translations_of)
    website: str
    email: str
    phone: str
    address_confidential: bool = strawberry.field(
        description="The partner shares its address on request only."
    )
    last_verified_on: date | None = strawberry.field(
        description="When the office last checked this record."
    )
    row_id: strawberry.Private[int]
    pre: strawberry.Private[dict[str, Any]]  # lists loaded ahead, by field
    language: strawberry.Private[str]
    given: strawberry.Private[Any]  # the row, whose translations are made if asked

    @strawberry.field(description=STABLE_ID)
    def uuid(self) -> UUID:
        return public_id(Kind.PARTNER, self.row_id)

    @strawberry.field
    def categories(self, info: Info) -> list[Category]:
        if (found := self.pre.get("categories")) is not None:
            return cast(list[Category], found)
        return pending(self._categories(info))

    async def _categories(self, info: Info) -> list[Category]:
        ids = await info.context.loaders.categories.load(self.row_id)
        return info.context.vocabulary[self.language].categories.of(ids)

    @strawberry.field
    def programs(self, info: Info) -> list[Program]:
        if (found := self.pre.get("programs")) is not None:
            return cast(list[Program], found)
        return pending(self._programs(info))

    async def _programs(self, info: Info) -> list[Program]:
        rows = await info.context.loaders.programs.load(self.row_id)
        return [Program.from_model(row, self.language) for row in rows]

    @strawberry.field(description="Every service type its programs offer.")
    def service_types(self, info: Info) -> list[ServiceType]:
        if (found := self.pre.get("serviceTypes")) is not None:
            return cast(list[ServiceType], found)
        return pending(self._service_types(info))

    async def _service_types(self, info: Info) -> list[ServiceType]:
        ids = await info.context.loaders.partner_service_types.load(self.row_id)
        return info.context.vocabulary[self.language].service_types.of(ids)

    @strawberry.field(description="Every school site its programs run at.")
    def school_sites(self, info: Info) -> list[SchoolSite]:
        if (found := self.pre.get("schoolSites")) is not None:
            return cast(list[SchoolSite], found)
        return pending(self._school_sites(info))

    async def _school_sites(self, info: Info) -> list[SchoolSite]:
        ids = await info.context.loaders.partner_sites.load(self.row_id)
        return info.context.vocabulary[self.language].school_sites.of(ids)

    @strawberry.field(description="Every language its programs are offered in.")
    def languages(self, info: Info) -> list[Language]:
        if (found := self.pre.get("languages")) is not None:
            return cast(list[Language], found)
        return pending(self._languages(info))

    async def _languages(self, info: Info) -> list[Language]:
        ids = await info.context.loaders.partner_languages.load(self.row_id)
        return info.context.vocabulary[self.language].languages.of(ids)

    @staticmethod
    def profile(row: Any, language: str = SOURCE) -> dict[str, Any]:
        """The shared fields' values, for the from_model() of each projection."""
        texts, untranslated = localized(
            row, ("name", "summary", "description"), language
        )
        return {
            "slug": row.slug,
            **texts,
            "untranslated": untranslated,
            "website": row.website,
            "email": row.email,
            "phone": row.phone,
            "address_confidential": row.address_confidential,
            "last_verified_on": row.last_verified_on,
            "row_id": row.id,
            "pre": {},
            "language": language,
            "given": row,
        }


@strawberry.type(description="An organization that serves the district's students.")
class Partner(PartnerProfile, SlugNode):
    address: Address | None = strawberry.field(
        description="Null when the address is kept confidential."
    )

    @classmethod
    def from_model(cls, row: Any, language: str = SOURCE) -> Self:
        """`row`: a Partner, or a row of PARTNER_COLUMNS with attribute access."""
        public = not row.address_confidential and row.street
        address = Address.of(row) if public else None
        return cls(address=address, **cls.profile(row, language))

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        slugs = list(node_ids)
        partners = info.context.listing.partners()
        rows = {r.slug: r for r in await partners.filter(slug__in=slugs)}
        return [cls.from_model(rows[s]) if s in rows else None for s in slugs]


@strawberry.type(
    description="A program at one of the school sites it runs at (Open Referral's "
    "service_at_location)."
)
class ProgramSite:
    program: Program
    school_site: SchoolSite

    @strawberry.field(description=STABLE_ID)
    def uuid(self) -> UUID:
        from models.public_ids import link_key

        key = link_key(self.program.row_id, self.school_site.row_id)
        return public_id(Kind.LINK, key)
