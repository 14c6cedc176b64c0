"""Applications to become a partner: the one public mutation, which anyone may
send (the directory's form at /apply/ does), and the office's decision on each.
An application makes an APPLIED partner with its programs, which the public never
sees until an editor approves it (models/listing.py decides, as for any partner)."""

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any

import strawberry
from tortoise.transactions import in_transaction

import models as m
from api.bounds import MAX_APPLICATION_ERRORS
from api.context import Info
from api.inputs import ApplicationInput, ApplicationProgramInput
from api.mutations.programs import PROGRAMS
from api.mutations.writes import Payload, Relations, failed, lookup, refused
from api.permissions import EDITORS, actor
from api.staff_types import Application, FieldError
from models import audit
from models.application import (
    ATTESTATIONS,
    MAX_PROGRAMS,
    MAX_SESSIONS,
    WAITING,
    Bounds,
    address_key,
    duplicate,
    name_key,
)
from models.changes import record_listing
from models.clock import now
from models.languages import SOURCE
from models.settings import current
from models.validation import Checker, parse_key


@strawberry.type(
    description="Whether the application was received; nothing about any partner "
    "is given back."
)
class ApplicationReceipt:
    received: bool
    errors: list[FieldError] = strawberry.field(
        description="Empty when it was received; otherwise nothing was written."
    )


@strawberry.enum(description="What the office decides on an application.")
class ApplicationDecision(Enum):
    APPROVE = "approve"  # the partner is approved (listed once a contract covers it)
    ASK_CHANGES = "ask_changes"  # the applicant is asked to change something
    DECLINE = "decline"  # the partner is made inactive


DECIDED = {
    ApplicationDecision.APPROVE: (
        m.ApplicationState.APPROVED,
        m.PartnerStatus.APPROVED,
    ),
    ApplicationDecision.ASK_CHANGES: (m.ApplicationState.CHANGES_ASKED, None),
    ApplicationDecision.DECLINE: (
        m.ApplicationState.DECLINED,
        m.PartnerStatus.INACTIVE,
    ),
}


@dataclass
class Checked:
    """An application's rows to write, once every field is right."""

    partner: dict[str, Any]
    categories: list[m.Category]
    programs: list[tuple[dict[str, Any], Relations]]


