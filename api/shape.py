"""The shape of a document, measured before anything else looks at it: how deep
its fields go, how many aliases, fields and fragment spreads it holds once its
fragments are expanded, and how many fields merge at one place of the answer.

Each fragment is measured once and its figures reused wherever it is spread, so
measuring is linear in the document's length whatever its fragments do (a
fragment spreading the one before it twice, forty times over, is 2^40 fields
expanded and forty small sums here). Validation and execution run only on
documents within these limits, which bounds every walk that expands fragments
(graphql-core's rules, the cost, the executor's field collection) by the limits
rather than by the text: a document of 2,000 tokens can describe more fields
than any machine can visit, but not once its expansion is capped."""

from dataclasses import dataclass, field

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    Node,
    NullValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

# What a parsed document holds in memory per token, about: its nodes and the
# tokens they point to (graphql-core keeps every token, for error locations).
# Measured at 370 bytes (tests/test_shape.py checks it).
TOKEN_BYTES = 400

# Selection sets and fragments inside one another, whatever they are: a bound
# on the walk's own recursion (GraphQL's parser has one of its own).
MAX_NESTING = 100


@dataclass(frozen=True, slots=True)
class ShapeLimits:
    """What a document may hold. `depth` counts fields that have fields below
    them, introspection's aside (as Strawberry's QueryDepthLimiter counts);
    `aliases`, `fields` and `spreads` count every occurrence once fragments are
    expanded; `repeats`, how many fields may merge at one place of the answer
    (one response name under one path), wherever they were written; `searches`,
    fields that search text (a `search` argument or filter field, or a filter
    given as a variable, which may hold one): each reads every listed row."""

    depth: int
    aliases: int
    fields: int
    spreads: int
    repeats: int
    searches: int


