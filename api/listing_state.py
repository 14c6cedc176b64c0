"""What a public answer is true for: the day, the data's revision, and how long
it stays true. Mirrors (the directory, a 211) read it to know when to look again."""

from datetime import date, timedelta
from typing import Self

import strawberry

import models as m
from models.audit import revision
from models.clock import district_day


@strawberry.type(
    description="What the public listing is true for. Answers with the same "
    "revision and day are the same."
)
class ListingState:
    day: date = strawberry.field(description="The district's date it answers for.")
    revision: int = strawberry.field(
        description="The data's revision: it changes with every write."
    )
    updated_on: date | None = strawberry.field(
        description="The last day the listing changed: by a write, or by a contract "
        "or a session's term starting or ending."
    )
    valid_until: date | None = strawberry.field(
        description="The last day it holds unless something is written; null when no "
        "contract or session date ahead changes it."
    )

    @classmethod
    async def of(cls, listing: m.Listing) -> Self:
        number, written = await revision()
        changed = [d for d in (await listing.changed_on(),) if d]
        if written is not None:
            changed.append(district_day(written))
        following = await listing.next_change()
        return cls(
            day=listing.day,
            revision=number,
            updated_on=max(changed) if changed else None,
            valid_until=following - timedelta(days=1) if following else None,
        )
