"""Partners keep their own record: the office sends a partner a private link (an
`Invitation`), and behind it the partner proposes changes to its public facts (a
`Proposal`), which the public never sees until an editor approves them, or
confirms that its record is still right.

A link is one-time and expiring, and names one partner: its key is a long random
string of which only the hash is kept, as staff tokens are (models/staff.py). What
the link can read is that partner's public facts only (api/invitations.py)."""

import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.partner import Partner
from models.staff import hash_token

KEY_PREFIX = "cpi_"
KEY_LENGTH = 47  # the prefix and 43 characters of base64url (32 random bytes)


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class Invitation(Model):
    """A private link to one partner's update form: used once (a proposal, or a
    confirmation that nothing changed), and not after `expires_at`."""

    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField(
        "models.Partner", related_name="invitations", on_delete=fields.CASCADE
    )
    key_hash = fields.CharField(max_length=64, unique=True)
    created_by = fields.CharField(max_length=80)
    sent_to = fields.CharField(max_length=254, default="")
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "invitation"
        ordering = ["-id"]

    def open_at(self, moment: datetime) -> bool:
        return self.used_at is None and moment < self.expires_at


async def invite(
    partner: Partner, by: str, moment: datetime, days: int, sent_to: str = ""
) -> tuple[Invitation, str]:
    """A new link for `partner`, good for `days` from `moment`, and its key (given
    out once: only its hash is kept)."""
    key = new_key()
    row = await Invitation.create(
        partner=partner,
        key_hash=hash_token(key),
        created_by=by,
        sent_to=sent_to,
        created_at=moment,
        expires_at=moment + timedelta(days=days),
    )
    return row, key


async def opened(key: str, moment: datetime) -> Invitation | None:
    """The invitation `key` opens at `moment`, with its partner; None when the key
    is no key of ours, or its link was used or has expired (which the caller is
    not told apart: a guessed key learns nothing)."""
    if not key.startswith(KEY_PREFIX) or len(key) != KEY_LENGTH:
        return None
    row = await Invitation.get_or_none(key_hash=hash_token(key)).select_related(
        "partner"
    )
    return row if row is not None and row.open_at(moment) else None


class ProposalState(StrEnum):
    PENDING = "pending"  # waiting for an editor
    APPROVED = "approved"
    REJECTED = "rejected"


class Proposal(Model):
    """Changes a partner proposed to its public facts, through an invitation:
    `changes` is what it sent, as the mutation's input (`ProposalInput`), kept to
    the fields that differed from the record then. An editor approves (the changes
    are written, audited as theirs, naming the proposer) or rejects it."""

    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField(
        "models.Partner", related_name="proposals", on_delete=fields.CASCADE
    )
    invitation: fields.ForeignKeyNullableRelation[Invitation] = fields.ForeignKeyField(
        "models.Invitation", related_name="proposals", null=True,
        on_delete=fields.SET_NULL,
    )  # fmt: skip
    proposer_name = fields.CharField(max_length=120)
    proposer_email = fields.CharField(max_length=254)
    changes: dict[str, object] = fields.JSONField(default=dict)
    state = fields.CharEnumField(
        ProposalState, max_length=12, default=ProposalState.PENDING, db_index=True
    )
    submitted_at = fields.DatetimeField(auto_now_add=True)
    decided_by = fields.CharField(max_length=80, default="")
    decided_at = fields.DatetimeField(null=True)
    decision_reason = fields.CharField(max_length=500, default="")

    class Meta:
        table = "proposal"
        ordering = ["-id"]

    @property
    def proposer(self) -> str:
        """Who proposed it, as the history names them."""
        return f"{self.proposer_name} <{self.proposer_email}>"[:80]
