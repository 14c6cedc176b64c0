"""Mutations on programs: create, update."""

from collections.abc import Callable, Sequence
from typing import Any, cast

import strawberry
from tortoise.models import Model

import models as m
from api.context import Info
from api.inputs import ProgramInput, SessionInput
from api.mutations.writes import (
    Payload,
    Records,
    Relations,
    check_slug_free,
    labels,
    lookup,
    translated,
)
from api.permissions import EDITORS
from api.types import Program
from models.audit import Owned
from models.session import MAX_SESSIONS, minute_of
from models.validation import Checker, check_program, check_session

RELATED: dict[str, tuple[type[Model], str, str]] = {
    # input field: (model, key column, relation on Program)
    "service_types": (m.ServiceType, "slug", "service_types"),
    "school_sites": (m.SchoolSite, "slug", "sites"),
    "languages": (m.Language, "code", "languages"),
}


async def _checked(
    checker: Checker, values: dict[str, Any], program: m.Program, creating: bool
) -> Relations:
    """Grades are checked as they will stand, the given one with the other kept;
    service types, sites and languages are named by slug (or code)."""
    low = values.get("grade_min", program.grade_min)
    high = values.get("grade_max", program.grade_max)
    grades = {**values, "grade_min": low, "grade_max": high}
    check_program(checker, grades, labels("input"), creating=creating)
    relations: dict[str, Sequence[Model] | Owned] = {}
    for name, (model, key, relation) in RELATED.items():
        if name in values:
            wanted = values.pop(name) or []
            field = labels("input")(name)
            relations[relation] = await lookup(checker, field, model, key, wanted)
    if "timing" in values:
        values.update(m.Timing.columns(values.pop("timing") or []))
    sites = relations.get("sites")
    if "sessions" in values:
        schools = await program.sites.all() if sites is None and not creating else sites
        relations["sessions"] = _sessions(checker, values.pop("sessions"), schools)
    elif sites is not None and not creating:
        await _check_sessions_kept(checker, program, cast(Sequence[Model], sites))
    translated(checker, values, program.translations, ("name", "description"))
    await check_slug_free(checker, m.Program, values.get("slug"), program.slug)
    return relations


async def _check_sessions_kept(
    checker: Checker, program: m.Program, schools: Sequence[Model]
) -> None:
    """A program's schools may change while its sessions stay only if no session
    meets at a school it leaves: those sessions are changed in the same write."""
    kept = {school.pk for school in schools}
    at = m.SchoolSite.filter(sessions__program_id=program.pk, id__not_in=kept)
    left = ", ".join(
        sorted({str(slug) for slug in await at.values_list("slug", flat=True)})
    )
    if left:
        checker.add(
            "input.schoolSites",
            f"leaves out {left}, where sessions of this program meet: give its "
            "sessions in the same change",
            left,
        )


# check_session's names for a session's fields, as SessionInput calls them.
SESSION_FIELDS = {
    "days": "days",
    "starts_at": "startsAt",
    "ends_at": "endsAt",
    "from": "validFrom",
    "until": "validUntil",
    "where": "schoolSite",
}


SESSION_VALUES = ("start_minute", "end_minute", "valid_from", "valid_until")


def _session_label(index: int) -> Callable[[str], str]:
    return lambda name: f"input.sessions.{index}.{SESSION_FIELDS[name]}"


def _sessions(
    checker: Checker, given: list[SessionInput] | None, schools: Any
) -> Owned:
    """The program's new sessions, checked; `schools`: its school sites as they
    will stand."""
    by_slug = {site.slug: site for site in schools or ()}
    rows: list[m.Session] = []
    if len(given or ()) > MAX_SESSIONS:
        checker.add("input.sessions", f"are {len(given or ())}; at most {MAX_SESSIONS}")
    for i, session in enumerate((given or [])[:MAX_SESSIONS]):
        row = m.Session(
            days=m.Weekday.joined(session.days),
            start_minute=minute_of(session.starts_at),
            end_minute=minute_of(session.ends_at),
            valid_from=session.valid_from,
            valid_until=session.valid_until,
            site=by_slug.get(session.school_site or ""),
        )
        values = {
            **{name: getattr(row, name) for name in SESSION_VALUES},
            "days": session.days,
            "site": session.school_site,
        }
        check_session(checker, values, _session_label(i), set(by_slug))
        rows.append(row)
    return Owned(m.Session, "program_id", rows)


PROGRAMS = Records(m.Program, _checked, Program.from_model)


@strawberry.type
class ProgramMutations:
    @strawberry.mutation(permission_classes=EDITORS, description="Add a program.")
    async def create_program(
        self, info: Info, partner: str, input: ProgramInput
    ) -> Payload[Program]:
        return await PROGRAMS.create(info, "program.create", input, partner)

    @strawberry.mutation(permission_classes=EDITORS, description="Change a program.")
    async def update_program(
        self, info: Info, slug: str, input: ProgramInput
    ) -> Payload[Program]:
        return await PROGRAMS.update(info, "program.update", slug, input)
