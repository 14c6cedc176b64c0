"""A cache of anonymous GraphQL answers. Every write leaves an audit entry, so the
newest audit id, with today's date (listings change at midnight), tells whether a
cached answer is still true; entries also expire after CACHE_SECONDS."""

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass

import models as m
from api.settings import CACHE_ENTRIES, CACHE_SECONDS

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


async def revision() -> Revision:
    """Changes whenever anything is written, and when the day changes."""
    newest = await m.AuditEntry.all().order_by("-id").limit(1).values("id")
    return (int(newest[0]["id"]) if newest else 0, m.district_today().isoformat())


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
