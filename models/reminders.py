"""What the partnerships office must act on soon, for one day: applications to
become a partner, agreements ending, partners that will drop out of the public
directory unless something is renewed, insurance certificates expiring, and
partners nobody has verified for a year.
`partners remind` prints it and e-mails it (api/mail.py)."""

from dataclasses import dataclass
from datetime import date, timedelta

from models.agreement import Agreement, AgreementKind
from models.application import WAITING, Application, ApplicationState
from models.clock import district_day
from models.invitation import Proposal, ProposalState
from models.listing import Listing
from models.partner import Partner, PartnerStatus

VERIFY_EVERY = 365  # days, unless PARTNERS_VERIFY_EVERY_DAYS says otherwise
KIND_NAMES = {
    AgreementKind.CONTRACT: "contract",
    AgreementKind.DATA_SHARING: "data-sharing agreement",
    AgreementKind.INSURANCE_CERTIFICATE: "insurance certificate",
}


@dataclass(frozen=True)
class Ending:
    partner: str  # the partner's name
    slug: str
    kind: AgreementKind
    program: str | None
    reference: str
    ends_on: date
    days_left: int


@dataclass(frozen=True)
class Lapsing:
    partner: str
    slug: str
    drops_on: date  # the first day it is not listed


@dataclass(frozen=True)
class Unverified:
    partner: str
    slug: str
    last_verified_on: date | None


@dataclass(frozen=True)
class Applied:
    partner: str
    slug: str
    contact: str  # the person who applied, and their e-mail
    submitted_on: date
    changes_asked: bool  # the office asked for changes and waits for them


@dataclass(frozen=True)
class Proposed:
    partner: str
    slug: str
    proposer: str  # name <e-mail>
    submitted_on: date
    number: int  # the proposal's, as `partners proposals` names it


@dataclass(frozen=True)
class Digest:
    day: date
    within: int
    verify_every: int  # days
    agreements: list[Ending]  # contracts and data-sharing agreements
    insurance: list[Ending]
    lapsing: list[Lapsing]
    unverified: list[Unverified]
    applications: list[Applied]
    proposals: list[Proposed]

    @property
    def things(self) -> int:
        """How many things it names for the office to act on."""
        return (
            len(self.applications)
            + len(self.proposals)
            + len(self.agreements)
            + len(self.lapsing)
            + len(self.insurance)
            + len(self.unverified)
        )

    @property
    def empty(self) -> bool:
        return not self.things


async def lapsing(day: date, within: int) -> dict[int, date]:
    """Partners listed on `day` that are not listed on some day of the next
    `within` days, with the first such day: every day the listing changes by date
    is looked at, so a gap between a contract and its renewal counts too."""
    last = day + timedelta(days=within)
    listed = await _listed(day)
    dropping: dict[int, date] = {}
    moment = day
    while (following := await Listing(moment).next_listed_change()) is not None:
        if following > last:
            break
        there = await _listed(following)
        for key in listed - there:
            dropping.setdefault(key, following)
        moment = following
    return dropping


async def _listed(day: date) -> set[int]:
    rows = await Listing(day).partners().values_list("id")
    return {int(row[0]) for row in rows}


async def unverified(day: date, verify_every: int) -> list[Partner]:
    """Approved partners due to be verified on `day`: never, or last more than
    `verify_every` days before it."""
    return await Partner.filter(status=PartnerStatus.APPROVED).filter(
        last_verified_on__lt=day - timedelta(days=verify_every)
    ) + await Partner.filter(status=PartnerStatus.APPROVED, last_verified_on=None)


