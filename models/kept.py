"""A small least-recently-used map, for what is worked out once and used again
(prepared documents, selections, statements): bounded in entries and in bytes,
so that many different requests cannot make it grow."""

from collections import OrderedDict
from typing import Any


class BoundedLRU(OrderedDict[Any, Any]):
    """At most `size` entries weighing at most `max_bytes` together (each entry's
    weight is what its keeper says it holds); the least recently kept or found
    goes first, and an entry heavier than the whole budget is not kept."""

    def __init__(self, size: int, max_bytes: int | None = None) -> None:
        super().__init__()
        self.size = size
        self.max_bytes = max_bytes
        self.weights: dict[Any, int] = {}
        self.weight = 0

    def keep(self, key: Any, value: Any, weight: int = 0) -> Any:
        self.weight -= self.weights.pop(key, 0)
        if self.max_bytes is not None and weight > self.max_bytes:
            self.pop(key, None)
            return value
        self[key] = value
        self.move_to_end(key)
        self.weights[key] = weight
        self.weight += weight
        while len(self) > self.size or (
            self.max_bytes is not None and self.weight > self.max_bytes
        ):
            gone, _ = self.popitem(last=False)
            self.weight -= self.weights.pop(gone, 0)
        return value

    def find(self, key: Any) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def clear(self) -> None:
        super().clear()
        self.weights.clear()
        self.weight = 0
