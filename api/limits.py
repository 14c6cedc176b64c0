"""Limits checked before anything runs: the document's shape (depth, aliases,
fields, fragment spreads and repeated names, measured before validation, see
api/shape.py), NUL in strings, and a cost budget that is an upper bound on the
fields the answer can hold (api/cost.py), in the spirit of GitHub's and
Shopify's public APIs.

The cost depends on the data's bounds, so a document is prepared again when
they change (api/execution.py)."""

from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    StringValueNode,
    ValidationRule,
)

from api.bounds import Bounds
from api.cost import OverBudget, document_cost
from api.shape import ShapeLimits
from models.settings import current


def priced(
    schema: GraphQLSchema, document: DocumentNode, bounds: Bounds
) -> tuple[int, list[GraphQLError]]:
    """The cost of a valid document under these bounds, and the error refusing
    it when that is over the settings' max_cost."""
    limit = current().max_cost
    try:
        spent = document_cost(schema, document, bounds, limit)
        told = f"{spent:,}"
    except OverBudget:
        spent, told = limit + 1, f"more than {limit:,}"
    if spent <= limit:
        return spent, []
    error = GraphQLError(
        f"Query cost {told} is over the limit of {limit:,}: ask for fewer items "
        "per page (first) or fewer nested lists",
        extensions={"code": "QUERY_TOO_COSTLY", "cost": spent},
    )
    return spent, [error]


class NoNul(ValidationRule):
    """String values must not carry NUL, which no database stores (PostgreSQL
    refuses it). Other control characters are refused field by field, where they
    are written (models/validation.py)."""

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if "\x00" in node.value:
            self.report_error(
                GraphQLError(
                    "String values must not contain NUL (\\u0000)",
                    node,
                    extensions={"code": "BAD_USER_INPUT"},
                )
            )


def shape() -> ShapeLimits:
    """What a document may hold, as the settings say."""
    settings = current()
    return ShapeLimits(
        depth=settings.max_depth,
        aliases=settings.max_aliases,
        fields=settings.max_fields,
        spreads=settings.max_spreads,
        repeats=settings.max_repeats,
        searches=settings.max_searches,
    )


FIXED = (NoNul,)
