"""How fast one holder may go: a token bucket per holder, per worker. Staff
tokens' writes: a person at a form, or a script syncing a few hundred records,
stays well inside it; a runaway loop is slowed to the refill rate and told when
to come back (429, Retry-After) instead of holding the database's one writer.
Anonymous work per client address: a developer paging through the API stays
inside it; one address's flood is refused before its documents are read."""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Bucket:
    level: float
    at: float


@dataclass
class Rate:
    """`burst` at once, then `per_second`."""

    burst: int
    per_second: float
    clock: Callable[[], float] = time.monotonic
    buckets: dict[str, Bucket] = field(default_factory=dict)

    def take(self, holder: str, writes: int) -> float:
        """0 if `holder` may write `writes` times now (and takes them), else the
        seconds to wait before asking again."""
        now = self.clock()
        bucket = self.buckets.get(holder)
        if bucket is None:
            if len(self.buckets) > 10_000:  # tokens come and go: forget the full
                self.buckets = {
                    k: b
                    for k, b in self.buckets.items()
                    if self._level(b, now) < self.burst
                }
            bucket = self.buckets[holder] = Bucket(self.burst, now)
        bucket.level, bucket.at = self._level(bucket, now), now
        if writes <= bucket.level:
            bucket.level -= writes
            return 0.0
        return (min(writes, self.burst) - bucket.level) / self.per_second

    def _level(self, bucket: Bucket, now: float) -> float:
        return min(self.burst, bucket.level + (now - bucket.at) * self.per_second)


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
