"""Running one GraphQL document, for the HTTP endpoint and for in-process readers
(the directory build): prepared once per document, operation and limits (parsed,
its shape measured, validated, priced, its operation found: kept by the engine),
the operation checked against what the caller allows, run by the context's engine
(api/engine/: the fast one, or Strawberry's own `Schema.execute`), and errors
sorted into the caller's (kept readable) and our own (logged, masked)."""

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.collect_fields import FragmentDetails, collect_fields
from graphql.execution.values import VariableValues, get_variable_values
from graphql.type.directives import GraphQLDisableErrorPropagationDirective
from graphql.utilities import get_operation_ast

from api.bounds import Bounds
from api.context import Context
from api.engine import Collected, Engine, Execution
from api.errors import as_reported, is_internal
from api.limits import FIXED, priced, shape
from api.shape import held, measure
from models.settings import current

log = logging.getLogger("partners.api")
QUERIES = frozenset({OperationType.QUERY})


class OperationError(Exception):
    """The document holds no operation of that name, or one the method may not
    run: a request error, answered before anything runs."""

    def __init__(self, message: str, *, method: bool = False) -> None:
        super().__init__(message)
        self.method = method  # a mutation sent with GET


async def prepare_aside(
    query: str, operation: str | None, bounds: Bounds, engine: Engine
) -> None:
    """Prepare (and keep) a document in a thread of its own: a large one takes
    tens of milliseconds of pure Python, which in the event loop's thread would
    hold every other request of the worker; in another, the interpreter switches
    back to the loop every few milliseconds."""
    found = await asyncio.to_thread(_prepare, query, operation, bounds, engine)
    engine.documents.keep((query, operation), found, found.weight)


def is_prepared(query: str, operation: str | None, engine: Engine) -> bool:
    """Whether the document is kept prepared (for some bounds)."""
    return (query, operation) in engine.documents


