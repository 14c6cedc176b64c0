"""Partners keep their own record: the office invites a partner (a private link,
models/invitation.py), the partner proposes changes to its public facts or
confirms them through it, and an editor approves or rejects each proposal.

The key of a link is the partner's only credential, and it opens one partner's
public facts for one write: a proposal (kept as a draft, nothing public changes) or
a confirmation that the record is still right (which sets "last verified"). A key
that opens nothing (unknown, used or expired) gets the same answer whatever it is."""

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Self

import strawberry
from tortoise.transactions import in_transaction

import models as m
from api import proposals
from api.bounds import MAX_APPLICATION_ERRORS, MAX_FIELD_ERRORS
from api.context import Info
from api.enums import ProposalState
from api.inputs import ProposalInput
from api.mutations.writes import Payload, failed, find, refused
from api.permissions import EDITORS, actor
from api.proposals import Step
from api.staff_types import FieldDifference, FieldError, StaffPartner
from models import audit
from models.changes import record_listing
from models.clock import now
from models.invitation import Invitation, invite, opened
from models.settings import current
from models.validation import Checker, parse_key

LINK_DAYS = 14  # how long a link holds unless the office says otherwise
MOST_LINK_DAYS = 90
CLOSED = "is not a link that opens a record now: it was used, has expired or is "
CLOSED += "incomplete; ask the office for a new one"


@strawberry.type(description="A private link for a partner, given out once.")
class InvitationLink:
    link: str = strawberry.field(
        description="The partner's update form; only its hash is kept, so this is "
        "the one time it is shown."
    )
    partner: StaffPartner
    expires_at: str = strawberry.field(description="Its last moment (ISO 8601, UTC).")


@strawberry.type(description="The link, or why none was made.")
class InvitationPayload:
    record: InvitationLink | None
    errors: list[FieldError]


@strawberry.type(
    description="Whether the office received it; nothing else is given back."
)
class ProposalReceipt:
    received: bool
    errors: list[FieldError] = strawberry.field(
        description="Empty when it was received; otherwise nothing was written."
    )


@strawberry.type(
    description="Changes a partner proposed to its public facts through its "
    "private link; the public sees none of them until an editor approves them."
)
class Proposal:
    id: strawberry.ID
    state: ProposalState
    partner: StaffPartner
    proposed_by: str = strawberry.field(description="Name <e-mail>, as they gave it.")
    submitted_at: datetime
    decided_by: str
    decided_at: datetime | None
    decision_reason: str
    row: strawberry.Private[m.Proposal]
    planned: strawberry.Private[
        dict[str, tuple[list[FieldDifference], list[FieldError]]]
    ]

    @classmethod
    def from_model(cls, row: m.Proposal) -> Self:
        """`row` comes with its partner fetched."""
        return cls(
            id=strawberry.ID(str(row.pk)), state=row.state,
            partner=StaffPartner.from_model(row.partner), proposed_by=row.proposer,
            submitted_at=row.submitted_at, decided_by=row.decided_by,
            decided_at=row.decided_at, decision_reason=row.decision_reason,
            row=row, planned={},
        )  # fmt: skip

    @strawberry.field(
        description="What approving it would change now, field by field, against "
        "the record as it stands (empty once decided)."
    )
    async def differences(self, info: Info) -> list[FieldDifference]:
        return (await self._plan(info))[0]

    @strawberry.field(
        description="Why it could not be approved as it stands (the record changed "
        "since, say): approving it is refused until they are gone."
    )
    async def problems(self, info: Info) -> list[FieldError]:
        return (await self._plan(info))[1]

    async def _plan(self, info: Info) -> tuple[list[FieldDifference], list[FieldError]]:
        """Its plan against the record now, made once (a decided one has none)."""
        if "now" not in self.planned:
            found: tuple[list[FieldDifference], list[FieldError]] = ([], [])
            if self.row.state is m.ProposalState.PENDING:
                checker = Checker(today=info.context.day)
                planned = await proposals.plan(
                    self.row.partner, self.row.changes, checker
                )
                found = (
                    [FieldDifference(field=d.field, before=d.before, after=d.after)
                     for d in planned.differences],
                    failed(checker)[:MAX_APPLICATION_ERRORS],
                )  # fmt: skip
            self.planned["now"] = found
        return self.planned["now"]


@strawberry.enum(description="What an editor decides on a proposal.")
class ProposalDecision(Enum):
    APPROVE = "approve"  # its changes are written, and the record counts as verified
    REJECT = "reject"  # nothing changes


