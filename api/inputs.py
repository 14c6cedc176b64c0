"""Inputs of staff mutations. Every field may be left out: on create the required
ones are checked, on update only what is given changes."""

from datetime import date, time

import strawberry
from strawberry import UNSET

from api.enums import (
    AgreementKind,
    AgreementStatus,
    PartnerStatus,
    SchoolLevel,
    SupportKind,
    Timing,
    Weekday,
)


@strawberry.input(
    description="Texts in one of the district's languages (not English, which is "
    "the record's own). Fields left out stay as they are; an empty text removes "
    "that translation."
)
class TranslationInput:
    language: str
    name: str | None = UNSET
    summary: str | None = UNSET
    description: str | None = UNSET


TRANSLATIONS = strawberry.field(
    default=UNSET,
    description="Translations to set, language by language; languages not given "
    "stay as they are.",
)


@strawberry.input(description="A partner. Create needs slug and name.")
class PartnerInput:
    slug: str | None = UNSET
    name: str | None = UNSET
    summary: str | None = UNSET
    description: str | None = UNSET
    website: str | None = UNSET
    email: str | None = UNSET
    phone: str | None = UNSET
    street: str | None = UNSET
    city: str | None = UNSET
    postal_code: str | None = UNSET
    address_confidential: bool | None = UNSET
    categories: list[str] | None = strawberry.field(
        default=UNSET, description="Category slugs; replaces the partner's categories."
    )
    status: PartnerStatus | None = strawberry.field(
        default=UNSET,
        description="On create only (default APPLIED); then setPartnerStatus.",
    )
    internal_notes: str | None = UNSET
    last_verified_on: date | None = UNSET
    translations: list[TranslationInput] | None = TRANSLATIONS


@strawberry.input(
    description="When and where a program meets, week by week in a term: all "
    "fields but schoolSite are required."
)
class SessionInput:
    days: list[Weekday]
    starts_at: time = strawberry.field(
        description="The district's wall clock, whole minutes (e.g. 15:30)."
    )
    ends_at: time
    valid_from: date = strawberry.field(description="The term's first day.")
    valid_until: date = strawberry.field(
        description="The term's last day: at most 400 days after the first."
    )
    school_site: str | None = strawberry.field(
        default=None,
        description="The slug of one of the program's school sites; null for the "
        "partner's own site.",
    )


@strawberry.input(description="A program. Create needs slug, name, gradeMin, gradeMax.")
class ProgramInput:
    slug: str | None = UNSET
    name: str | None = UNSET
    description: str | None = UNSET
    service_types: list[str] | None = strawberry.field(
        default=UNSET, description="Service type slugs."
    )
    school_sites: list[str] | None = strawberry.field(
        default=UNSET, description="School site slugs."
    )
    languages: list[str] | None = strawberry.field(
        default=UNSET, description="Language codes."
    )
    timing: list[Timing] | None = UNSET
    sessions: list[SessionInput] | None = strawberry.field(
        default=UNSET,
        description="Replaces the program's sessions (at most 20); an empty list "
        "removes them.",
    )
    grade_min: int | None = UNSET
    grade_max: int | None = UNSET
    free: bool | None = UNSET
    cost: str | None = UNSET
    translations: list[TranslationInput] | None = TRANSLATIONS


@strawberry.input(description="A school site. Create needs every field but phone.")
class SchoolSiteInput:
    slug: str | None = UNSET
    name: str | None = UNSET
    level: SchoolLevel | None = UNSET
    grade_min: int | None = UNSET
    grade_max: int | None = UNSET
    street: str | None = UNSET
    city: str | None = UNSET
    postal_code: str | None = UNSET
    phone: str | None = UNSET


@strawberry.input(description="A service type. Create needs slug and name.")
class ServiceTypeInput:
    slug: str | None = UNSET
    name: str | None = UNSET
    description: str | None = UNSET
    translations: list[TranslationInput] | None = TRANSLATIONS


