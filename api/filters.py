"""Partner and program filters, turned into querysets over the public partners."""

from enum import Enum
from typing import Any

import strawberry
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

import models as m
from api.errors import UserInputError

GRADE_MIN, GRADE_MAX = -1, 12
MAX_SEARCH_WORDS = 10


@strawberry.enum(description="When a program runs.")
class Timing(Enum):
    DURING_SCHOOL = "during_school"
    AFTER_SCHOOL = "after_school"
    SUMMER = "summer"
    WEEKENDS = "weekends"


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


def matching_programs(
    programs: QuerySet[m.Program], f: PartnerFilter | None
) -> QuerySet[m.Program]:
    """The programs among `programs` that meet every program condition of `f`."""
    for condition in _program_conditions(f) if f else []:
        programs = programs.filter(
            id__in=Subquery(m.Program.filter(condition).values("id"))
        )
    return programs


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
    if _program_conditions(f):
        programs = matching_programs(m.Program.all(), f).values("partner_id")
        partners = partners.filter(id__in=Subquery(programs))
    return partners


def public_programs(f: PartnerFilter | None = None) -> QuerySet[m.Program]:
    """Programs of publicly listed partners that meet the filter's program part."""
    listed = Subquery(m.Partner.public().values("id"))
    return matching_programs(m.Program.filter(partner_id__in=listed), f)


def public_partners(f: PartnerFilter | None = None) -> QuerySet[m.Partner]:
    """Publicly listed partners that meet the filter."""
    return matching_partners(m.Partner.public(), f)
