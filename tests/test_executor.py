"""The fast engine's executor (api/engine/executor.py) answers exactly as
graphql-core's own way does, and as Strawberry's `Schema.execute` (the reference
engine): the same data, and the same errors at the same paths, whatever the
document's shape."""

from datetime import date
from typing import Any

import pytest
from graphql import ExecutionResult, execute, parse
from graphql.execution.executor import CollectedErrors
from graphql.pyutils import RefMap
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.bounds import read_bounds
from api.context import Context
from api.engine import Engine
from api.engine.executor import Executor
from api.execution import finished, run
from api.schema import schema
from api.types import PartnerProfile
from api.vocabulary import read_vocabulary
from directory_site.queries import documents
from models.listing import Listing

SHAPES = [
    # the benchmark's canonical page
    "{ partners(first: 20) { edges { node { slug name summary categories { slug name }"
    " programs { slug name timing grades schoolSites { slug name } } } } } }",
    # aliases, fragments, a field asked twice, __typename at every level, skip/include
    """
    query ($no: Boolean = false) {
      partners(first: 5) {
        __typename
        edges {
          cursor
          node {
            __typename
            ...card
            title: name
            name
            uuid
            address { street city }
            addressConfidential
            lastVerifiedOn
            untranslated
            translations { language name }
            programs { ... on Program { slug free cost gradeMin timing uuid } }
            serviceTypes @skip(if: $no) { slug uuid partnerCount }
            languages @include(if: $no) { code }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
    fragment card on Partner { slug summary categories { __typename slug } }
    """,
    # the same without variables: its fields are collected once and kept
    """
    {
      partners(first: 5) {
        __typename
        edges {
          node {
            __typename
            ...card
            title: name
            programs { ... on Program { slug free timing } }
            serviceTypes @skip(if: false) { slug partnerCount }
            languages @include(if: false) { code }
            categories @skip(if: true) { slug }
          }
        }
      }
    }
    fragment card on Partner { slug summary categories { __typename slug } }
    """,
    '{ partners(first: 3, language: "es") { edges { node { name summary programs'
    " { name description untranslated schoolSites { name level grades latitude"
    " address { street } } } } } } }",
    "{ schoolSites { slug level gradeMin address { city } partners(first: 2) { edges"
    " { node { slug programs { slug } } } } } }",
]


FAST = Engine(schema)
REFERENCE = Engine(schema, fast=False)


class Planned(Executor):
    """Our executor as graphql-core's `execute` makes it, with the plans."""

    plans = FAST.plans


async def both(document: str, day: date, **variables: Any) -> list[ExecutionResult]:
    """The document run by graphql-core's executor, by ours, as requests run it
    under the fast engine (api.execution.run: prepared, and its fields kept),
    twice: the second run takes the fields the first collected; and as the
    reference engine runs it (Strawberry's `Schema.execute`). graphql-core's
    result comes back as requests would see it, our own failures masked."""
    bounds = await read_bounds(FAST.graphql)
    vocabulary = await read_vocabulary()
    results = []

    def context(engine: Engine = FAST) -> Context:
        listing = Listing(day)
        return Context(listing, bounds, vocabulary, engine)

    for executor in (StrawberryGraphQLCoreExecutionContext, Planned):
        result = execute(
            FAST.graphql,
            parse(document),
            context_value=context(),
            variable_values=variables,
            executor_class=executor,
        )
        results.append(
            await result if not isinstance(result, ExecutionResult) else result
        )
    results = [finished(result) for result in results]
    for _ in range(2):
        results.append(await run(document, context(), variables=variables))
    reference = context(REFERENCE)
    results.append(await run(document, reference, variables=variables))
    return results


def test_most_fields_have_a_plan() -> None:
    partner = FAST.plans["Partner"]
    assert {"slug", "name", "categories", "programs", "uuid", "__typename"} <= set(
        partner
    )
    assert "partners" not in FAST.plans["Query"]  # it takes arguments
    assert not REFERENCE.plans


@pytest.mark.parametrize("document", SHAPES + documents())
async def test_the_short_way_answers_as_graphql_core_does(
    district: date, document: str
) -> None:
    plain, *ours = await both(document, district)
    assert not plain.errors, plain.errors
    assert [result.formatted for result in ours] == [plain.formatted] * 4
    assert plain.data and any(plain.data.values())


async def test_errors_and_nulls_land_where_graphql_core_puts_them(
    district: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A date that is not one nulls that field alone; a missing name (a non-null
    field) or a missing entry in a list of non-null texts nulls everything up to
    the nearest nullable field; the errors say the same thing at the same
    paths."""
    profile = PartnerProfile.profile

    def broken(row: Any, language: str = "en") -> dict[str, Any]:
        found = profile(row, language)
        if found["slug"] == "city-arts":
            found["last_verified_on"] = "not a date"
        if found["slug"] == "mentor-match":
            found["name"] = None
        if found["slug"] == "bright-minds":
            found["untranslated"] = ["summary", None]  # a list of non-null texts
        return found

    monkeypatch.setattr(PartnerProfile, "profile", staticmethod(broken))
    for document in SHAPES[:3]:
        plain, *ours = await both(document, district)
        assert plain.errors
        assert [result.formatted for result in ours] == [plain.formatted] * 4


async def test_an_executor_is_made_as_graphql_core_makes_it(district: date) -> None:
    """Executor.for_operation sets what graphql-core's constructor sets, to the
    same values (new containers where it makes new ones): a graphql-core that
    adds to its executor's state fails this first."""
    bounds = await read_bounds(FAST.graphql)
    vocabulary = await read_vocabulary()
    context = Context(Listing(district), bounds, vocabulary, FAST)
    parsed = parse("{ __typename partners(first: 1) { edges { node { slug } } } }")
    core = Executor.build(
        FAST.graphql,
        parsed,
        None,
        context,
        {},
        is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]
    )
    assert isinstance(core, Executor)
    ours = Executor.for_operation(
        FAST.graphql,
        core.fragment_definitions,
        core.fragments,
        core.operation,
        True,
        context,
        core.variable_values,
        None,
        FAST.plans,
    )
    made = vars(ours)
    assert made.pop("collected") is None
    assert made.pop("plans") is FAST.plans
    assert made.keys() == vars(core).keys()
    for name, value in vars(core).items():
        mine = made[name]
        if name in ("fragment_definitions", "fragments", "variable_values"):
            assert mine is value  # passed in
        elif name == "async_helpers":  # bound to each executor
            assert [h.__func__ for h in mine] == [h.__func__ for h in value]
            assert all(h.__self__ is ours for h in mine)
        elif isinstance(value, (set, dict, CollectedErrors, RefMap)):
            assert type(mine) is type(value) and mine is not value
            assert state(mine) == state(value), name
        else:
            assert mine is value or mine == value, name


def state(made: Any) -> Any:
    """What an object holds: a container itself, else its attributes."""
    if isinstance(made, (set, dict)):
        return made
    slots = getattr(type(made), "__slots__", ())
    return {**getattr(made, "__dict__", {}), **{n: getattr(made, n) for n in slots}}
