"""A document's shape is measured before it is validated, each fragment once, so
no document a stranger can send makes parsing and validation long: the
fragment fan-out of issue 22 and whatever else a generator can make of
fragments, aliases, inline fragments and nested lists is refused or prepared
within a fixed amount of work, and the server answers the next query at once.

Work is counted in Python calls (sys.setprofile), not seconds: the count is the
same on any machine. A million calls is well under a second here (bench-abuse
times the same documents over HTTP)."""

import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query, parse
from hypothesis import example, given
from hypothesis import strategies as st

from api.engine import Engine
from api.execution import prepare
from api.limits import shape
from api.requests import GRAPHQL_RESPONSE
from api.schema import schema
from api.shape import ShapeLimits, measure
from directory_site.queries import documents
from tests.properties import examples
from tests.test_limits import DEMO

ENGINE = Engine(schema)

WORK = 1_000_000  # Python calls to parse, measure and validate one document


def calls(work: Callable[[], Any]) -> int:
    """How many Python and C functions `work` calls."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count


def fan_out(levels: int, fan: int = 2) -> str:
    """Issue 22's document: each fragment spreads the one before it `fan` times."""
    lines = ["fragment F0 on Partner { name }"]
    for i in range(1, levels + 1):
        spreads = " ".join([f"...F{i - 1}"] * fan)
        lines.append(f"fragment F{i} on Partner {{ {spreads} }}")
    lines.append(f"{{ partners(first: 1) {{ edges {{ node {{ ...F{levels} }} }} }} }}")
    return "\n".join(lines)


@pytest.mark.parametrize("levels", [8, 20, 30, 40])
async def test_the_fragment_fan_out_is_refused_by_its_expansion_at_once(
    client: httpx.AsyncClient, district: date, levels: int
) -> None:
    document = fan_out(levels)
    assert calls(lambda: prepare(document, None, DEMO, ENGINE)) < 20_000
    response = await client.post(
        "/graphql", json={"query": document}, headers={"accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "TOO_MANY_SPREADS"
    assert f"more than {shape().spreads:,} times" in error["message"]
    after = await client.post("/graphql", json={"query": "{ __typename }"})
    assert after.json() == {"data": {"__typename": "Query"}}


def test_each_limit_names_itself() -> None:
    limits = ShapeLimits(
        depth=2, aliases=2, fields=10, spreads=3, repeats=2, searches=1
    )

    def codes(document: str) -> list[Any]:
        return [(e.extensions or {})["code"] for e in measure(parse(document), limits)]

    assert codes("{ a { b { c { d } } } }") == ["QUERY_TOO_DEEP"]
    assert codes("{ a { b { c } } }") == []
    assert codes("{ x: a y: b z: c }") == ["TOO_MANY_ALIASES"]
    # aliases are counted where fragments are spread, each fragment measured once
    assert codes("{ ...F ...F } fragment F on Q { x: a }") == []
    assert codes("{ a { ...F } b { ...F } c { ...F } } fragment F on Q { x: a }") == [
        "TOO_MANY_ALIASES"
    ]
    assert codes("{ a b c d e f g h i j k }") == ["TOO_MANY_FIELDS"]
    assert codes(
        "{ a { ...F } b { ...F } c { ...F } d { ...F } } fragment F on Q { a }"
    ) == ["TOO_MANY_SPREADS"]
    assert codes("{ a a a }") == ["FIELD_REPEATED"]
    # the same fragment spread twice in one selection merges into one
    assert codes("{ a ...F ...F } fragment F on Q { a }") == []
    assert codes("{ a ...F ...G } fragment F on Q { a } fragment G on Q { a }") == [
        "FIELD_REPEATED"
    ]
    # fields of one name merge across their parents: b merges three times here
    assert codes("{ a { b b } a { b } }") == ["FIELD_REPEATED"]
    assert "'a.b' is asked for more than 2 times" in str(
        measure(parse("{ a { b b } a { b } }"), limits)[0]
    )
    # text searches: in an argument, in a filter, or in a filter given whole
    assert codes('{ a(search: "x") b(filter: { search: "y" }) }') == [
        "TOO_MANY_SEARCHES"
    ]
    assert codes('query($f: F) { a(filter: $f) b(filter: { search: "y" }) }') == [
        "TOO_MANY_SEARCHES"
    ]
    assert codes('{ a(search: null) b(filter: { search: "y", x: 1 }) }') == []
    # introspection's depth is the schema's own (the cost bounds it)
    assert codes("{ __schema { types { fields { type { name } } } } }") == []
    # unknown fragments and cycles are left to validation, which names them
    assert codes("{ ...Nowhere ...A } fragment A on Q { ...A }") == []


def test_what_the_directory_and_graphiql_ask_is_within_the_limits() -> None:
    for document in [*documents(), get_introspection_query(descriptions=True)]:
        assert measure(parse(document), shape()) == [], document


# Documents a stranger could write: fragment graphs (each fragment spreading 2 to
# 4 of the ones just below it, up to 60 deep, through aliases, inline fragments
# and lists), fans of aliased connections, and fields asked for again and again.
@st.composite
def fragment_graphs(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 60))
    fan = draw(st.integers(2, 4))
    lines = ["fragment F0 on Partner { name slug }"]
    for i in range(1, depth + 1):
        parts = []
        for k in range(fan):
            j = draw(st.integers(max(0, i - 3), i - 1))
            shape = draw(st.sampled_from(["spread", "inline", "alias", "list"]))
            parts.append(
                {
                    "spread": f"...F{j}",
                    "inline": f"... on Partner {{ ...F{j} }}",
                    "alias": f"a{i}x{k}: name ...F{j}",
                    "list": f"programs {{ partner {{ ...F{j} }} }}",
                }[shape]
            )
        lines.append(f"fragment F{i} on Partner {{ {' '.join(parts)} }}")
    first = draw(st.sampled_from([1, 20, 100]))
    root = f"{{ partners(first: {first}) {{ edges {{ node {{ ...F{depth} }} }} }} }}"
    return "\n".join([*lines, root])


@st.composite
def alias_fans(draw: st.DrawFn) -> str:
    count = draw(st.integers(1, 45))
    first = draw(st.sampled_from([1, 20, 100]))
    search = draw(st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8))
    field = draw(
        st.sampled_from(
            [
                f'programs(first: {first}, filter: {{ search: "{search}" }}) '
                "{ totalCount edges { node { name partner { name } } } }",
                f"partners(first: {first}) {{ edges {{ node {{ name programs "
                "{ schoolSites { name } } } } }",
                "schoolSites { partners { edges { node { name } } } }",
            ]
        )
    )
    return "{ " + " ".join(f"a{i}: {field}" for i in range(count)) + " }"