@strawberry.input(
    description="Evaluation training or technical assistance. Needs kind, heldOn, "
    "topic and staff."
)
class SupportRecordInput:
    kind: SupportKind | None = UNSET
    held_on: date | None = UNSET
    topic: str | None = UNSET
    staff: str | None = strawberry.field(
        default=UNSET, description="Who from the office gave it."
    )
    notes: str | None = UNSET


@strawberry.input(description="An agreement. Needs kind, startsOn and endsOn.")
class AgreementInput:
    kind: AgreementKind | None = UNSET
    status: AgreementStatus | None = strawberry.field(
        default=UNSET, description="Default ACTIVE (signed)."
    )
    starts_on: date | None = UNSET
    ends_on: date | None = UNSET
    program: str | None = strawberry.field(
        default=UNSET, description="The slug of the one program it covers, if any."
    )
    reference: str | None = UNSET
    notes: str | None = UNSET


@strawberry.input(description="A program an applicant offers.")
class ApplicationProgramInput:
    name: str
    description: str = ""
    service_types: list[str] = strawberry.field(
        description="Slugs of service types: at least one."
    )
    grade_min: int = strawberry.field(description="-1 (pre-K) to 12; 0 is K.")
    grade_max: int
    languages: list[str] = strawberry.field(
        default_factory=list, description="Language codes it is offered in."
    )
    school_sites: list[str] = strawberry.field(
        default_factory=list, description="Slugs of the school sites it would serve."
    )
    sessions: list[SessionInput] = strawberry.field(
        default_factory=list, description="When and where it would meet, if known."
    )


@strawberry.input(
    description="An organization's application to become a partner: what the "
    "directory's form at /apply/ sends. Anyone may send one; it is bounded per "
    "address, per hour and by how many wait for the office."
)
class ApplicationInput:
    organization: str = strawberry.field(description="The organization's name.")
    summary: str = strawberry.field(
        default="", description="What it does, in a sentence (at most 300)."
    )
    website: str = ""
    phone: str = strawberry.field(
        default="", description="The number families would call (public once listed)."
    )
    email: str = strawberry.field(
        default="",
        description="The address families would write to (public once listed).",
    )
    contact_name: str = strawberry.field(
        description="The person the office writes to (never public)."
    )
    contact_email: str
    contact_phone: str = ""
    categories: list[str] = strawberry.field(
        description="Slugs of the partnership categories sought: at least one."
    )
    programs: list[ApplicationProgramInput] = strawberry.field(
        description="What it offers: one to ten programs."
    )
    attestations: list[str] = strawberry.field(
        description="What the applicant attests: every one of `insurance` and "
        "`background_checks` is required."
    )
    language: str = strawberry.field(
        default="en",
        description="The language the applicant reads (the e-mail "
        "saying it was received is in it).",
    )


@strawberry.input(
    description="Changes a partner proposes to one of its programs (named by slug); "
    "fields left out stay as they are."
)
class ProgramProposalInput:
    slug: str
    description: str | None = UNSET
    school_sites: list[str] | None = strawberry.field(
        default=UNSET, description="School site slugs: where it runs."
    )
    languages: list[str] | None = strawberry.field(
        default=UNSET, description="Language codes."
    )
    sessions: list[SessionInput] | None = strawberry.field(
        default=UNSET,
        description="Replaces the program's sessions; an empty list removes them.",
    )
    translations: list[TranslationInput] | None = strawberry.field(
        default=UNSET, description="Its description in other languages."
    )


@strawberry.input(
    description="Changes a partner proposes to its public facts, through the "
    "private link the office sent it. Fields left out stay as they are; nothing is "
    "public until an editor approves it."
)
class ProposalInput:
    proposer_name: str = strawberry.field(description="Who proposes it.")
    proposer_email: str = strawberry.field(description="Where the office writes back.")
    summary: str | None = UNSET
    description: str | None = UNSET
    website: str | None = UNSET
    email: str | None = UNSET
    phone: str | None = UNSET
    translations: list[TranslationInput] | None = strawberry.field(
        default=UNSET, description="Its summary and description in other languages."
    )
    programs: list[ProgramProposalInput] = strawberry.field(default_factory=list)
