"""The listing's change log over GraphQL: what a mirror applies to stay exactly in
step with the public listing (models/changes.py keeps the log)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import strawberry

import models as m
from api.bounds import FEED_MAX
from api.context import Info
from api.enums import ChangeKind
from api.errors import UserInputError
from api.pagination import decode_cursor, encode_cursor
from models.public_ids import Kind, public_id

_PREFIX = "change:"


def encode(position: int) -> str:
    return encode_cursor(position, _PREFIX)


def decode(cursor: str) -> int:
    """The log position a cursor stands for; a clear error for anything else."""
    refusal = "after is not a change-log cursor: pass the cursor of an earlier answer"
    return decode_cursor(cursor, _PREFIX, refusal)


@strawberry.type(description="A partner entered the listing, changed, or left it.")
class ListingChange:
    kind: ChangeKind
    partner_id: UUID = strawberry.field(
        description="The partner's stable id (`Partner.uuid`; the HSDS organization "
        "id). For a removal this is all that is given."
    )
    at: datetime = strawberry.field(
        description="When it took effect: the write that made it, or the district "
        "midnight at which a contract started or ended."
    )
    day: date = strawberry.field(description="The district's date it was seen on.")


@strawberry.type(description="A page of the listing's change log, oldest first.")
class ListingChanges:
    changes: list[ListingChange]
    cursor: str = strawberry.field(
        description="Pass as `after` next time: the changes after these."
    )
    has_more: bool = strawberry.field(description="More changes follow at once.")


async def read(listing: m.Listing, after: str | None, first: int) -> ListingChanges:
    """The log after `after`. Reads never write: the log is brought up to date by
    each write (api/mutations/writes.py), import and demo load, and for the day's
    lapses by the directory's publisher (`partners build-site`), within seconds of
    midnight."""
    if not 1 <= first <= FEED_MAX:
        raise UserInputError(
            f"first must be between 1 and {FEED_MAX}, got {first}", argument="first"
        )
    start = decode(after) if after is not None else 0
    rows = await m.ListingChange.filter(id__gt=start).order_by("id").limit(first + 1)
    shown = rows[:first]
    return ListingChanges(
        changes=[
            ListingChange(
                kind=row.kind,
                partner_id=public_id(Kind.PARTNER, row.partner_key),
                at=row.at,
                day=row.day,
            )
            for row in shown
        ],
        cursor=encode(shown[-1].id if shown else start),
        has_more=len(rows) > first,
    )


AFTER = strawberry.argument(
    description="A cursor from an earlier answer; none: from the log's start (a "
    "replay of every listing change, which also builds a mirror from nothing)."
)


async def listing_changes(
    info: Info,
    after: Annotated[str | None, AFTER] = None,
    first: int = 100,
) -> ListingChanges:
    return await read(info.context.listing, after, first)
