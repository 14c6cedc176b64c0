"""Partner and program filters, turned into querysets over the public partners."""

from typing import Any

import strawberry
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

import models as m
from api.enums import Timing
from api.errors import UserInputError
from models.grades import GRADE_MAX, GRADE_MIN

MAX_SEARCH_WORDS = 10
MAX_SEARCH_CHARS = 200


@strawberry.input(
    description=(
        "Conditions that combine with AND. Program conditions (service types, school "
        "sites, grade, language, timing, free) must all hold for one and the same "
        "program of the partner."
    )
)
class PartnerFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Words that must all appear in the name, summary or description.",
    )
    categories: list[str] | None = strawberry.field(
        default=None, description="Category slugs; the partner holds any of them."
    )
    service_types: list[str] | None = strawberry.field(
        default=None, description="Service type slugs; the program offers any of them."
    )
    school_sites: list[str] | None = strawberry.field(
        default=None, description="School site slugs; the program runs at any of them."
    )
    grade: int | None = strawberry.field(
        default=None,
        description="A grade the program serves: -1 pre-K, 0 kindergarten, 1-12.",
    )
    languages: list[str] | None = strawberry.field(
        default=None, description="Language codes (es, so, hmn…); any of them."
    )
    timing: list[Timing] | None = strawberry.field(
        default=None, description="The program runs at any of these times."
    )
    free: bool | None = strawberry.field(
        default=None, description="true: free programs only; false: paid only."
    )


def _runs(timing: Timing) -> Q:
    flag: dict[str, Any] = {timing.value: True}
    return Q(**flag)


def _program_conditions(f: PartnerFilter) -> list[Q]:
    conditions: list[Q] = []
    if f.service_types is not None:
        conditions.append(Q(service_types__slug__in=f.service_types))
    if f.school_sites is not None:
        conditions.append(Q(sites__slug__in=f.school_sites))
    if f.languages is not None:
        conditions.append(Q(languages__code__in=f.languages))
    if f.grade is not None:
        if not GRADE_MIN <= f.grade <= GRADE_MAX:
            raise UserInputError(
                f"grade must be between {GRADE_MIN} (pre-K) and {GRADE_MAX}, "
                f"got {f.grade}",
                argument="filter.grade",
            )
        conditions.append(Q(grade_min__lte=f.grade, grade_max__gte=f.grade))
    if f.timing is not None:
        conditions.append(Q(*(_runs(t) for t in f.timing), join_type="OR"))
    if f.free is not None:
        conditions.append(Q(free=f.free))
    return conditions


def _search_condition(search: str) -> Q | None:
    if len(search) > MAX_SEARCH_CHARS:
        raise UserInputError(
            f"search takes at most {MAX_SEARCH_CHARS} characters, got {len(search)}",
            argument="filter.search",
        )
    words = search.split()
    if len(words) > MAX_SEARCH_WORDS:
        raise UserInputError(
            f"search takes at most {MAX_SEARCH_WORDS} words, got {len(words)}",
            argument="filter.search",
        )
    if not words:
        return None
    return Q(
        *(
            Q(name__icontains=w) | Q(summary__icontains=w) | Q(description__icontains=w)
            for w in words
        )
    )


def _programs_meeting(
    programs: QuerySet[m.Program], conditions: list[Q]
) -> QuerySet[m.Program]:
    # One subquery per condition keeps each many-to-many join apart, so that
    # "tutoring AND at Cedar" means one program with both, not a join's cross rows.
    for condition in conditions:
        programs = programs.filter(
            id__in=Subquery(m.Program.filter(condition).values("id"))
        )
    return programs


def matching_programs(
    programs: QuerySet[m.Program], f: PartnerFilter | None
) -> QuerySet[m.Program]:
    """The programs among `programs` that meet every program condition of `f`."""
    return _programs_meeting(programs, _program_conditions(f) if f else [])


def matching_partners(
    partners: QuerySet[m.Partner], f: PartnerFilter | None
) -> QuerySet[m.Partner]:
    """The partners among `partners` that meet `f`."""
    if f is None:
        return partners
    if f.search is not None and (condition := _search_condition(f.search)):
        partners = partners.filter(condition)
    if f.categories is not None:
        in_categories = m.Partner.filter(categories__slug__in=f.categories).values("id")
        partners = partners.filter(id__in=Subquery(in_categories))
    if conditions := _program_conditions(f):
        programs = _programs_meeting(m.Program.all(), conditions).values("partner_id")
        partners = partners.filter(id__in=Subquery(programs))
    return partners


def listed_programs(
    listing: m.Listing, f: PartnerFilter | None = None
) -> QuerySet[m.Program]:
    """Programs of the listing's partners that meet the filter's program part."""
    return matching_programs(listing.programs(), f)


def listed_partners(
    listing: m.Listing, f: PartnerFilter | None = None
) -> QuerySet[m.Partner]:
    """The listing's partners that meet the filter."""
    return matching_partners(listing.partners(), f)
