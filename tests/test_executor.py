"""The executor's short way (api/executor.py) answers exactly as graphql-core's own
way does: the same data, and the same errors at the same paths, whatever the
document's shape."""

from datetime import date
from typing import Any

import pytest
from graphql import ExecutionResult, execute, parse
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.bounds import read_bounds
from api.context import Context
from api.executor import Executor
from api.plans import PLANS
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
    '{ partners(first: 3, language: "es") { edges { node { name summary programs'
    " { name description untranslated schoolSites { name level grades latitude"
    " address { street } } } } } } }",
    "{ schoolSites { slug level gradeMin address { city } partners(first: 2) { edges"
    " { node { slug programs { slug } } } } } }",
]


async def both(document: str, day: date, **variables: Any) -> list[ExecutionResult]:
    """The document run by graphql-core's executor and by ours."""
    bounds = await read_bounds(schema._schema)
    vocabulary = await read_vocabulary()
    results = []
    for executor in (StrawberryGraphQLCoreExecutionContext, Executor):
        context = Context(listing=Listing(day), bounds=bounds, vocabulary=vocabulary)
        result = execute(
            schema._schema,
            parse(document),
            context_value=context,
            variable_values=variables,
            executor_class=executor,
        )
        results.append(
            await result if not isinstance(result, ExecutionResult) else result
        )
    return results


def test_most_fields_have_a_plan() -> None:
    partner = PLANS["Partner"]
    assert {"slug", "name", "categories", "programs", "uuid", "__typename"} <= set(
        partner
    )
    assert "partners" not in PLANS["Query"]  # it takes arguments


@pytest.mark.parametrize("document", SHAPES + documents())
async def test_the_short_way_answers_as_graphql_core_does(
    district: date, document: str
) -> None:
    plain, short = await both(document, district)
    assert not plain.errors, plain.errors
    assert short.formatted == plain.formatted
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
    for document in SHAPES[:2]:
        plain, short = await both(document, district)
        assert plain.errors
        assert short.formatted == plain.formatted
