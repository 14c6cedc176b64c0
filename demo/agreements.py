"""The paperwork the demo district holds on each partner: contracts, data-sharing
agreements and insurance certificates, dated around one day so the public listing
rule has something to decide whenever the demo is loaded."""

import random
from datetime import date, timedelta

from demo import text
from models.agreement import Agreement, AgreementKind, AgreementStatus
from models.partner import PartnerStatus

CONTRACTED = "contracted-partner"
MENTAL_HEALTH = "mental-health"
YEAR = timedelta(days=364)
ACTIVE, PENDING, ENDED = (
    AgreementStatus.ACTIVE,
    AgreementStatus.PENDING,
    AgreementStatus.ENDED,
)

# The contract a contracted partner holds, by its status. The mix gives every reason
# an approved partner can stay unlisted: expired, pending, missing, not yet started.
CONTRACTS: dict[PartnerStatus, tuple[tuple[str, ...], tuple[int, ...]]] = {
    PartnerStatus.APPROVED: (
        ("active", "expired", "pending", "none", "future"),
        (80, 7, 5, 5, 3),
    ),
    PartnerStatus.APPLIED: (("pending", "none"), (60, 40)),
    PartnerStatus.SUSPENDED: (("active", "expired"), (70, 30)),
    PartnerStatus.INACTIVE: (("expired", "none"), (80, 20)),
}
REFERENCE_PREFIXES = {
    AgreementKind.CONTRACT: "C",
    AgreementKind.DATA_SHARING: "DSA",
    AgreementKind.INSURANCE_CERTIFICATE: "COI",
}


class Agreements:
    """Draws each partner's agreements in turn, numbering them from 1."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.count = 0

    def for_partner(
        self,
        partner_id: int,
        status: PartnerStatus,
        categories: list[str],
        program_id: int,
    ) -> list[Agreement]:
        """A partner's agreements; its contract is for its first program."""
        rng, day = self.rng, self.today
        drawn: list[Agreement] = []
        if CONTRACTED in categories:
            choices, weights = CONTRACTS[status]
            contract = rng.choices(choices, weights)[0]
        else:
            contract = "active" if rng.random() < 0.1 else "none"
        if contract == "active":
            # A tenth end within a month, so "expiring soon" has something to show.
            back = rng.randint(335, 363) if rng.random() < 0.1 else rng.randint(0, 300)
            starts = day - timedelta(days=back)
            if rng.random() < 0.35:  # last year's contract, since run out
                before = starts - YEAR - timedelta(days=1)
                drawn.append(self._contract(partner_id, program_id, ACTIVE, before))
            drawn.append(self._contract(partner_id, program_id, ACTIVE, starts))
        elif contract == "expired":
            ended = day - timedelta(days=rng.randint(1, 150))
            drawn.append(self._contract(partner_id, program_id, ACTIVE, ended - YEAR))
        elif contract == "pending":
            starts = day + timedelta(days=rng.randint(-20, 30))
            drawn.append(self._contract(partner_id, program_id, PENDING, starts))
        elif contract == "future":
            starts = day + timedelta(days=rng.randint(5, 60))
            drawn.append(self._contract(partner_id, program_id, ACTIVE, starts))

        applied = status == PartnerStatus.APPLIED
        if rng.random() < (0.85 if MENTAL_HEALTH in categories else 0.2):
            kind = AgreementKind.DATA_SHARING
            starts = day - timedelta(days=rng.randint(0, 700))
            state = ACTIVE if rng.random() < 0.9 else ENDED
            if applied:
                starts, state = day + timedelta(days=rng.randint(0, 30)), PENDING
            drawn.append(self._new(partner_id, None, kind, state, starts, 2 * YEAR))
        if rng.random() < (0.3 if applied else 0.65):
            kind = AgreementKind.INSURANCE_CERTIFICATE
            starts = day - timedelta(days=rng.randint(0, 420))
            state = ACTIVE if rng.random() < 0.95 else ENDED
            drawn.append(self._new(partner_id, None, kind, state, starts, YEAR))
        return drawn

    def _contract(
        self, partner_id: int, program_id: int, status: AgreementStatus, starts: date
    ) -> Agreement:
        kind = AgreementKind.CONTRACT
        return self._new(partner_id, program_id, kind, status, starts, YEAR)

    def _new(
        self,
        partner_id: int,
        program_id: int | None,
        kind: AgreementKind,
        status: AgreementStatus,
        starts: date,
        length: timedelta,
    ) -> Agreement:
        self.count += 1
        return Agreement(
            id=self.count,
            partner_id=partner_id,
            program_id=program_id,
            kind=kind,
            status=status,
            starts_on=starts,
            ends_on=starts + length,
            reference=f"{REFERENCE_PREFIXES[kind]}-{starts.year}-{self.count:04d}",
            notes=self.rng.choice(text.AGREEMENT_NOTES),
        )