class ShapeError(Exception):
    """The document breaks a limit; `error` says which, as GraphQL reports it."""

    def __init__(self, error: GraphQLError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass(slots=True)
class Figures:
    """What one selection set (or fragment) holds, expanded."""

    depth: int = 0
    aliases: int = 0
    fields: int = 0
    spreads: int = 0
    searches: int = 0

    def add(self, other: "Figures") -> None:
        self.depth = max(self.depth, other.depth)
        self.aliases += other.aliases
        self.fields += other.fields
        self.spreads += other.spreads
        self.searches += other.searches


class Measure:
    """Walks one document, measuring each fragment once."""

    def __init__(self, document: DocumentNode, limits: ShapeLimits) -> None:
        self.limits = limits
        self.fragments = {
            d.name.value: d
            for d in document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        self.measured: dict[str, Figures] = {}
        self.measuring: set[str] = set()  # a cycle, refused by validation later

    def selections(self, selections: SelectionSetNode, nesting: int) -> Figures:
        if nesting > MAX_NESTING:
            raise ShapeError(
                _error(
                    f"The document is nested more than {MAX_NESTING} levels deep",
                    "QUERY_TOO_DEEP",
                )
            )
        figures = Figures()
        for node in selections.selections:
            if isinstance(node, FieldNode):
                figures.add(self.field(node, nesting))
            elif isinstance(node, InlineFragmentNode):
                figures.add(self.selections(node.selection_set, nesting + 1))
            elif isinstance(node, FragmentSpreadNode):
                figures.spreads += 1
                fragment = self.fragment(node.name.value, nesting)
                if fragment is not None:
                    figures.add(fragment)
        self.check(figures)
        return figures

    def field(self, node: FieldNode, nesting: int) -> Figures:
        below = (
            self.selections(node.selection_set, nesting + 1)
            if node.selection_set
            else Figures()
        )
        introspection = node.name.value.startswith("__")
        return Figures(
            # introspection's depth is the schema's, bounded by the cost
            depth=0 if introspection or not node.selection_set else below.depth + 1,
            aliases=below.aliases + (1 if node.alias else 0),
            fields=below.fields + 1,
            spreads=below.spreads,
            searches=below.searches + (1 if _searches(node) else 0),
        )

    def fragment(self, name: str, nesting: int) -> Figures | None:
        found = self.measured.get(name)
        if found is not None:
            return found
        definition = self.fragments.get(name)
        if definition is None or name in self.measuring:
            return None  # validation names the unknown fragment, or the cycle
        self.measuring.add(name)
        found = self.selections(definition.selection_set, nesting + 1)
        self.measuring.discard(name)
        self.measured[name] = found
        return found

    def check(self, figures: Figures) -> None:
        limits = self.limits
        if figures.fields > limits.fields:
            raise ShapeError(
                _error(
                    f"The document asks for more than {limits.fields:,} fields once "
                    "its fragments are expanded: ask for fewer fields, or spread "
                    "fragments fewer times",
                    "TOO_MANY_FIELDS",
                )
            )
        if figures.searches > limits.searches:
            raise ShapeError(
                _error(
                    f"The document searches text more than {limits.searches} times: "
                    "search once, then page through the results",
                    "TOO_MANY_SEARCHES",
                )
            )
        if figures.spreads > limits.spreads:
            raise ShapeError(
                _error(
                    f"The document spreads fragments more than {limits.spreads:,} "
                    "times once they are expanded: spread fragments fewer times",
                    "TOO_MANY_SPREADS",
                )
            )

    def merge(
        self,
        selections: SelectionSetNode,
        place: dict[str, "Place"],
        path: tuple[str, ...],
        within: frozenset[str] = frozenset(),
    ) -> None:
        """Counts the fields that merge at each place of the answer (the same
        response name under the same path), as graphql-core's check that they
        can merge compares them: pairwise, so its work is the sum of each
        place's count squared. Called once the expansion is known to be within
        the limits, it visits each expanded field once."""
        spread: set[str] = set()  # a fragment spread twice here is collected once
        for node in selections.selections:
            if isinstance(node, FieldNode):
                name = (node.alias or node.name).value
                found = place.setdefault(name, Place())
                found.count += 1
                if found.count > self.limits.repeats:
                    where = ".".join((*path, name))
                    raise ShapeError(
                        _error(
                            f"'{where}' is asked for more than {self.limits.repeats} "
                            "times (fields of one name merge there): ask for each "
                            "field once",
                            "FIELD_REPEATED",
                        )
                    )
                if node.selection_set:
                    self.merge(node.selection_set, found.below, (*path, name))
            elif isinstance(node, InlineFragmentNode):
                self.merge(node.selection_set, place, path, within)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                definition = self.fragments.get(name)
                if definition is None or name in within or name in spread:
                    continue
                spread.add(name)
                self.merge(definition.selection_set, place, path, within | {name})


@dataclass(slots=True)
class Place:
    """One place in the answer: how many fields merge there, and what is below."""

    count: int = 0
    below: dict[str, "Place"] = field(default_factory=dict)


def _searches(node: FieldNode) -> bool:
    for argument in node.arguments or ():
        value = argument.value
        if argument.name.value == "search":
            return not isinstance(value, NullValueNode)
        if argument.name.value == "filter" and isinstance(value, VariableNode):
            return True
        if isinstance(value, ObjectValueNode):
            for given in value.fields:
                if given.name.value == "search" and not isinstance(
                    given.value, NullValueNode
                ):
                    return True
    return False


def _error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def measure(document: DocumentNode, limits: ShapeLimits) -> list[GraphQLError]:
    """What is wrong with the document's shape: nothing, or the first limit it
    breaks. Raises nothing; a document that will not validate anyway (an unknown
    fragment, a cycle) is measured as far as it goes."""
    walk = Measure(document, limits)
    aliases = 0
    try:
        for definition in document.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            figures = walk.selections(definition.selection_set, 0)
            if figures.depth > limits.depth:
                name = definition.name.value if definition.name else "anonymous"
                return [
                    _error(
                        f"'{name}' exceeds maximum operation depth of {limits.depth}",
                        "QUERY_TOO_DEEP",
                    )
                ]
            aliases += figures.aliases
            walk.merge(definition.selection_set, {}, ())
        # Fragments no operation spreads are still validated: measure them too.
        for name in walk.fragments:
            walk.fragment(name, 0)
    except ShapeError as broken:
        return [broken.error]
    if aliases > limits.aliases:
        return [
            _error(
                f"{aliases} aliases found. Allowed: {limits.aliases}",
                "TOO_MANY_ALIASES",
            )
        ]
    return []


def held(node: Node) -> int:
    """About how many bytes the document `node` belongs to holds: any node of it
    keeps all its tokens alive, which are linked to one another."""
    token = node.loc.start_token if node.loc else None
    while token is not None and token.prev is not None:
        token = token.prev
    tokens = 0
    while token is not None:
        tokens, token = tokens + 1, token.next
    return TOKEN_BYTES * tokens