def link_for(key: str, language: str = "") -> str:
    """The update form's address for `key`, in `language`'s pages."""
    prefix = f"{language}/" if language and language != "en" else ""
    return f"{current().site_url.rstrip('/')}/{prefix}update/?key={key}"


async def make_invitation(
    info_actor: str, partner: m.Partner, days: int, sent_to: str = ""
) -> tuple[Invitation, str]:
    """A new link for `partner`, audited in its history (without the key)."""
    async with in_transaction():
        row, key = await invite(partner, info_actor, now(), days, sent_to)
        await audit.record(
            info_actor, "invitation.create", partner, partner.slug,
            {"expires_at": [None, row.expires_at.isoformat()]},
            reason=f"sent to {sent_to}" if sent_to else "",
        )  # fmt: skip
    return row, key


async def _opened(key: str) -> Invitation | list[FieldError]:
    invitation = await opened(key, now())
    return invitation if invitation is not None else refused("key", CLOSED)


async def propose(
    info: Info, key: str, given: ProposalInput, validate_only: bool
) -> ProposalReceipt:
    """Check the proposal as the staff updates would check its fields; keep it
    (what differs from the record now) as a draft, and close the link."""
    invitation = await _opened(key)
    if isinstance(invitation, list):
        return ProposalReceipt(received=False, errors=invitation)
    checker = Checker(today=info.context.day)
    _check_proposer(checker, given.proposer_name, given.proposer_email)
    # what differs from the record now is kept, and checked: a field the form
    # sent back as it was is neither (the office may change it meanwhile)
    sent = proposals.stored(given)
    differing = await proposals.plan(
        invitation.partner, sent, Checker(today=info.context.day)
    )
    kept = proposals.narrowed(sent, differing.differences)
    planned = await proposals.plan(invitation.partner, kept, checker)
    if not checker.problems and not planned.differences:
        checker.add("input", "changes nothing: if the record is right, confirm it")
    if checker.problems or validate_only:
        return ProposalReceipt(
            received=False, errors=failed(checker)[:MAX_APPLICATION_ERRORS]
        )
    async with in_transaction():
        if not await _close(invitation):
            return ProposalReceipt(received=False, errors=refused("key", CLOSED))
        row = await m.Proposal.create(
            partner=invitation.partner, invitation=invitation, changes=kept,
            proposer_name=given.proposer_name.strip(),
            proposer_email=given.proposer_email.strip().casefold(),
        )  # fmt: skip
        fields = sorted({d.field for d in planned.differences})
        await audit.record(
            row.proposer, "proposal.submit", row, str(row.pk),
            {"fields": [None, fields]},
        )  # fmt: skip
    return ProposalReceipt(received=True, errors=[])


def _check_proposer(checker: Checker, name: str, email: str) -> None:
    checker.text("input.proposerName", name, max_length=120, required=True)
    checker.text("input.proposerEmail", email, max_length=254, required=True)
    checker.email("input.proposerEmail", email)


async def _close(invitation: Invitation) -> bool:
    """Mark the link used, if no other request did first (one write per link)."""
    closed = await Invitation.filter(pk=invitation.pk, used_at=None).update(
        used_at=now()
    )
    return closed == 1


async def confirm(info: Info, key: str, name: str, email: str) -> ProposalReceipt:
    """The partner says its record is still right: "last verified" is today."""
    invitation = await _opened(key)
    if isinstance(invitation, list):
        return ProposalReceipt(received=False, errors=invitation)
    checker = Checker()
    _check_proposer(checker, name, email)
    if checker.problems:
        return ProposalReceipt(received=False, errors=failed(checker))
    who = f"{name.strip()} <{email.strip().casefold()}>"[:80]
    async with in_transaction():
        if not await _close(invitation):
            return ProposalReceipt(received=False, errors=refused("key", CLOSED))
        values = {"last_verified_on": info.context.day}
        await audit.save(
            who, "partner.confirm", invitation.partner, values,
            reason="confirmed through the office's link: nothing changed",
        )  # fmt: skip
        await record_listing(info.context.listing)
    return ProposalReceipt(received=True, errors=[])


