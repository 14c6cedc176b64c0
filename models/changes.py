"""The listing's change log: which partners entered the public listing, changed
what the public sees of them, or left it, and when; for mirrors (a 211, another
directory) that must stay exactly in step, removals and midnight lapses included.

The log is kept by comparing: the recorder holds what the listing showed when it
last looked (each listed partner and a digest of its public record), and whenever
the data's revision or the day has moved on since, it looks again and appends the
difference. A write through the API records in its own transaction (see
api/mutations/writes.py), so a read that follows finds the log current and has
nothing to write; the directory's publisher records after other writes (an
import) and at midnight, so entries are dated when they happen. A reader that
comes before the publisher after an import or midnight still records: readers
call record_listing before they read (api/changes.py, api/schema.py).

What the public sees of a partner is its public columns (never notes, status
reasons or a confidential address), its categories, and its programs with their
service types, school sites, languages and sessions. Renaming a service type or a school
changes no partner here: mirrors read those short lists whole."""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from models.audit import revision
from models.clock import district_zone
from models.listing import Listing
from models.partner import Partner
from models.program import Program
from models.session import Session

PUBLIC_PARTNER = (
    "id",
    "slug",
    "name",
    "summary",
    "description",
    "translations",
    "website",
    "email",
    "phone",
    "last_verified_on",
    "street",
    "city",
    "postal_code",
    "address_confidential",
)  # fmt: skip  (the address last: a confidential one is cut off)
PUBLIC_PROGRAM = (
    "id", "partner_id", "slug", "name", "description", "translations",
    "during_school", "after_school", "summer", "weekends", "grade_min", "grade_max",
    "free", "cost",
)  # fmt: skip
PROGRAM_LINKS = ("service_types", "sites", "languages")
PUBLIC_SESSION = (
    "program_id", "days", "start_minute", "end_minute", "valid_from", "valid_until",
    "site_id",
)  # fmt: skip
CHUNK = 500  # ids per statement, well under every database's parameter limit