def nest(inner: str, *times: int) -> str:
    """`inner` repeated, each repetition within a program's partner, `times`
    over from the inside out: fields that merge, compared pairwise."""
    for count in times:
        inner = " ".join([f"programs {{ partner {{ {inner} }} }}"] * count)
    return f"{{ partners(first: 1) {{ edges {{ node {{ {inner} }} }} }} }}"


@st.composite
def repeats(draw: st.DrawFn) -> str:
    inner = draw(st.sampled_from(["name", "programs { name slug }"]))
    for _ in range(draw(st.integers(1, 4))):
        times = draw(st.integers(1, 30))
        wider = " ".join([f"programs {{ partner {{ {inner} }} }}"] * times)
        if len(wider) > 30_000:  # past the body limit: refused unread
            break
        inner = wider
    return f"{{ partners(first: 1) {{ edges {{ node {{ {inner} }} }} }} }}"


@examples(60)
@given(document=st.one_of(fragment_graphs(), alias_fans(), repeats()))
@example(document=fan_out(40))
@example(document=nest("programs { partner { name } }", 10, 5, 3))
async def test_no_document_makes_preparing_it_long(
    client: httpx.AsyncClient, district: date, document: str
) -> None:
    work = calls(lambda: prepare(document + " ", None, DEMO, ENGINE))
    assert work < WORK, document
    response = await client.post("/graphql", json={"query": document})
    assert response.status_code < 500, response.text
    answer = response.json()
    # answered, or refused by a limit or a rule, never failed on our side
    assert "Unexpected error." not in response.text, document
    assert answer.get("data") or answer["errors"], answer
    after = await client.post("/graphql", json={"query": "{ __typename }"})
    assert after.json() == {"data": {"__typename": "Query"}}
