"""The site's data: the API's own queries, run in-process as an anonymous visitor."""

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from api.context import Context
from api.pagination import PAGE_SIZE_MAX
from api.schema import schema
from models.listing import Listing

QUERIES = Path(__file__).parent / "queries"


class QueryError(Exception):
    """A GraphQL error during the build: the site would be incomplete, so stop."""


async def run(name: str, listing: Listing, **variables: Any) -> dict[str, Any]:
    """Run queries/NAME.graphql as an anonymous visitor on the listing's day, with
    a fresh context; any error stops."""
    document = (QUERIES / f"{name}.graphql").read_text()
    result = await schema.execute(
        document, variable_values=variables, context_value=Context(listing=listing)
    )
    if result.errors:
        problems = "; ".join(
            f"{error.message} (at {'.'.join(map(str, error.path or []))})"
            for error in result.errors
        )
        raise QueryError(f"{name}.graphql failed: {problems}")
    assert result.data is not None
    return result.data


async def partners(
    listing: Listing,
    progress: Callable[[int, int], None] | None = None,
) -> AsyncIterator[dict[str, Any]]:
    """Every listed partner, page by page, in the API's A–Z order."""
    after: str | None = None
    done = 0
    while True:
        answer = await run("partners", listing, first=PAGE_SIZE_MAX, after=after)
        page = answer["partners"]
        for edge in page["edges"]:
            yield edge["node"]
        done += len(page["edges"])
        if progress:
            progress(done, page["totalCount"])
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]
