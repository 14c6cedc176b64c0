"""Partner and program filters, turned into querysets over the public partners."""

from datetime import date, datetime, time
from typing import Any
from uuid import UUID

import strawberry
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

import models as m
from api.enums import Timing, Weekday
from api.errors import UserInputError
from models.changes import ListedPartner
from models.grades import GRADE_MAX, GRADE_MIN
from models.public_ids import Kind, key_of
from models.session import minute_of
from models.validation import is_key, utc

MAX_SEARCH_WORDS = 10
MAX_SEARCH_CHARS = 200


@strawberry.input(
    description=(
        "Conditions that combine with AND. Program conditions (service types, school "
        "sites, grade, language, timing, free, days, startsFrom) must all hold for "
        "one and the same "
        "program of the partner."
    )
)
class PartnerFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Words that must all appear in the name, summary or description "
        "(for programs: in the program's or its partner's).",
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
    days: list[Weekday] | None = strawberry.field(
        default=None,
        description="The program meets on any of these weekdays, in a session "
        "whose term has not ended.",
    )
    starts_from: time | None = strawberry.field(
        default=None,
        description="The program has a session, whose term has not ended, that "
        "starts at or after this time on the district's clock (15:00: after 3 pm); "
        "with `days`, the same session meets on one of them.",
    )
    partner_ids: list[UUID] | None = strawberry.field(
        default=None,
        description="Partners by their stable id (`uuid`); any of them. For "
        "programs: the programs of these partners.",
    )
    program_ids: list[UUID] | None = strawberry.field(
        default=None,
        description="Programs by their stable id (`uuid`); any of them. For "
        "partners: the partners running one of them.",
    )
    modified_after: datetime | None = strawberry.field(
        default=None,
        description="Only partners whose public record changed, or who entered "
        "the listing, after this moment (ISO 8601 with a time zone). Partners that "
        "left the listing are in `listingChanges`.",
    )


def _runs(timing: Timing) -> Q:
    flag: dict[str, Any] = {timing.value: True}
    return Q(**flag)


def _meeting(f: PartnerFilter, day: date) -> Q | None:
    """Programs with a session, not ended by `day`, that meets `f`'s days and
    start time (one and the same session)."""
    if f.days is None and f.starts_from is None:
        return None
    session = Q(valid_until__gte=day)
    if f.days is not None:  # any of them, as with every list here: [] is none
        on_days = (Q(days__contains=d.value) for d in f.days)
        session &= Q(*on_days, join_type="OR") if f.days else Q(id__in=[])
    if f.starts_from is not None:
        session &= Q(start_minute__gte=minute_of(f.starts_from))
    return Q(id__in=Subquery(m.Session.filter(session).values("program_id")))


def _program_conditions(f: PartnerFilter, day: date) -> list[Q]:
    conditions: list[Q] = []
    if (meeting := _meeting(f, day)) is not None:
        conditions.append(meeting)
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
    if f.program_ids is not None:
        conditions.append(Q(id__in=_keys(Kind.PROGRAM, f.program_ids)))
    return conditions


MAX_IDS = 100


def _keys(kind: Kind, ids: list[UUID]) -> list[int]:
    """The row keys of our ids among `ids` (others match nothing)."""
    name = "partnerIds" if kind is Kind.PARTNER else "programIds"
    if len(ids) > MAX_IDS:
        raise UserInputError(
            f"{name} takes at most {MAX_IDS} ids, got {len(ids)}",
            argument=f"filter.{name}",
        )
    found = (key_of(kind, str(i)) for i in ids)
    # An id of ours can hold a key no row has, nor any integer column could.
    return [key for key in found if key is not None and is_key(key)]


def _since(moment: datetime) -> datetime:
    """`modifiedAfter` in UTC, as the database compares it."""
    if moment.tzinfo is None:
        raise UserInputError(
            "modifiedAfter needs a time zone, e.g. 2026-09-01T00:00:00Z",
            argument="filter.modifiedAfter",
        )
    found = utc(moment)
    if found is None:
        raise UserInputError(
            "modifiedAfter is out of range: in UTC it must fall between "
            "0001-01-01 and 9999-12-31",
            argument="filter.modifiedAfter",
        )
    return found


def _search_words(search: str) -> list[str]:
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
    return words


def _search_condition(search: str) -> Q | None:
    words = _search_words(search)
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
    programs: QuerySet[m.Program], f: PartnerFilter | None, day: date
) -> QuerySet[m.Program]:
    """The programs among `programs` that meet every program condition of `f` on
    `day` (the district's, which ends sessions' terms)."""
    return _programs_meeting(programs, _program_conditions(f, day) if f else [])


def matching_partners(
    partners: QuerySet[m.Partner], f: PartnerFilter | None, day: date
) -> QuerySet[m.Partner]:
    """The partners among `partners` that meet `f` on `day`."""
    if f is None:
        return partners
    if f.search is not None and (condition := _search_condition(f.search)):
        partners = partners.filter(condition)
    if f.partner_ids is not None:
        partners = partners.filter(id__in=_keys(Kind.PARTNER, f.partner_ids))
    if f.modified_after is not None:
        changed = ListedPartner.filter(modified__gt=_since(f.modified_after))
        partners = partners.filter(id__in=Subquery(changed.values("partner_key")))
    if f.categories is not None:
        in_categories = m.Partner.filter(categories__slug__in=f.categories).values("id")
        partners = partners.filter(id__in=Subquery(in_categories))
    if conditions := _program_conditions(f, day):
        programs = _programs_meeting(m.Program.all(), conditions).values("partner_id")
        partners = partners.filter(id__in=Subquery(programs))
    return partners


def listed_programs(
    listing: m.Listing, f: PartnerFilter | None = None
) -> QuerySet[m.Program]:
    """Programs of the listing's partners that meet the filter: its program
    conditions, its partner conditions (categories, partner ids, modifiedAfter)
    held by the program's partner, and its search words, each in the program's
    texts or its partner's."""
    programs = listing.programs()
    if f is None:
        return programs
    partner_part = PartnerFilter(
        categories=f.categories,
        partner_ids=f.partner_ids,
        modified_after=f.modified_after,
    )
    if any(v is not None for v in partner_part.__dict__.values()):
        owners = matching_partners(listing.partners(), partner_part, listing.day)
        owners = owners.order_by("id")
        programs = programs.filter(partner_id__in=Subquery(owners.values("id")))
    if f.search is not None and (words := _search_words(f.search)):
        programs = programs.filter(
            Q(
                *(
                    Q(name__icontains=w)
                    | Q(description__icontains=w)
                    | Q(partner__name__icontains=w)
                    | Q(partner__summary__icontains=w)
                    | Q(partner__description__icontains=w)
                    for w in words
                )
            )
        )
    return matching_programs(programs, f, listing.day)


def listed_partners(
    listing: m.Listing, f: PartnerFilter | None = None
) -> QuerySet[m.Partner]:
    """The listing's partners that meet the filter."""
    return matching_partners(listing.partners(), f, listing.day)