def document(query: str) -> DocumentNode:
    """The parsed document; raises GraphQLError for a syntax error."""
    return parse(query, max_tokens=current().max_tokens)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document made ready to run one of its operations, once per document,
    operation name and bounds (the cost limit counts with them): parsed,
    validated, its operation found and its fragments gathered, as graphql-core's
    `execute` does again on every call. `errors`: why it cannot run (a syntax
    error, a rule broken); `missing`: the operation it names is not there."""

    bounds: Bounds
    errors: list[GraphQLError]
    weight: int = 0  # bytes it holds, about
    cost: int = 0  # api/cost.py
    operation: OperationDefinitionNode | None = None
    missing: str | None = None
    fragment_definitions: dict[str, FragmentDefinitionNode] | None = None
    fragments: dict[str, FragmentDetails] | None = None
    collected: Collected | None = None  # a query without variables: its fields
    error_propagation: bool = True  # no @experimental_disableErrorPropagation


def prepare(
    query: str, operation: str | None, bounds: Bounds, engine: Engine
) -> Prepared:
    """`query`'s `operation`, prepared (kept). A document is prepared again when
    the bounds have changed (a write can change them): one is kept a document,
    for the bounds it was last asked with, which are found by identity before
    they are compared (bounds hash slowly, and change rarely)."""
    key = (query, operation)
    found: Prepared | None = engine.documents.find(key)
    if found is None or (found.bounds is not bounds and found.bounds != bounds):
        found = _prepare(query, operation, bounds, engine)
        engine.documents.keep(key, found, found.weight)
    return found


def _prepare(query: str, name: str | None, bounds: Bounds, engine: Engine) -> Prepared:
    try:
        parsed = document(query)
    except GraphQLError as syntax:
        return Prepared(bounds, [syntax], 1024 + len(query))
    # What it holds: the document, twice over for what executions add to it
    # (fields collected once, api/engine/executor.py).
    weight = len(query) + 2 * held(parsed)
    # The shape first: validation (and everything after it) expands fragments,
    # and only a document whose expansion is bounded may reach it.
    shaped = measure(parsed, shape())
    if shaped:
        return Prepared(bounds, shaped, weight)
    errors = validate(engine.graphql, parsed, (*specified_rules, *FIXED))
    if errors:
        return Prepared(bounds, errors, weight)
    cost, errors = priced(engine.graphql, parsed, bounds)
    if errors:
        return Prepared(bounds, errors, weight, cost)
    operation = get_operation_ast(parsed, name)
    if operation is None:
        return Prepared(bounds, [], weight, cost, missing=_missing(parsed, name))
    return _ready(parsed, operation, engine, bounds, weight, cost)


def _ready(
    parsed: DocumentNode,
    operation: OperationDefinitionNode,
    engine: Engine,
    bounds: Bounds,
    weight: int,
    cost: int,
) -> Prepared:
    """A valid operation, made ready to run: its fragments gathered, its fields
    collected (a query without variables, under the fast engine), whether errors
    propagate."""
    definitions = {
        d.name.value: d
        for d in parsed.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    # Fragments with variables of their own are an experimental syntax, which
    # the parser is not asked to read: none here have any.
    fragments = {name: FragmentDetails(d) for name, d in definitions.items()}
    collected = _collected(engine, fragments, operation) if engine.fast else None
    propagation = not any(
        directive.name.value == GraphQLDisableErrorPropagationDirective.name
        for directive in operation.directives or ()
    )
    return Prepared(
        bounds,
        [],
        weight,
        cost,
        operation,
        None,
        definitions,
        fragments,
        collected,
        propagation,
    )


def _missing(parsed: DocumentNode, name: str | None) -> str:
    """Why the document has no operation to run under `name`."""
    if name is not None:
        return f'Unknown operation named "{name}".'
    several = sum(isinstance(d, OperationDefinitionNode) for d in parsed.definitions)
    if several > 1:
        return "The document has several operations: name one in `operationName`"
    return "The document has no operation to run"


def _collected(
    engine: Engine,
    fragments: dict[str, FragmentDetails],
    operation: OperationDefinitionNode,
) -> Collected | None:
    """The fields a query without variables asks for, collected once."""
    root = engine.graphql.query_type
    if (
        root is None
        or operation.operation is not OperationType.QUERY
        or operation.variable_definitions
    ):
        return None
    try:
        fields = collect_fields(
            engine.graphql, fragments, VariableValues({}, {}), root, operation
        )
    except (GraphQLError, RecursionError):
        return None  # graphql-core's way says what is wrong, each time it runs
    return Collected(root, fields.grouped_field_set)


def begin(
    query: str,
    context: Context,
    *,
    variables: dict[str, Any] | None = None,
    operation: str | None = None,
    allowed: frozenset[OperationType] = QUERIES,
) -> ExecutionResult | Awaitable[ExecutionResult]:
    """Start running `query` for `context`: its result, or what to await for it
    when a resolver must wait (see run()). Raises OperationError for an unknown or
    disallowed operation."""
    engine = context.engine
    prepared = prepare(query, operation, context.bounds, engine)
    if prepared.errors:
        return ExecutionResult(None, prepared.errors)
    found = prepared.operation
    if found is None:
        raise OperationError(prepared.missing or "")
    if found.operation not in allowed:
        kind = found.operation.value.title()
        raise OperationError(f"{kind}s are not allowed here", method=True)
    values = _values(engine, found, variables)
    if isinstance(values, list):
        return ExecutionResult(None, values)
    execution = Execution(
        query,
        operation,
        found,
        prepared.fragment_definitions or {},
        prepared.fragments or {},
        prepared.collected,
        prepared.error_propagation,
        variables,
        values,
        context,
    )
    return _started(engine, execution)


def _started(
    engine: Engine, execution: Execution
) -> ExecutionResult | Awaitable[ExecutionResult]:
    executed = engine.execute(execution)
    if isinstance(executed, ExecutionResult):
        return finished(executed)
    # The schema has neither @defer nor @stream: no execution answers in parts.
    return _finishing(executed)


def _values(
    engine: Engine,
    operation: OperationDefinitionNode,
    variables: dict[str, Any] | None,
) -> VariableValues | list[GraphQLError]:
    """The operation's variables as graphql-core coerces them, or what is wrong
    with them."""
    if not operation.variable_definitions:
        return VariableValues({}, {})
    return get_variable_values(
        engine.graphql, operation.variable_definitions, variables or {}, max_errors=50
    )


async def _finishing(executed: Awaitable[ExecutionResult]) -> ExecutionResult:
    return finished(await executed)


def finished(result: ExecutionResult) -> ExecutionResult:
    """`result` with our own failures logged and masked."""
    if result.errors:
        for error in result.errors:
            if is_internal(error):
                log.error(
                    "internal error at %s", error.path, exc_info=error.original_error
                )
        result.errors = [as_reported(error) for error in result.errors]
    return result


async def run(
    query: str,
    context: Context,
    *,
    variables: dict[str, Any] | None = None,
    operation: str | None = None,
    allowed: frozenset[OperationType] = QUERIES,
) -> ExecutionResult:
    """Run `query` for `context`. A document that does not parse or validate gives
    a result with errors and no data; an unknown or disallowed operation raises
    OperationError. Our own failures come back masked, and are logged."""
    started = begin(
        query, context, variables=variables, operation=operation, allowed=allowed
    )
    return started if isinstance(started, ExecutionResult) else await started
