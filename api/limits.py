"""Limits checked when a document is validated, before anything runs: depth,
aliases, and a cost budget estimating how many objects a query could return, in
the spirit of GitHub's and Shopify's public APIs."""

from collections.abc import Mapping

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from graphql.language import DocumentNode
from strawberry.extensions.max_aliases import create_validator as aliases_validator
from strawberry.extensions.query_depth_limiter import (
    create_validator as depth_validator,
)

from api.pagination import PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX
from models.settings import LIST_COST_FACTOR, MAX_ALIASES, MAX_COST, MAX_DEPTH

# Plain list fields whose length is bounded by the data, not by an argument.
LIST_FIELDS = frozenset(
    {
        "categories",
        "programs",
        "serviceTypes",
        "schoolSites",
        "languages",
        "partners",
        "agreements",
        "history",
        "expiringAgreements",
        "lapsingPartners",
        "timing",
    }
)


def _has_edges(
    selections: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> bool:
    for node in selections.selections if selections else ():
        if isinstance(node, FieldNode) and node.name.value == "edges":
            return True
        if isinstance(node, InlineFragmentNode) and _has_edges(
            node.selection_set, fragments, seen
        ):
            return True
        if isinstance(node, FragmentSpreadNode):
            name = node.name.value
            if name in fragments and name not in seen:
                if _has_edges(fragments[name].selection_set, fragments, seen | {name}):
                    return True
    return False


def _first(
    node: FieldNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> int | None:
    """A connection's page size: as written, the default, or for a variable the
    largest it could be (so a document's cost, and its cached validation, do not
    depend on the variables sent with it)."""
    if not _has_edges(node.selection_set, fragments):
        return None
    for argument in node.arguments or ():
        if argument.name.value == "first":
            value = argument.value
            return (
                int(value.value) if isinstance(value, IntValueNode) else PAGE_SIZE_MAX
            )
    return PAGE_SIZE_DEFAULT


def cost(
    selections: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> int:
    """What the selections could cost; fragments count where they are spread."""
    total = 0
    for node in selections.selections if selections else ():
        if isinstance(node, FieldNode):
            below = cost(node.selection_set, fragments, seen)
            first = _first(node, fragments)
            if first is not None:  # a connection: edges repeat `first` times
                total += 1 + max(first, 0) * below if below else 1
            elif node.name.value in LIST_FIELDS and node.selection_set:
                total += 1 + LIST_COST_FACTOR * below
            else:
                total += 1 + below
        elif isinstance(node, InlineFragmentNode):
            total += cost(node.selection_set, fragments, seen)
        elif isinstance(node, FragmentSpreadNode):
            name = node.name.value
            if name in fragments and name not in seen:
                total += cost(fragments[name].selection_set, fragments, seen | {name})
    return total


def document_cost(document: DocumentNode) -> int:
    """The cost of the document's most expensive operation."""
    fragments = {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    return max(
        (
            cost(d.selection_set, fragments)
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
        ),
        default=0,
    )


class CostLimit(ValidationRule):
    """Refuses documents over MAX_COST, before they run."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        spent = document_cost(context.document)
        if spent > MAX_COST:
            context.report_error(
                GraphQLError(
                    f"Query cost {spent:,} is over the limit of {MAX_COST:,}: ask for "
                    "fewer items per page (first) or fewer nested lists",
                    extensions={"code": "QUERY_TOO_COSTLY", "cost": spent},
                )
            )


# Made once: the validation cache keys on the rule classes, so rules built anew per
# request (as QueryDepthLimiter() and MaxAliasesLimiter() do) would never hit it.
LIMITS = [
    depth_validator(MAX_DEPTH, None, None),
    aliases_validator(MAX_ALIASES),
    CostLimit,
]
