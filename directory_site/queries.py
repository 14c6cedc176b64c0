"""The site's data: the API's own queries, run in-process as an anonymous visitor."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Self

from graphql import OperationType

from api.bounds import Bounds, read_bounds
from api.context import Context
from api.engine import Engine
from api.execution import run as execute
from api.schema import schema
from api.vocabulary import Vocabularies, read_vocabulary
from models.listing import Listing

QUERIES = Path(__file__).parent / "queries"
QUERIES_ONLY = frozenset({OperationType.QUERY})
MUTATIONS = frozenset({OperationType.MUTATION})


def documents() -> list[str]:
    """The directory's queries, in a fixed order."""
    return [path.read_text() for path in sorted(QUERIES.glob("*.graphql"))]


class QueryError(Exception):
    """A GraphQL error during the build: the site would be incomplete, so stop."""


@dataclass(frozen=True)
class Visitor:
    """An anonymous visitor on one day, as every query of a build runs: the day's
    listing, and the data's bounds for the cost limit, read once per build; the
    engine the settings choose runs its queries."""

    listing: Listing
    bounds: Bounds
    vocabulary: Vocabularies
    engine: Engine

    @classmethod
    async def on(cls, day: date) -> Self:
        engine = Engine.configured(schema)
        bounds = await read_bounds(engine.graphql)
        return cls(Listing(day), bounds, await read_vocabulary(), engine)


async def run(name: str, visitor: Visitor, **variables: Any) -> dict[str, Any]:
    """Run queries/NAME.graphql as the visitor, with a fresh context; any error
    stops."""
    return await _run(name, visitor, variables)


async def apply(
    visitor: Visitor, application: dict[str, Any], client: str, validate_only: bool
) -> dict[str, Any]:
    """Send an application to become a partner (queries/mutations/apply.graphql,
    kept apart from the site's queries, which are trusted documents), from the
    client address the form was posted from: the mutation's bounds count by it.
    With `validate_only`, it is only checked."""
    variables = {"input": application, "validateOnly": validate_only}
    return await _run("mutations/apply", visitor, variables, client, MUTATIONS)


async def partner_link(
    name: str, visitor: Visitor, client: str, /, **variables: Any
) -> dict[str, Any]:
    """Run queries/partner_link/NAME.graphql (the private link's record, or what
    its form sends; kept apart from the site's queries) for `client`."""
    document = f"partner_link/{name}"
    allowed = QUERIES_ONLY if name == "invitation" else MUTATIONS
    return await _run(document, visitor, variables, client, allowed)


async def _run(
    name: str,
    visitor: Visitor,
    variables: dict[str, Any],
    client: str = "",
    allowed: frozenset[OperationType] = QUERIES_ONLY,
) -> dict[str, Any]:
    document = (QUERIES / f"{name}.graphql").read_text()
    context = Context(
        listing=visitor.listing,
        bounds=visitor.bounds,
        vocabulary=visitor.vocabulary,
        engine=visitor.engine,
        client=client,
    )
    result = await execute(document, context, variables=variables, allowed=allowed)
    if result.errors:
        problems = "; ".join(
            f"{error.message} (at {'.'.join(map(str, error.path or []))})"
            for error in result.errors
        )
        raise QueryError(f"{name}.graphql failed: {problems}")
    assert result.data is not None
    return result.data


async def partners(
    visitor: Visitor,
    total: int,
    progress: Callable[[int, int], None] | None = None,
) -> AsyncIterator[list[dict[str, Any]]]:
    """Every listed partner, a page of them at a time, in the API's A–Z order;
    `total` is how many there are, for the progress shown."""
    after: str | None = None
    done = 0
    while True:
        answer = await run("partners", visitor, after=after)
        page = answer["partners"]
        yield [edge["node"] for edge in page["edges"]]
        done += len(page["edges"])
        if progress:
            progress(done, max(done, total))
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]