def slug_of(name: str) -> str:
    """A slug from a name: "Bright Minds, Inc." → "bright-minds-inc"."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    ascii_only = folded.encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_only))[:60].strip("-") or "applicant"


async def _free_slug(model: type[m.Partner] | type[m.Program], base: str) -> str:
    """`base`, or `base-2`, `base-3`…: the first no row of `model` has."""
    found = await model.filter(slug__startswith=base).values_list("slug", flat=True)
    taken = {str(slug) for slug in found}
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_applicant(checker: Checker, given: ApplicationInput) -> None:
    """The organization's and the contact's fields, the language and what the
    applicant attests."""
    checker.text(
        "input.organization", given.organization, max_length=200, required=True
    )
    checker.text("input.summary", given.summary, max_length=300)
    checker.url("input.website", given.website)
    checker.phone("input.phone", given.phone)
    checker.email("input.email", given.email)
    checker.text("input.contactName", given.contact_name, max_length=120, required=True)
    checker.text(
        "input.contactEmail", given.contact_email, max_length=254, required=True
    )
    checker.email("input.contactEmail", given.contact_email)
    checker.phone("input.contactPhone", given.contact_phone)
    if given.language not in current().district_languages:
        checker.add(
            "input.language", "is not one of the district's languages", given.language
        )
    missing = [a for a in ATTESTATIONS if a not in given.attestations]
    unknown = [a for a in given.attestations if a not in ATTESTATIONS]
    if missing:
        checker.add("input.attestations", f"must include {', '.join(missing)}: the "
                    "district asks every partner to attest it")  # fmt: skip
    if unknown:
        checker.add("input.attestations", f"has unknown {', '.join(unknown)}")


async def _checked(checker: Checker, given: ApplicationInput) -> Checked:
    """The application checked field by field into `checker`."""
    _check_applicant(checker, given)
    if not given.categories:
        checker.add("input.categories", "is required: at least one category")
    categories = await lookup(
        checker, "input.categories", m.Category, "slug", given.categories[:10]
    )
    if not 1 <= len(given.programs) <= MAX_PROGRAMS:
        checker.add(
            "input.programs",
            f"must give 1 to {MAX_PROGRAMS} programs",
            len(given.programs),
        )
    programs = []
    for i, program in enumerate(given.programs[:MAX_PROGRAMS]):
        programs.append(await _program(checker, f"input.programs.{i}", program))
    partner = {
        "name": given.organization.strip(),
        "summary": given.summary.strip(),
        "website": given.website,
        "phone": given.phone,
        "email": given.email,
        "status": m.PartnerStatus.APPLIED,
        "status_reason": "applied through the directory's form",
    }
    return Checked(partner, categories, programs)


async def _program(
    checker: Checker, where: str, given: ApplicationProgramInput
) -> tuple[dict[str, Any], Relations]:
    """A program checked as staff's createProgram checks one (its errors named
    under `where`), with a slug the write gives it."""
    if not given.service_types:
        checker.add(f"{where}.serviceTypes", "is required: at least one service type")
    if len(given.sessions) > MAX_SESSIONS:
        checker.add(f"{where}.sessions", f"at most {MAX_SESSIONS}", len(given.sessions))
    values: dict[str, Any] = {
        "slug": "pending",  # the write gives it its own (`_free_slug`)
        "name": given.name,
        "description": given.description,
        "service_types": given.service_types[:20],
        "school_sites": given.school_sites[:50],
        "languages": given.languages[:20],
        "sessions": given.sessions[:MAX_SESSIONS],
        "grade_min": given.grade_min,
        "grade_max": given.grade_max,
    }
    own = Checker(today=checker.today)
    relations = await PROGRAMS.check(own, values, m.Program(), True)
    for problem in own.problems:
        field = where + problem.field.removeprefix("input")
        checker.add(field, problem.message, problem.value)
    return values, relations


async def apply(
    info: Info, given: ApplicationInput, validate_only: bool = False
) -> ApplicationReceipt:
    """Check, look for the same application sent again, bound, then write the
    partner, its programs and the application in one transaction; only check,
    with `validate_only`."""
    checker = Checker(today=info.context.day)
    checked = await _checked(checker, given)
    if checker.problems or validate_only:
        errors = failed(checker)[:MAX_APPLICATION_ERRORS]
        return ApplicationReceipt(received=False, errors=errors)
    moment, day = now(), info.context.day
    if await duplicate(given.organization, given.contact_email, moment):
        return ApplicationReceipt(received=True, errors=[])  # the same one again
    settings = current()
    bounds = Bounds(
        settings.applications_per_address,
        settings.applications_per_hour,
        settings.applications_waiting,
    )
    if refusal := await bounds.refusal(info.context.client, day, moment):
        return ApplicationReceipt(received=False, errors=refused("input", refusal))
    await _write(info, given, checked)
    return ApplicationReceipt(received=True, errors=[])


async def _write(info: Info, given: ApplicationInput, checked: Checked) -> None:
    """The partner, its programs (each with a slug of its own) and the
    application, with their audit entries, in one transaction."""
    applicant = f"applicant {given.contact_email.casefold()}"[:80]
    async with in_transaction():
        slug = await _free_slug(m.Partner, slug_of(given.organization))
        partner = m.Partner(slug=slug)
        await audit.save(
            applicant, "partner.apply", partner, checked.partner,
            {"categories": checked.categories},
        )  # fmt: skip
        for values, relations in checked.programs:
            base = f"{slug}-{slug_of(values['name'])}"[:70]
            values["slug"] = await _free_slug(m.Program, base)
            program = m.Program(partner=partner)
            links = {k: v for k, v in relations.items() if isinstance(v, list)}
            owned = {k: v for k, v in relations.items() if isinstance(v, audit.Owned)}
            await audit.save(
                applicant, "program.apply", program, values, links, owned=owned
            )
        await m.Application.create(
            partner=partner,
            contact_name=given.contact_name.strip(),
            contact_email=given.contact_email.casefold(),
            contact_phone=given.contact_phone,
            name_key=name_key(given.organization),
            attestations=sorted(set(given.attestations)),
            language=given.language or SOURCE,
            address_key=address_key(info.context.client, info.context.day),
        )
        await record_listing(info.context.listing)


async def decide(
    info: Info, id: strawberry.ID, decision: ApplicationDecision, reason: str
) -> Payload[Application]:
    """The office's decision, with its reason, on an application still waiting:
    the application's state and its partner's status change together, audited."""
    checker = Checker()
    checker.text("reason", reason, max_length=500, required=True)
    if checker.problems:
        return Payload(record=None, errors=failed(checker))
    key = parse_key(str(id))  # a number no row could have is no application
    row = None if key is None else await m.Application.get_or_none(id=key)
    if row is None:
        return Payload(record=None, errors=refused("id", f"no application {id!r}"))
    if row.state not in WAITING:
        message = f"was decided already ({row.state.value}): change the partner instead"
        return Payload(record=None, errors=refused("id", message))
    state, status = DECIDED[decision]
    who = actor(info)
    async with in_transaction():
        await row.fetch_related("partner")
        if status is not None:
            values = {"status": status, "status_reason": reason}
            await audit.save(who, "partner.status", row.partner, values, reason=reason)
        decided = {"state": state, "decision_reason": reason, "decided_by": who,
                   "decided_at": now()}  # fmt: skip
        await audit.save(
            who, f"application.{decision.value}", row, decided, reason=reason
        )
        await record_listing(info.context.listing)
    return Payload(record=Application.from_model(row), errors=[])


@strawberry.type
class ApplicationMutations:
    @strawberry.mutation(
        description="Apply to become a partner (anyone may; what the directory's "
        "form sends). Makes an APPLIED partner the office reviews; the same "
        "organization or contact e-mail within a day is one application."
    )
    async def apply_to_become_partner(
        self,
        info: Info,
        input: ApplicationInput,
        validate_only: Annotated[
            bool,
            strawberry.argument(
                description="Only check the input, field by field: nothing is "
                "written, and `received` is false."
            ),
        ] = False,
    ) -> ApplicationReceipt:
        return await apply(info, input, validate_only)

    @strawberry.mutation(
        permission_classes=EDITORS,
        description="Approve, ask for changes or decline an application, with a "
        "reason: approving approves its partner (listed once a contract covers "
        "it), declining makes it inactive.",
    )
    async def decide_application(
        self,
        info: Info,
        id: strawberry.ID,
        decision: ApplicationDecision,
        reason: str,
    ) -> Payload[Application]:
        return await decide(info, id, decision, reason)
