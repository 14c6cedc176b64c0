"""Every cache the server keeps is bounded in bytes as well as entries: a flood
of distinct large documents cannot grow a worker past the stated ceiling.
Memory is measured with tracemalloc (what Python allocated), which is the same
on any machine for the same versions."""

import gc
import tracemalloc

from graphql import parse

from api import execution
from api.engine import Engine
from api.schema import schema
from api.shape import TOKEN_BYTES, held
from models.kept import BoundedLRU
from models.settings import current
from tests.test_limits import DEMO


def dense(i: int) -> str:
    """As many tokens as a document may have, packed, in valid operations: the
    most a prepared document holds."""
    return " ".join(
        f'query Q{k} {{ partner(slug: "s{i}-{k}") {{ name }} }}' for k in range(150)
    )


def test_a_parsed_document_holds_no_more_than_its_tokens_are_charged() -> None:
    documents = [dense(i) for i in range(20)]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        parsed = [parse(d, max_tokens=current().max_tokens) for d in documents]
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    charged = sum(held(p) for p in parsed)
    assert charged > 1_900 * TOKEN_BYTES * len(documents)  # near the token limit
    assert used <= charged


def test_the_document_cache_stays_within_its_bytes() -> None:
    budget = 3 * 1024 * 1024
    engine = Engine(schema, document_bytes=budget)
    small = engine.documents
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(40):
        assert execution.prepare(dense(i), "Q0", DEMO, engine).operation is not None
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert 0 < len(small) < 40
    assert small.weight <= budget
    assert used <= budget


def test_an_entry_heavier_than_the_budget_is_not_kept() -> None:
    kept = BoundedLRU(10, max_bytes=100)
    kept.keep("a", 1, 60)
    kept.keep("b", 2, 60)  # a goes
    assert list(kept) == ["b"] and kept.weight == 60
    kept.keep("c", 3, 101)
    assert list(kept) == ["b"] and kept.weight == 60
    kept.keep("b", 4, 10)  # kept again, weighed again
    assert kept.weight == 10
    kept.clear()
    assert kept.weight == 0 and not kept.weights
