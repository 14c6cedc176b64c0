"""Running one GraphQL document, for the HTTP endpoint and for in-process readers
(the directory build): prepared once per document, operation and limits (parsed,
validated, its operation found: kept), the operation checked against what the
caller allows, executed by graphql-core on Strawberry's schema (most fields by
the plans of api/plans.py, see api/executor.py), and errors sorted into the
caller's (kept readable) and our own (logged, masked).

Strawberry's own `Schema.execute` does the same through a chain of extensions,
at about 0.4 ms a request, and graphql-core's `execute` finds the operation and
its fragments again on every call; this does each once per document."""

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, cast

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
from api.errors import as_reported, is_internal
from api.executor import Collected, Executor
from api.limits import FIXED, SHAPE, priced
from api.plans import install
from api.schema import schema
from api.shape import held, measure
from models.kept import Kept
from models.settings import DOCUMENT_CACHE_BYTES, MAX_TOKENS

log = logging.getLogger("partners.api")
KEPT = 512  # documents (and their preparations) kept, at most
QUERIES = frozenset({OperationType.QUERY})


PLANNED_FIELDS = install(schema)


class OperationError(Exception):
    """The document holds no operation of that name, or one the method may not
    run: a request error, answered before anything runs."""

    def __init__(self, message: str, *, method: bool = False) -> None:
        super().__init__(message)
        self.method = method  # a mutation sent with GET


_prepared = Kept(KEPT, DOCUMENT_CACHE_BYTES)


async def prepare_aside(query: str, operation: str | None, bounds: Bounds) -> None:
    """Prepare (and keep) a document in a thread of its own: a large one takes
    tens of milliseconds of pure Python, which in the event loop's thread would
    hold every other request of the worker; in another, the interpreter switches
    back to the loop every few milliseconds."""
    found = await asyncio.to_thread(_prepare, query, operation, bounds)
    _prepared.keep((query, operation), found, found.weight)


def is_prepared(query: str, operation: str | None) -> bool:
    """Whether the document is kept prepared (for some bounds)."""
    return (query, operation) in _prepared


def document(query: str) -> DocumentNode:
    """The parsed document; raises GraphQLError for a syntax error."""
    return parse(query, max_tokens=MAX_TOKENS)


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


def prepare(query: str, operation: str | None, bounds: Bounds) -> Prepared:
    """`query`'s `operation`, prepared (kept). A document is prepared again when
    the bounds have changed (a write can change them): one is kept a document,
    for the bounds it was last asked with, which are found by identity before
    they are compared (bounds hash slowly, and change rarely)."""
    key = (query, operation)
    found: Prepared | None = _prepared.find(key)
    if found is None or (found.bounds is not bounds and found.bounds != bounds):
        found = _prepare(query, operation, bounds)
        _prepared.keep(key, found, found.weight)
    return found


def _prepare(query: str, name: str | None, bounds: Bounds) -> Prepared:
    try:
        parsed = document(query)
    except GraphQLError as syntax:
        return Prepared(bounds, [syntax], 1024 + len(query))
    # The shape first: validation (and everything after it) expands fragments,
    # and only a document whose expansion is bounded may reach it.
    # the document, twice over for what executions add to it (fields collected
    # once, api/executor.py)
    weight = len(query) + 2 * held(parsed)
    shaped = measure(parsed, SHAPE)
    if shaped:
        return Prepared(bounds, shaped, weight)
    errors = validate(schema._schema, parsed, (*specified_rules, *FIXED))
    if errors:
        return Prepared(bounds, errors, weight)
    cost, errors = priced(schema._schema, parsed, bounds)
    if errors:
        return Prepared(bounds, errors, weight, cost)
    operation = get_operation_ast(parsed, name)
    if operation is None:
        if name is None:
            several = sum(
                isinstance(d, OperationDefinitionNode) for d in parsed.definitions
            )
            missing = (
                "The document has several operations: name one in `operationName`"
                if several > 1
                else "The document has no operation to run"
            )
            return Prepared(bounds, [], weight, cost, missing=missing)
        return Prepared(
            bounds, [], weight, cost, missing=f'Unknown operation named "{name}".'
        )
    definitions = {
        d.name.value: d
        for d in parsed.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    # Fragments with variables of their own are an experimental syntax, which
    # the parser is not asked to read: none here have any.
    fragments = {name: FragmentDetails(d) for name, d in definitions.items()}
    collected = None
    root = schema._schema.query_type
    if (
        root is not None
        and operation.operation is OperationType.QUERY
        and not operation.variable_definitions
    ):
        try:
            fields = collect_fields(
                schema._schema, fragments, VariableValues({}, {}), root, operation
            )
        except (GraphQLError, RecursionError):
            pass  # graphql-core's way says what is wrong, each time it runs
        else:
            collected = Collected(root, fields.grouped_field_set)
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
    prepared = prepare(query, operation, context.bounds)
    if prepared.errors:
        return ExecutionResult(None, prepared.errors)
    found = prepared.operation
    if found is None:
        raise OperationError(prepared.missing or "")
    if found.operation not in allowed:
        raise OperationError(
            f"{found.operation.value.title()}s are not allowed here", method=True
        )
    values = VariableValues({}, {})
    if found.variable_definitions:
        coerced = get_variable_values(
            schema._schema, found.variable_definitions, variables or {}, max_errors=50
        )
        if isinstance(coerced, list):
            return ExecutionResult(None, coerced)
        values = coerced
    executor = Executor.made(
        schema._schema,
        prepared.fragment_definitions or {},
        prepared.fragments or {},
        found,
        prepared.error_propagation,
        context,
        values,
        prepared.collected,
    )
    executed = executor.execute_operation()
    if isinstance(executed, ExecutionResult):
        return finished(executed)
    # The schema has neither @defer nor @stream: no execution answers in parts.
    return _finishing(cast(Awaitable[ExecutionResult], executed))


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
