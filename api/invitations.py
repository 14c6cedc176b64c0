"""What a partner's private link reads: its own public facts, as its update form
shows them to change, and nothing else (no agreements, notes, address, status, nor
any other partner). The answer is the link holder's alone: api/http.py never keeps
it in the answer cache nor lets another cache keep it."""

from datetime import date, datetime, time
from typing import Self

import strawberry

import models as m
from api.enums import Weekday
from api.texts import Translation
from models.clock import now
from models.invitation import opened

# Root fields whose answer is for the one caller holding a key (api/http.py).
FOR_ONE_CALLER = frozenset({"invitation"})


@strawberry.type(description="When and where a program meets, by school site slug.")
class InvitedSession:
    days: list[Weekday]
    starts_at: time
    ends_at: time
    valid_from: date
    valid_until: date
    school_site: str | None = strawberry.field(
        description="The school site's slug; null for the partner's own site."
    )

    @classmethod
    def from_model(cls, row: m.Session) -> Self:
        """`row` comes with its site fetched."""
        return cls(
            days=row.weekdays,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            school_site=row.site.slug if row.site is not None else None,
        )


@strawberry.type(description="One of the partner's programs, as its form shows it.")
class InvitedProgram:
    slug: str
    name: str
    description: str
    translations: list[Translation]
    school_sites: list[str] = strawberry.field(description="School site slugs.")
    languages: list[str] = strawberry.field(description="Language codes.")
    sessions: list[InvitedSession]


@strawberry.type(
    description="A partner's own public facts, for the private link the office sent "
    "it: what its update form shows and a proposal may change."
)
class InvitedRecord:
    slug: str
    name: str
    summary: str
    description: str
    website: str
    email: str
    phone: str
    translations: list[Translation]
    programs: list[InvitedProgram]
    expires_at: datetime = strawberry.field(description="The link's last moment.")


async def invited_record(key: str) -> InvitedRecord | None:
    """The record `key` opens now; None when it opens none (unknown, used or
    expired)."""
    invitation = await opened(key, now())
    if invitation is None:
        return None
    partner = invitation.partner
    programs = await m.Program.filter(partner_id=partner.pk).prefetch_related(
        "sites", "languages"
    )
    sessions: dict[int, list[m.Session]] = {}
    meeting = m.Session.filter(program__partner_id=partner.pk).prefetch_related("site")
    for session in await meeting:
        sessions.setdefault(session.program_id, []).append(session)
    return InvitedRecord(
        slug=partner.slug,
        name=partner.name,
        summary=partner.summary,
        description=partner.description,
        website=partner.website,
        email=partner.email,
        phone=partner.phone,
        translations=Translation.all_of(partner),
        programs=[_program(p, sessions.get(p.pk, [])) for p in programs],
        expires_at=invitation.expires_at,
    )


def _program(row: m.Program, sessions: list[m.Session]) -> InvitedProgram:
    return InvitedProgram(
        slug=row.slug,
        name=row.name,
        description=row.description,
        translations=Translation.all_of(row),
        school_sites=sorted(site.slug for site in row.sites),
        languages=sorted(language.code for language in row.languages),
        sessions=[InvitedSession.from_model(s) for s in sessions],
    )
