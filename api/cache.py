"""A cache of anonymous GraphQL answers. Every write leaves an audit entry, so the
newest audit id, with the request's day (listings change at midnight), tells
whether a cached answer is still true; entries also expire after CACHE_SECONDS."""

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

import models as m
from models.settings import CACHE_ENTRIES, CACHE_SECONDS, REVISION_SECONDS

Revision = tuple[int, str]


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    media_type: str
    complete: bool  # executed without any error: the only kind worth keeping

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


class Revisions:
    """What a public answer depends on: the data's revision, which changes whenever
    anything is written, and the day. The revision is read from the database at
    most once every REVISION_SECONDS, so a write made by another worker or host
    shows within that time; writes through this worker call forget() and show at
    once."""

    def __init__(self, seconds: float = REVISION_SECONDS) -> None:
        self.seconds = seconds
        self._known: tuple[int, float] | None = None

    async def current(self, day: date) -> Revision:
        now = time.monotonic()
        if self._known is None or now - self._known[1] >= self.seconds:
            newest = await m.AuditEntry.all().order_by("-id").limit(1).values("id")
            self._known = (int(newest[0]["id"]) if newest else 0, now)
        return (self._known[0], day.isoformat())

    def forget(self) -> None:
        self._known = None


class AnswerCache:
    """Least recently used answers, for anonymous queries only."""

    def __init__(self, size: int = CACHE_ENTRIES, seconds: int = CACHE_SECONDS) -> None:
        self.size = size
        self.seconds = seconds
        self._entries: OrderedDict[
            tuple[object, ...], tuple[Revision, float, Answer]
        ] = OrderedDict()

    def get(self, key: tuple[object, ...], current: Revision) -> Answer | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        stored, at, answer = entry
        if stored != current or time.monotonic() - at > self.seconds:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return answer

    def put(self, key: tuple[object, ...], current: Revision, answer: Answer) -> None:
        if self.size <= 0:
            return
        self._entries[key] = (current, time.monotonic(), answer)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
