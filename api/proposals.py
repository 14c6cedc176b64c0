"""What a partner's proposal would change, checked as staff's own updates check it.

A proposal is kept as it was sent (`ProposalInput`, as plain JSON: `stored`), and
read back into the staff mutations' inputs (`PartnerInput`, `ProgramInput`) each
time it is planned: when it is sent (a proposal that changes nothing, or does not
check, is refused), when the office looks at it (the differences against the
record as it is now, field by field) and when an editor approves it (the same
checks again, then one write)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from strawberry import UNSET
from tortoise.models import Model

import models as m
from api.inputs import (
    PartnerInput,
    ProgramInput,
    ProposalInput,
    SessionInput,
    TranslationInput,
)
from api.mutations.partners import PARTNERS
from api.mutations.programs import PROGRAMS
from api.mutations.writes import Relations, camel, provided
from models import audit
from models.validation import Checker

PARTNER_FIELDS = ("summary", "description", "website", "email", "phone")
MOST_PROGRAMS = 50  # programs one proposal may change


def stored(given: ProposalInput) -> dict[str, Any]:
    """The proposal as JSON: the partner's fields given, and each program's."""
    partner = {name: getattr(given, name) for name in PARTNER_FIELDS}
    partner["translations"] = given.translations
    return {
        "partner": _plain(partner),
        "programs": [_plain(provided(p)) for p in given.programs],
    }


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """Given values as JSON: translations and sessions as objects, days by code,
    dates and times in ISO 8601."""
    kept: dict[str, Any] = {}
    for name, value in values.items():
        if value is UNSET:
            continue
        if name == "translations" and value is not None:
            value = [provided(t) for t in value]
        elif name == "sessions" and value is not None:
            value = [_session(s) for s in value]
        kept[name] = value
    return kept


def _session(given: SessionInput) -> dict[str, Any]:
    return {
        "days": [m.Weekday(d).value for d in given.days],
        "starts_at": given.starts_at.isoformat("minutes"),
        "ends_at": given.ends_at.isoformat("minutes"),
        "valid_from": given.valid_from.isoformat(),
        "valid_until": given.valid_until.isoformat(),
        "school_site": given.school_site,
    }


def _translations(values: dict[str, Any]) -> None:
    if values.get("translations") is not None:
        values["translations"] = [TranslationInput(**t) for t in values["translations"]]


def partner_input(kept: dict[str, Any]) -> PartnerInput:
    values = dict(kept.get("partner", {}))
    _translations(values)
    return PartnerInput(**values)


def program_input(kept: dict[str, Any]) -> ProgramInput:
    values = {name: value for name, value in kept.items() if name != "slug"}
    _translations(values)
    if values.get("sessions") is not None:
        values["sessions"] = [
            SessionInput(
                days=[m.Weekday(d) for d in s["days"]],
                starts_at=time.fromisoformat(s["starts_at"]),
                ends_at=time.fromisoformat(s["ends_at"]),
                valid_from=date.fromisoformat(s["valid_from"]),
                valid_until=date.fromisoformat(s["valid_until"]),
                school_site=s["school_site"],
            )
            for s in values["sessions"]
        ]
    return ProgramInput(**values)


@dataclass(frozen=True)
class Difference:
    field: str  # "phone", "translations.es.summary", "programs.chess.sessions"
    before: str
    after: str


@dataclass
class Step:
    """One record's write: its row, the values and relations it gets."""

    row: Model
    action: str
    values: dict[str, Any]
    relations: Relations


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    def add(self, step: Step, differences: list[Difference]) -> None:
        """A record's step, if it changes anything (else it writes nothing)."""
        if differences:
            self.steps.append(step)
            self.differences += differences


async def plan(partner: m.Partner, kept: dict[str, Any], checker: Checker) -> Plan:
    """What `kept` would write to `partner` and its programs, and how that differs
    from them now; problems go to `checker`, by the input's paths."""
    done = Plan()
    values = provided(partner_input(kept))
    for i, given in enumerate(values.get("translations") or []):
        if given.name is not UNSET:
            checker.add(f"input.translations.{i}.name", "is kept by the office")
    relations = await PARTNERS.check(checker, values, partner, False)
    done.add(
        Step(partner, "partner.update", values, relations),
        _changed("", partner, values),
    )
    programs = kept.get("programs", [])
    if len(programs) > MOST_PROGRAMS:
        checker.add("input.programs", f"are {len(programs)}; at most {MOST_PROGRAMS}")
    for i, entry in enumerate(programs[:MOST_PROGRAMS]):
        where = f"input.programs.{i}"
        row = await m.Program.get_or_none(slug=entry["slug"], partner_id=partner.pk)
        if row is None:
            checker.add(f"{where}.slug", "is not one of this partner's programs")
            continue
        await _program(done, checker, where, row, program_input(entry))
    return done