class ChangeKind(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    REMOVED = "removed"


class ListingChange(Model):
    """One change to the public listing, `id` being its place in the log."""

    id = fields.IntField(primary_key=True)
    # The partner's key, not a foreign key: the entry outlives a deleted partner.
    partner_key = fields.IntField(db_index=True)
    kind = fields.CharEnumField(ChangeKind, max_length=10)
    # When it took effect: the write that made it, or the district midnight a
    # contract started or ended at.
    at = fields.DatetimeField()
    day = fields.DateField()
    revision = fields.IntField()

    class Meta:
        table = "listing_change"
        ordering = ["id"]


class ListedPartner(Model):
    """The recorder's view: a partner the listing showed when it last looked."""

    id = fields.IntField(primary_key=True)
    partner_key = fields.IntField(unique=True)
    digest = fields.CharField(max_length=64)
    since = fields.DatetimeField()  # when it last entered the listing
    modified = fields.DatetimeField()  # when its public record last changed

    class Meta:
        table = "listed_partner"


class ListingRecord(Model):
    """One row: the (revision, day) the recorder last looked at, and when."""

    id = fields.IntField(primary_key=True)  # always 1
    revision = fields.IntField()
    day = fields.DateField(null=True)
    at = fields.DatetimeField(null=True)

    class Meta:
        table = "listing_record"


def midnight(day: date) -> datetime:
    """The start of `day` in the district, in UTC."""
    return datetime.combine(day, time(), district_zone()).astimezone(UTC)


async def digests(listing: Listing) -> dict[int, str]:
    """Each listed partner's key, with a digest of what the public sees of it."""
    listed = listing.partner_ids()
    parts: dict[int, list[Any]] = {}
    confidential = PUBLIC_PARTNER.index("address_confidential")
    for row in await listing.partners().order_by("id").values_list(*PUBLIC_PARTNER):
        parts[row[0]] = [row[: confidential - 3] if row[confidential] else row]
    categories = await Partner.filter(id__in=listed).values_list("id", "categories__id")
    _attach(parts, categories, "categories")
    programs = Program.filter(partner_id__in=listed)
    owners: dict[int, int] = {}
    for row in await programs.order_by("id").values_list(*PUBLIC_PROGRAM):
        owners[row[0]] = row[1]
        parts[row[1]].append(row)
    for link in PROGRAM_LINKS:
        pairs = await programs.values_list("id", f"{link}__id")
        linked = ((owners[p], (p, t)) for p, t in pairs if t is not None)
        _attach(parts, linked, link)
    sessions = Session.filter(program__partner_id__in=listed)
    at_partner = (
        (owners[row[0]], row) for row in await sessions.values_list(*PUBLIC_SESSION)
    )
    _attach(parts, at_partner, "sessions")
    # repr() of tuples of plain values (str, int, bool, date, dict) is stable.
    return {
        key: hashlib.sha256(repr(values).encode()).hexdigest()
        for key, values in parts.items()
    }


def _attach(
    parts: dict[int, list[Any]], pairs: Iterable[tuple[int, Any]], name: str
) -> None:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for owner, target in pairs:
        if target is not None:
            grouped[owner].append(target)
    for owner, targets in grouped.items():
        parts[owner].append((name, sorted(targets)))


async def record_listing(listing: Listing) -> bool:
    """Bring the log up to date with `listing` and the data's current revision.
    Cheap when nothing moved (two small reads); returns whether it looked again.
    Safe to call from any number of workers at once: one of them records."""
    number, written = await revision()
    state = await ListingRecord.get_or_none(id=1)
    if state is None:
        try:
            state = await ListingRecord.create(id=1, revision=-1)
        except IntegrityError:
            state = await ListingRecord.get(id=1)
    if state.revision == number and state.day == listing.day:
        return False
    async with in_transaction():
        # Claim this look: another worker that claimed it first changed the row.
        claimed = await ListingRecord.filter(
            id=1, revision=state.revision, day=state.day
        ).update(revision=number, day=listing.day, at=written)
        if not claimed:
            return False
        await _record(listing, number, state, written)
    return True


async def _record(
    listing: Listing, number: int, state: ListingRecord, written: datetime | None
) -> None:
    # A change the revision moved is dated by the write; one the day moved alone,
    # by the district midnight that began the day.
    wrote = number != state.revision and written is not None
    at = written if wrote and written is not None else midnight(listing.day)
    now = await digests(listing)
    known = {
        row.partner_key: row
        for row in await ListedPartner.all().order_by("partner_key")
    }
    changes: list[ListingChange] = []

    def change(key: int, kind: ChangeKind) -> None:
        changes.append(
            ListingChange(
                partner_key=key, kind=kind, at=at, day=listing.day, revision=number
            )
        )

    added = [key for key in now if key not in known]
    removed = [key for key in known if key not in now]
    updated = [key for key in now if key in known and known[key].digest != now[key]]
    for key in sorted(added):
        change(key, ChangeKind.ADDED)
    for key in sorted(updated):
        change(key, ChangeKind.UPDATED)
    for key in sorted(removed):
        change(key, ChangeKind.REMOVED)
    for start in range(0, len(removed), CHUNK):
        await ListedPartner.filter(
            partner_key__in=removed[start : start + CHUNK]
        ).delete()
    for start in range(0, len(updated), CHUNK):
        chunk = updated[start : start + CHUNK]
        for key in chunk:
            row = known[key]
            row.digest, row.modified = now[key], at
        await ListedPartner.bulk_update(
            [known[key] for key in chunk], fields=["digest", "modified"]
        )
    await ListedPartner.bulk_create(
        [
            ListedPartner(partner_key=key, digest=now[key], since=at, modified=at)
            for key in added
        ],
        batch_size=CHUNK,
    )
    await ListingChange.bulk_create(changes, batch_size=CHUNK)
