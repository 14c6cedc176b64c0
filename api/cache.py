"""Public reads' answers: how one is sent (`respond`, the one policy GraphQL and
Open Referral share: who may keep it, its ETag, 304s), and a cache of anonymous
answers. Every write leaves an audit entry, so the newest audit id, with the
request's day (listings change at midnight), tells whether a cached answer is
still true; entries also expire (the settings say when). The cache is bounded in
entries and in bytes."""

import hashlib
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Generic, TypeVar

import models as m
from api.exchange import Reply, matches, not_modified
from api.middleware import RAW_OTHERS, raw_headers
from models import settings

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag",
}
VARY = {"Vary": "Accept, Accept-Encoding, Authorization"}
# What every answer that may be cached says, before its ETag.
PUBLIC = {**CORS, **VARY, "Cache-Control": "public, max-age=0, must-revalidate"}

# What an answer nothing may keep says: no ETag to expose, and no Vary, which
# only tells a cache how to choose among answers it keeps.
PRIVATE = {"Access-Control-Allow-Origin": "*", "Cache-Control": "private, no-store"}
RAW_PUBLIC, RAW_PRIVATE = raw_headers(PUBLIC), raw_headers(PRIVATE)

Revision = tuple[int, str]
T = TypeVar("T")
Key = tuple[str | bytes, ...]


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    media_type: str
    # Worth keeping: executed without any error, or refused before it ran (a
    # document that does not validate is refused the same way until the data's
    # revision changes; keeping the refusal makes a flood of it cheap).
    keep: bool

    @cached_property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'

    @cached_property
    def public_headers(self) -> list[tuple[bytes, bytes]]:
        """The headers of this answer where it may be cached: PUBLIC's and its
        ETag (api/exchange.py has the order)."""
        return self._headers([*RAW_PUBLIC, (b"etag", self.etag.encode())])

    @property
    def private_headers(self) -> list[tuple[bytes, bytes]]:
        """The headers of this answer where it may not be cached (staff's, one
        with errors, or with the cache off)."""
        return self._headers(RAW_PRIVATE)

    def _headers(self, given: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        return [
            *given,
            (b"content-length", str(len(self.body)).encode()),
            (b"content-type", self.media_type.encode()),
            *RAW_OTHERS,
        ]


def respond(
    answer: Answer, *, shared: bool, method: str, if_none_match: str | None
) -> Reply:
    """How a public read's `answer` is sent. One that may be shared (an anonymous
    answer the cache would keep) says so (PUBLIC's headers and its ETag) and is a
    304 to a GET or HEAD that names its ETag; any other (staff's, one with errors, a
    refusal, any with the cache off) says that nothing may keep it (PRIVATE)."""
    if not shared:
        return Reply(answer.status, answer.private_headers, answer.body)
    if method in ("GET", "HEAD") and matches(if_none_match, answer.etag):
        return not_modified({**PUBLIC, "ETag": answer.etag}, html=False)
    return Reply(answer.status, answer.public_headers, answer.body)


class PerRevision(Generic[T]):
    """What is read from the data once per revision (the bounds the cost limit
    counts with, the vocabulary's GraphQL objects), kept until the revision
    changes."""

    def __init__(self, read: Callable[[], Awaitable[T]]) -> None:
        self.read = read
        self._known: tuple[int, T] | None = None

    def known(self, revision: int) -> T | None:
        """The value if it is read for `revision` already (no await)."""
        known = self._known
        return known[1] if known is not None and known[0] == revision else None

    async def get(self, revision: int) -> T:
        known = self._known
        if known is not None and known[0] == revision:
            return known[1]
        found = await self.read()
        self._known = (revision, found)
        return found


class Revisions:
    """What a public answer depends on: the data's revision, which changes whenever
    anything is written, and the day. The revision is read from the database at
    most once every `seconds` (by default, the settings' revision_seconds), so a
    write made by another worker or host shows within that time; writes through
    this worker call forget() and show at once."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = (
            settings.current().revision_seconds if seconds is None else seconds
        )
        self._known: tuple[int, float] | None = None

    def known(self, day: date) -> Revision | None:
        """The revision if it was read within the last `seconds` (no await)."""
        known = self._known
        if known is None or time.monotonic() - known[1] >= self.seconds:
            return None
        return (known[0], day.isoformat())

    async def current(self, day: date) -> Revision:
        found = self.known(day)
        if found is None:
            newest = await m.AuditEntry.all().order_by("-id").limit(1).values("id")
            self._known = (int(newest[0]["id"]) if newest else 0, time.monotonic())
            found = (self._known[0], day.isoformat())
        return found

    def forget(self) -> None:
        self._known = None


class AnswerCache:
    """Least recently used answers, for anonymous queries only, bounded in entries
    and in bytes (an answer over `entry_bytes` is never kept). Entries of an older
    revision are dropped as soon as one of a newer revision is stored, since they
    can never be right again; expired ones are swept on any use, at most once a
    second. A bound not given is the settings' (cache_entries, cache_seconds,
    cache_bytes, cache_entry_bytes)."""

    def __init__(
        self,
        size: int | None = None,
        seconds: int | None = None,
        total_bytes: int | None = None,
        entry_bytes: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        given = settings.current()
        self.clock = clock
        self.size = given.cache_entries if size is None else size
        self.seconds = given.cache_seconds if seconds is None else seconds
        self.total_bytes = given.cache_bytes if total_bytes is None else total_bytes
        self.entry_bytes = (
            given.cache_entry_bytes if entry_bytes is None else entry_bytes
        )
        self.bytes = 0  # what the entries hold: answers and keys
        self._revision: Revision | None = None
        self._swept = 0.0
        self._entries: OrderedDict[Key, tuple[float, int, Answer]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key, current: Revision) -> Answer | None:
        self._sweep()
        entry = self._entries.get(key)
        if entry is None or current != self._revision:
            return None
        self._entries.move_to_end(key)
        return entry[2]

    def put(self, key: Key, current: Revision, answer: Answer) -> None:
        weight = len(answer.body) + sum(len(part) for part in key)
        if self.size <= 0 or weight > min(self.entry_bytes, self.total_bytes):
            return
        if current != self._revision:
            self._drop(list(self._entries))
            self._revision = current
        self._drop([key])
        self._entries[key] = (self.clock(), weight, answer)
        self.bytes += weight
        while len(self._entries) > self.size or self.bytes > self.total_bytes:
            self._drop([next(iter(self._entries))])

    def _sweep(self) -> None:
        now = self.clock()
        if now - self._swept < 1:
            return
        self._swept = now
        old = [k for k, (at, _, _) in self._entries.items() if now - at > self.seconds]
        self._drop(old)

    def _drop(self, keys: list[Key]) -> None:
        for key in keys:
            entry = self._entries.pop(key, None)
            if entry is not None:
                self.bytes -= entry[1]