async def _program(
    done: Plan, checker: Checker, where: str, row: m.Program, given: ProgramInput
) -> None:
    """A program's step, checked as updateProgram checks it (its problems named
    under `where`), and its differences."""
    values = provided(given)
    for i, text in enumerate(values.get("translations") or []):
        if text.name is not UNSET:
            checker.add(f"{where}.translations.{i}.name", "is kept by the office")
    own = Checker(today=checker.today)
    relations = await PROGRAMS.check(own, values, row, False)
    for problem in own.problems:
        checker.add(where + problem.field.removeprefix("input"), problem.message)
    prefix = f"programs.{row.slug}."
    differences = _changed(prefix, row, values) + await _related(prefix, row, relations)
    done.add(Step(row, "program.update", values, relations), differences)


def _changed(prefix: str, row: Model, values: dict[str, Any]) -> list[Difference]:
    """The differences of a row's own fields, a translation's text by text."""
    found = []
    for name, (old, new) in audit.differences(row, values).items():
        if name != "translations":
            found.append(Difference(prefix + camel(name), _text(old), _text(new)))
            continue
        for language in sorted({*old, *new}):
            before, after = old.get(language, {}), new.get(language, {})
            for text in sorted({*before, *after}):
                if before.get(text, "") != after.get(text, ""):
                    where = f"{prefix}translations.{language}.{text}"
                    found.append(
                        Difference(where, before.get(text, ""), after.get(text, ""))
                    )
    return found


async def _related(prefix: str, row: Model, relations: Relations) -> list[Difference]:
    """The differences of a program's schools, languages and sessions."""
    found = []
    for name, new in relations.items():
        if isinstance(new, Sequence):
            before = sorted(audit.key_of(r) for r in await getattr(row, name).all())
            after = sorted(audit.key_of(r) for r in new)
            label = "schoolSites" if name == "sites" else name
        else:
            rows = await m.Session.filter(program_id=row.pk).prefetch_related("site")
            before = sorted(s.audit_text() for s in rows)
            after = sorted(s.audit_text() for s in new.rows)
            label = name
        if before != after:
            found.append(Difference(prefix + label, _text(before), _text(after)))
    return found


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


async def write(steps: list[Step], actor: str, reason: str) -> None:
    """The plan's writes, each audited as `actor`'s with `reason` (call inside a
    transaction)."""
    for step in steps:
        links = {k: v for k, v in step.relations.items() if isinstance(v, Sequence)}
        owned = {k: v for k, v in step.relations.items() if isinstance(v, audit.Owned)}
        await audit.save(
            actor, step.action, step.row, step.values, links, reason, owned=owned
        )


def narrowed(kept: dict[str, Any], differences: list[Difference]) -> dict[str, Any]:
    """`kept` reduced to what differs from the record now, so that approving it
    later changes only what the partner changed, never undoing what the office
    wrote in between. Lists keep their places (a program with nothing changed
    stays as its slug alone), so problems found later name the same places."""
    changed = {d.field for d in differences}
    partner = {
        name: value
        for name, value in kept.get("partner", {}).items()
        if name in PARTNER_FIELDS and name in changed
    }
    texts = _texts(kept.get("partner", {}).get("translations"), "", changed)
    if texts is not None:
        partner["translations"] = texts
    programs = []
    for entry in kept.get("programs", []):
        prefix = f"programs.{entry['slug']}."
        program = {
            name: value
            for name, value in entry.items()
            if name == "slug" or prefix + camel(name) in changed
        }
        texts = _texts(entry.get("translations"), prefix, changed)
        if texts is not None:
            program["translations"] = texts
        programs.append(program)
    return {"partner": partner, "programs": programs}


def _texts(
    given: list[dict[str, Any]] | None, prefix: str, changed: set[str]
) -> list[dict[str, Any]] | None:
    """The translations given, each with only the texts that differ; None when
    none does."""
    if not given:
        return None
    kept = [
        {
            name: value
            for name, value in one.items()
            if name == "language"
            or f"{prefix}translations.{one.get('language')}.{name}" in changed
        }
        for one in given
    ]
    return kept if any(len(one) > 1 for one in kept) else None