async def digest(day: date, within: int, verify_every: int = VERIFY_EVERY) -> Digest:
    """The office's digest for `day`, looking `within` days ahead; a partner is
    due to be verified again `verify_every` days after it last was."""
    last = day + timedelta(days=within)
    ending = (
        await Agreement.in_force(day)
        .filter(ends_on__lte=last)
        .order_by("ends_on", "id")
        .prefetch_related("partner", "program")
    )
    found = [
        Ending(
            partner=row.partner.name,
            slug=row.partner.slug,
            kind=row.kind,
            program=row.program.name if row.program else None,
            reference=row.reference,
            ends_on=row.ends_on,
            days_left=(row.ends_on - day).days,
        )
        for row in ending
    ]
    drops = await lapsing(day, within)
    partners = (
        {p.id: p for p in await Partner.filter(id__in=list(drops)).order_by("name")}
        if drops
        else {}
    )
    stale = await unverified(day, verify_every)
    waiting = (
        await Application.filter(state__in=WAITING)
        .order_by("submitted_at", "id")
        .prefetch_related("partner")
    )
    return Digest(
        day=day,
        within=within,
        verify_every=verify_every,
        agreements=[e for e in found if e.kind != AgreementKind.INSURANCE_CERTIFICATE],
        insurance=[e for e in found if e.kind == AgreementKind.INSURANCE_CERTIFICATE],
        lapsing=sorted(
            (Lapsing(p.name, p.slug, drops[key]) for key, p in partners.items()),
            key=lambda one: (one.drops_on, one.partner),
        ),
        unverified=sorted(
            (Unverified(p.name, p.slug, p.last_verified_on) for p in stale),
            key=lambda one: (one.last_verified_on or date.min, one.partner),
        ),
        applications=[
            Applied(
                partner=row.partner.name,
                slug=row.partner.slug,
                contact=f"{row.contact_name} <{row.contact_email}>",
                submitted_on=district_day(row.submitted_at),
                changes_asked=row.state == ApplicationState.CHANGES_ASKED,
            )
            for row in waiting
        ],
        proposals=[
            Proposed(
                partner=row.partner.name,
                slug=row.partner.slug,
                proposer=row.proposer,
                submitted_on=district_day(row.submitted_at),
                number=row.pk,
            )
            for row in await Proposal.filter(state=ProposalState.PENDING)
            .order_by("id")
            .prefetch_related("partner")
        ],
    )


def _days(count: int) -> str:
    return "a year" if count == 365 else f"{count} day" + ("" if count == 1 else "s")


def _ending(one: Ending) -> str:
    what = KIND_NAMES[one.kind] + (f" for {one.program}" if one.program else "")
    reference = f" ({one.reference})" if one.reference else ""
    left = "today" if one.days_left == 0 else f"in {one.days_left} days"
    return f"- {one.partner}: {what}{reference} ends {one.ends_on.isoformat()}, {left}"


def text(found: Digest, district: str) -> str:
    """The digest as plain text, for the terminal and the e-mail alike."""
    ahead = f"the next {found.within} days"
    lines = [
        f"{district}: community partnerships, {found.day.isoformat()}",
        f"What needs the office within {ahead}.",
        "",
    ]
    sections = [
        (
            "Applications to become a partner, waiting for the office "
            f"({len(found.applications)})",
            [
                f"- {one.partner} ({one.slug}): from {one.contact}, "
                f"{one.submitted_on.isoformat()}"
                + ("; changes asked" if one.changes_asked else "")
                for one in found.applications
            ],
        ),
        (
            "Changes partners proposed, waiting for an editor "
            f"({len(found.proposals)})",
            [
                f"- {one.partner} ({one.slug}): proposal {one.number}, from "
                f"{one.proposer}, {one.submitted_on.isoformat()}"
                for one in found.proposals
            ],
        ),
        (
            f"Agreements ending within {ahead} ({len(found.agreements)})",
            [_ending(one) for one in found.agreements],
        ),
        (
            "Partners that will leave the public directory unless renewed "
            f"({len(found.lapsing)})",
            [
                f"- {one.partner} ({one.slug}): not listed from "
                f"{one.drops_on.isoformat()}"
                for one in found.lapsing
            ],
        ),
        (
            f"Insurance certificates expiring within {ahead} ({len(found.insurance)})",
            [_ending(one) for one in found.insurance],
        ),
        (
            "Approved partners not verified for "
            + _days(found.verify_every)
            + f" ({len(found.unverified)})",
            [
                f"- {one.partner} ({one.slug}): last verified "
                + (
                    one.last_verified_on.isoformat()
                    if one.last_verified_on
                    else "never"
                )
                for one in found.unverified
            ],
        ),
    ]
    for title, items in sections:
        lines += [title, *(items or ["- none"]), ""]
    if found.empty:
        lines.append("Nothing needs the office in this window.")
    return "\n".join(lines).rstrip() + "\n"
