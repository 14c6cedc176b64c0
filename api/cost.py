"""What a document could cost: an upper bound on the fields its answer can hold.

A connection multiplies what is selected under it by its `first`; a plain list by
its bound, the longest it is in the data (api/bounds.py). Introspection is
counted on the schema itself, field by field, since the schema is fixed and a
bound per list (most fields times most arguments...) would overstate it a
hundredfold; that count stops as soon as it passes the budget."""

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    get_named_type,
    is_abstract_type,
)
from graphql.language import DocumentNode

from api.bounds import Bounds
from api.pagination import PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX

# A list nobody bounded (a test checks there is none) counts as this long.
UNBOUNDED = 1_000


class OverBudget(Exception):
    """Counting stopped: the document costs more than `limit`."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def _first(node: FieldNode) -> int:
    """A connection's page size: as written, the default, or for a variable the
    largest it could be (so a document's cost, and its cached validation, do not
    depend on the variables sent with it)."""
    for argument in node.arguments or ():
        if argument.name.value == "first":
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(0, min(int(value.value), PAGE_SIZE_MAX))
            return PAGE_SIZE_MAX
    return PAGE_SIZE_DEFAULT


def _is_connection(kind: GraphQLNamedType) -> bool:
    return kind.name.endswith("Connection") and "edges" in getattr(kind, "fields", {})


def _is_list(kind: GraphQLOutputType) -> bool:
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    return isinstance(kind, GraphQLList)


def _composite(value: Any) -> bool:
    return isinstance(value, GraphQLObjectType | GraphQLInterfaceType)


# What each introspection field leads to: (its type, the value(s) it returns).
Children = Callable[[GraphQLSchema, Any], Any]
INTROSPECTION: dict[tuple[str, str], tuple[str, Children]] = {
    ("__Schema", "types"): ("__Type", lambda s, v: list(s.type_map.values())),
    ("__Schema", "queryType"): ("__Type", lambda s, v: s.query_type),
    ("__Schema", "mutationType"): ("__Type", lambda s, v: s.mutation_type),
    ("__Schema", "subscriptionType"): ("__Type", lambda s, v: s.subscription_type),
    ("__Schema", "directives"): ("__Directive", lambda s, v: list(s.directives)),
    ("__Type", "fields"): (
        "__Field",
        lambda s, v: list(v.fields.values()) if _composite(v) else None,
    ),
    ("__Type", "interfaces"): (
        "__Type",
        lambda s, v: list(v.interfaces) if _composite(v) else None,
    ),
    ("__Type", "possibleTypes"): (
        "__Type",
        lambda s, v: list(s.get_possible_types(v)) if is_abstract_type(v) else None,
    ),
    ("__Type", "enumValues"): (
        "__EnumValue",
        lambda s, v: (
            list(v.values.values()) if isinstance(v, GraphQLEnumType) else None
        ),
    ),
    ("__Type", "inputFields"): (
        "__InputValue",
        lambda s, v: (
            list(v.fields.values()) if isinstance(v, GraphQLInputObjectType) else None
        ),
    ),
    ("__Type", "ofType"): ("__Type", lambda s, v: getattr(v, "of_type", None)),
    ("__Field", "args"): ("__InputValue", lambda s, v: list(v.args.values())),
    ("__Field", "type"): ("__Type", lambda s, v: v.type),
    ("__InputValue", "type"): ("__Type", lambda s, v: v.type),
    ("__Directive", "args"): ("__InputValue", lambda s, v: list(v.args.values())),
}


class Costing:
    """Walks a document with its types and adds up what it could cost, each
    fragment once (api/shape.py has already bounded how often it is spread)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        bounds: Bounds,
        limit: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.bounds = bounds
        self.limit = limit
        self.counted = 0  # fields counted one by one, in introspection
        self.costs: dict[str, int] = {}  # each fragment's, once counted

    def selections(
        self,
        parent: GraphQLNamedType | None,
        selections: SelectionSetNode | None,
        seen: frozenset[str] = frozenset(),
    ) -> int:
        total = 0
        for node in selections.selections if selections else ():
            if isinstance(node, FieldNode):
                total += self.field(parent, node, seen)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition
                kind = self.schema.get_type(condition.name.value) if condition else None
                total += self.selections(kind or parent, node.selection_set, seen)
            elif isinstance(node, FragmentSpreadNode):
                total += self.fragment(node.name.value, seen)
        return total

    def fragment(self, name: str, seen: frozenset[str]) -> int:
        """A fragment's cost, counted once: its type condition decides what it
        costs, wherever it is spread."""
        if name in self.costs:
            return self.costs[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in seen:
            return 0  # validation refuses the unknown fragment, or the cycle
        kind = self.schema.get_type(fragment.type_condition.name.value)
        cost = self.selections(kind, fragment.selection_set, seen | {name})
        self.costs[name] = cost
        return cost

    def _fields(
        self, selections: SelectionSetNode | None, seen: frozenset[str]
    ) -> Iterator[tuple[FieldNode, GraphQLNamedType | None, frozenset[str]]]:
        """The fields selected, through fragments, each with the type a fragment
        narrows it to (None: the parent's)."""
        for node in selections.selections if selections else ():
            if isinstance(node, FieldNode):
                yield node, None, seen
                continue
            if isinstance(node, InlineFragmentNode):
                condition, below = node.type_condition, node.selection_set
            elif isinstance(node, FragmentSpreadNode):
                fragment = self.fragments.get(node.name.value)
                if fragment is None or node.name.value in seen:
                    continue
                condition, below = fragment.type_condition, fragment.selection_set
                seen = seen | {node.name.value}
            else:
                continue
            kind = self.schema.get_type(condition.name.value) if condition else None
            for field, narrowed, deeper in self._fields(below, seen):
                yield field, narrowed or kind, deeper

    def field(
        self, parent: GraphQLNamedType | None, node: FieldNode, seen: frozenset[str]
    ) -> int:
        name = node.name.value
        if name == "__schema":
            return 1 + self.introspection(self.schema, "__Schema", node, seen)
        if name == "__type":
            named = _type_name(node)
            types = [self.schema.get_type(named)] if named else self.schema.type_map
            return 1 + max(
                (self.introspection(t, "__Type", node, seen) for t in types),
                default=0,
            )
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 1
        definition = parent.fields.get(name)
        if definition is None:  # __typename, or a field validation will refuse
            return 1
        kind = get_named_type(definition.type)
        below = self.selections(kind, node.selection_set, seen)
        if _is_connection(kind):
            return 1 + _first(node) * below
        if _is_connection(parent) and name == "edges":
            return 1 + below  # counted `first` times by its connection
        if _is_list(definition.type) and node.selection_set:
            bound = self.bounds.of(parent.name, name)
            return 1 + (UNBOUNDED if bound is None else bound) * below
        return 1 + below

    def introspection(
        self, value: Any, kind: str, node: FieldNode, seen: frozenset[str]
    ) -> int:
        """The fields selected under `node` for the schema object `value`, counted
        on the schema itself."""
        total = 0
        for child, _, deeper in self._fields(node.selection_set, seen):
            total += 1
            self.counted += 1
            if self.counted > self.limit:
                raise OverBudget(self.limit)
            leads = INTROSPECTION.get((kind, child.name.value))
            if leads is None or child.selection_set is None:
                continue
            child_kind, children = leads
            found = children(self.schema, value)
            for item in found if isinstance(found, list) else [found]:
                if item is not None:
                    total += self.introspection(item, child_kind, child, deeper)
        return total


def _type_name(node: FieldNode) -> str | None:
    for argument in node.arguments or ():
        if argument.name.value == "name" and isinstance(
            argument.value, StringValueNode
        ):
            return argument.value.value
    return None


def document_cost(
    schema: GraphQLSchema, document: DocumentNode, bounds: Bounds, limit: int
) -> int:
    """The cost of the document's most expensive operation; raises OverBudget when
    introspection alone is found to cost more than `limit`."""
    fragments = {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    roots = {
        "query": schema.query_type,
        "mutation": schema.mutation_type,
        "subscription": schema.subscription_type,
    }
    return max(
        (
            Costing(schema, fragments, bounds, limit).selections(
                roots[d.operation.value], d.selection_set
            )
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
        ),
        default=0,
    )
