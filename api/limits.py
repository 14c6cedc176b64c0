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
from models.settings import (
    MAX_ALIASES,
    MAX_COST,
    MAX_DEPTH,
    MAX_FIELDS,
    MAX_REPEATS,
    MAX_SEARCHES,
    MAX_SPREADS,
)


def priced(
    schema: GraphQLSchema, document: DocumentNode, bounds: Bounds
) -> tuple[int, list[GraphQLError]]:
    """The cost of a valid document under these bounds, and the error refusing
    it when that is over MAX_COST."""
    try:
        spent = document_cost(schema, document, bounds, MAX_COST)
        told = f"{spent:,}"
    except OverBudget:
        spent, told = MAX_COST + 1, f"more than {MAX_COST:,}"
    if spent <= MAX_COST:
        return spent, []
    error = GraphQLError(
        f"Query cost {told} is over the limit of {MAX_COST:,}: ask for fewer items "
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


SHAPE = ShapeLimits(
    depth=MAX_DEPTH,
    aliases=MAX_ALIASES,
    fields=MAX_FIELDS,
    spreads=MAX_SPREADS,
    repeats=MAX_REPEATS,
    searches=MAX_SEARCHES,
)
FIXED = (NoNul,)
