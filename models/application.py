"""Applications to become a partner: an organization applies from the public
directory's form (or the public GraphQL mutation behind it), which makes an
APPLIED partner with its programs, never listed until the office approves it,
and this record of who applied and what they attested.

A flood of applications must neither slow the public API nor fill the database,
so what an application may cost is bounded before anything is written: so many
a day from one client address, so many an hour in all, and so many waiting for
the office at once (`Bounds`). An application is one request, whose body is at
most PARTNERS_MAX_BODY_BYTES (64 KB): its text is at most that many bytes, and it
is stored twice, in its rows and in their audit entries, whose JSON may write a
character in up to three times its bytes (`\\ud83d\\ude00` for a 4-byte emoji). So
one application takes at most `stored_bytes(body)` (260 KB by default), the hour's
at most 30 × 260 KB (7.6 MB), and those waiting at most 300 × 260 KB (76 MB)."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from tortoise import fields
from tortoise.expressions import Q
from tortoise.models import Model

from models.partner import Partner

MAX_PROGRAMS = 10  # programs one application may offer
MAX_SESSIONS = 5  # sessions each of them may give
ROW_BYTES = 4096  # an application's rows and index entries, besides its text


def stored_bytes(body_bytes: int) -> int:
    """The most one application takes in the database, for requests of at most
    `body_bytes`: its text in its rows (at most the body) and in their audit
    entries (JSON: at most three times the body), and its rows' own."""
    return 4 * body_bytes + ROW_BYTES


# What the district asks an applicant to attest, by code; the form says each in
# the district's words (directory_site/templates/apply.html).
ATTESTATIONS = ("insurance", "background_checks")


class ApplicationState(StrEnum):
    NEW = "new"  # waiting for the office
    CHANGES_ASKED = "changes_asked"  # the office asked the applicant for changes
    APPROVED = "approved"
    DECLINED = "declined"


WAITING = (ApplicationState.NEW, ApplicationState.CHANGES_ASKED)


class Application(Model):
    """An organization's application: its APPLIED partner, the person who
    applied, what they attested, and the office's decision."""

    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField(
        "models.Partner", related_name="applications", on_delete=fields.CASCADE
    )
    contact_name = fields.CharField(max_length=120)
    contact_email = fields.CharField(max_length=254, db_index=True)
    contact_phone = fields.CharField(max_length=32, default="")
    # The organization's name as duplicates are found by (`name_key`).
    name_key = fields.CharField(max_length=200, db_index=True)
    attestations: list[str] = fields.JSONField(default=list)
    language = fields.CharField(max_length=12, default="en")  # the form's
    # The client's address, hashed with the day (`address_key`): enough to count
    # one address's applications that day, and no address is kept.
    address_key = fields.CharField(max_length=64, db_index=True)
    state = fields.CharEnumField(
        ApplicationState, max_length=20, default=ApplicationState.NEW, db_index=True
    )
    decision_reason = fields.CharField(max_length=500, default="")
    decided_by = fields.CharField(max_length=80, default="")
    submitted_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    decided_at = fields.DatetimeField(null=True)

    class Meta:
        table = "application"
        ordering = ["-submitted_at", "-id"]


def name_key(name: str) -> str:
    """An organization's name as duplicates are found by: letters and digits,
    case and accents folded, spaces collapsed ("Bright  Minds, Inc." and
    "bright minds inc" are one)."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    kept = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", kept))[:200]


def address_key(address: str, day: date) -> str:
    """A client's address, hashed with the day: one address's applications that
    day share it; another day's do not, and the address is not kept."""
    return hashlib.sha256(f"{day.isoformat()}\0{address}".encode()).hexdigest()


@dataclass(frozen=True)
class Bounds:
    """How many applications are taken: `per_address` a day from one client
    address, `per_hour` an hour in all, and `waiting` undecided at once."""

    per_address: int
    per_hour: int
    waiting: int

    async def refusal(self, address: str, day: date, moment: datetime) -> str:
        """Why an application from `address` cannot be taken now; "" if it can."""
        if await Application.filter(address_key=address_key(address, day)).count() >= (
            self.per_address
        ):
            return (
                f"this address has sent {self.per_address} applications today, the "
                "most a day: try again tomorrow, or write to the office"
            )
        since = moment - timedelta(hours=1)
        if await Application.filter(submitted_at__gte=since).count() >= self.per_hour:
            return (
                "the office has received as many applications as it takes in an "
                "hour: try again in an hour, or write to the office"
            )
        if await Application.filter(state__in=WAITING).count() >= self.waiting:
            return (
                "the office has as many applications waiting as it can take: try "
                "again in a few days, or write to the office"
            )
        return ""


async def duplicate(name: str, email: str, moment: datetime) -> Application | None:
    """An application from the last day with the same organization name or the
    same contact e-mail: a second is the same application sent again."""
    since = moment - timedelta(days=1)
    return (
        await Application.filter(submitted_at__gte=since)
        .filter(Q(name_key=name_key(name)) | Q(contact_email=email.casefold()))
        .first()
    )
