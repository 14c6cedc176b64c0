"""Limits checked when a document is validated, before anything runs: depth,
aliases, NUL in strings, and a cost budget that is an upper bound on the fields
the answer can hold (api/cost.py), in the spirit of GitHub's and Shopify's public
APIs.

The cost depends on the data's bounds, so the cost rule is made per Bounds, and
the validation cache, which keys on the rules, validates a document again when
they change."""

import functools
from typing import Any

from graphql import (
    GraphQLError,
    StringValueNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions.max_aliases import create_validator as aliases_validator
from strawberry.extensions.query_depth_limiter import (
    create_validator as depth_validator,
)

from api.bounds import Bounds
from api.cost import OverBudget, document_cost
from models.settings import MAX_ALIASES, MAX_COST, MAX_DEPTH


@functools.lru_cache(maxsize=8)
def cost_rule(bounds: Bounds) -> type[ValidationRule]:
    """The rule refusing documents over MAX_COST under these bounds."""

    class CostLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            try:
                spent = document_cost(
                    context.schema, context.document, bounds, MAX_COST
                )
                told = f"{spent:,}"
            except OverBudget:
                spent, told = MAX_COST + 1, f"more than {MAX_COST:,}"
            if spent > MAX_COST:
                context.report_error(
                    GraphQLError(
                        f"Query cost {told} is over the limit of {MAX_COST:,}: ask "
                        "for fewer items per page (first) or fewer nested lists",
                        extensions={"code": "QUERY_TOO_COSTLY", "cost": spent},
                    )
                )

    return CostLimit


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


# Made once: the validation cache keys on the rule classes, so rules built anew per
# request (as QueryDepthLimiter() and MaxAliasesLimiter() do) would never hit it.
FIXED = (
    depth_validator(MAX_DEPTH, None, None),
    aliases_validator(MAX_ALIASES),
    NoNul,
)