async def decide(
    who: str, listing: m.Listing, id: str, decision: ProposalDecision, reason: str
) -> Payload[Proposal]:
    """`who` approves (its changes are written, checked again, as theirs, naming
    the proposer; the record counts as verified on `listing`'s day) or rejects a
    waiting proposal. The API's decideProposal and `partners proposals` call it."""
    checker = Checker(today=listing.day)
    checker.text("reason", reason, max_length=500, required=True)
    key = parse_key(str(id))
    row = None if key is None else await m.Proposal.get_or_none(id=key)
    if row is None:
        checker.add("id", f"no proposal {id!r}")
    elif row.state is not m.ProposalState.PENDING:
        checker.add("id", f"was decided already ({row.state.value})")
    if checker.problems or row is None:
        return Payload(record=None, errors=failed(checker)[:MAX_FIELD_ERRORS])
    await row.fetch_related("partner")
    steps: list[Step] = []
    if decision is ProposalDecision.APPROVE:
        planned = await proposals.plan(row.partner, row.changes, checker)
        if checker.problems:
            return Payload(record=None, errors=failed(checker)[:MAX_FIELD_ERRORS])
        steps = _verified(planned.steps, row.partner, listing.day)
    await _decided(who, listing, row, decision, reason, steps)
    return Payload(record=Proposal.from_model(row), errors=[])


def _verified(steps: list[Step], partner: m.Partner, day: date) -> list[Step]:
    """The steps, the partner's own with "last verified" set to `day`."""
    mine = next((s for s in steps if s.row is partner), None)
    if mine is None:
        mine = Step(partner, "partner.update", {}, {})
        steps = [mine, *steps]
    mine.values["last_verified_on"] = day
    return steps


async def _decided(
    who: str, listing: m.Listing, row: m.Proposal, decision: ProposalDecision,
    reason: str, steps: list[Step],
) -> None:  # fmt: skip
    state = {
        ProposalDecision.APPROVE: m.ProposalState.APPROVED,
        ProposalDecision.REJECT: m.ProposalState.REJECTED,
    }[decision]
    async with in_transaction():
        await proposals.write(
            steps, who, f"proposal {row.pk} by {row.proposer}: {reason}"[:500]
        )
        values = {"state": state, "decision_reason": reason, "decided_by": who,
                  "decided_at": now()}  # fmt: skip
        await audit.save(
            who, f"proposal.{decision.value}", row, values,
            reason=f"proposed by {row.proposer}: {reason}"[:500],
        )  # fmt: skip
        await record_listing(listing)


@strawberry.type
class ProposalMutations:
    @strawberry.mutation(
        permission_classes=EDITORS,
        description="A private link for a partner to propose changes to its public "
        "facts, or confirm them: one-time, expiring after `days`, scoped to that "
        "partner. The link is shown once; only its hash is kept.",
    )
    async def invite_partner(
        self, info: Info, partner: str, days: int = LINK_DAYS, language: str = "en"
    ) -> InvitationPayload:
        row = await find(m.Partner, "partner", partner)
        if isinstance(row, list):
            return InvitationPayload(record=None, errors=row)
        if not 1 <= days <= MOST_LINK_DAYS:
            message = f"must be 1 to {MOST_LINK_DAYS}"
            return InvitationPayload(record=None, errors=refused("days", message))
        if language not in current().district_languages:
            message = "is not one of the district's languages"
            return InvitationPayload(record=None, errors=refused("language", message))
        invitation, key = await make_invitation(actor(info), row, days)
        link = InvitationLink(
            link=link_for(key, language), partner=StaffPartner.from_model(row),
            expires_at=invitation.expires_at.isoformat(),
        )  # fmt: skip
        return InvitationPayload(record=link, errors=[])

    @strawberry.mutation(
        description="Propose changes to a partner's public facts, with the key of "
        "the private link the office sent it (the link's form sends this). The "
        "changes wait for an editor; the link is used up."
    )
    async def propose_changes(
        self,
        info: Info,
        key: str,
        input: ProposalInput,
        validate_only: Annotated[
            bool,
            strawberry.argument(
                description="Only check the input: nothing is written, and the "
                "link stays open."
            ),
        ] = False,
    ) -> ProposalReceipt:
        return await propose(info, key, input, validate_only)

    @strawberry.mutation(
        description="Confirm, with the key of the private link the office sent, "
        "that a partner's record is still right: it counts as verified today, and "
        "the link is used up."
    )
    async def confirm_partner_record(
        self, info: Info, key: str, name: str, email: str
    ) -> ProposalReceipt:
        return await confirm(info, key, name, email)

    @strawberry.mutation(
        permission_classes=EDITORS,
        description="Approve (its changes are written, checked again, and the "
        "record counts as verified) or reject a partner's proposal, with a reason.",
    )
    async def decide_proposal(
        self, info: Info, id: strawberry.ID, decision: ProposalDecision, reason: str
    ) -> Payload[Proposal]:
        return await decide(actor(info), info.context.listing, id, decision, reason)
