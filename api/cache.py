"""A cache of anonymous GraphQL answers. Every write leaves an audit entry, so the
newest audit id, with today's date (listings change at midnight), tells whether a
cached answer is still true; entries also expire after CACHE_SECONDS."""

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass

import models as m
from api.settings import CACHE_ENTRIES, CACHE_SECONDS, REVISION_SECONDS

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
    """The data's revision: changes whenever anything is written, and when the day
    changes. Read from the database at most once every REVISION_SECONDS, so a write
    made by another worker or host shows within that time; writes through this
    worker call forget() and show at once."""

    def __init__(self, seconds: float = REVISION_SECONDS) -> None:
        self.seconds = seconds
        self._known: tuple[Revision, float] | None = None

    async def current(self) -> Revision:
        now = time.monotonic()
        if self._known is not None and now - self._known[1] < self.seconds:
            return self._known[0]
        newest = await m.AuditEntry.all().order_by("-id").limit(1).values("id")
        value = (int(newest[0]["id"]) if newest else 0, m.district_today().isoformat())
        self._known = (value, now)
        return value

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
