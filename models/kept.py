"""A small least-recently-used map, for what is worked out once and used again
(parsed documents, selections, statements): bounded, so that many different
requests cannot make it grow."""

from collections import OrderedDict
from typing import Any


class Kept(OrderedDict[Any, Any]):
    """At most `size` entries; the least recently kept or found goes first."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def keep(self, key: Any, value: Any) -> Any:
        self[key] = value
        self.move_to_end(key)
        if len(self) > self.size:
            self.popitem(last=False)
        return value

    def find(self, key: Any) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value
