"""Settings for one test: `configured(**changes)` makes the current settings
these changes to them while the block runs, and puts the previous ones back."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from models.settings import Settings, configure, current


@contextmanager
def configured(**changes: Any) -> Iterator[Settings]:
    """The current settings with `changes`, configured until the block ends."""
    previous = current()
    try:
        yield configure(replace(previous, **changes))
    finally:
        configure(previous)
