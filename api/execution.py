"""Running one GraphQL document, for the HTTP endpoint and for in-process readers
(the directory build): parsed and validated once per document and limits (both
kept), the operation checked, executed by graphql-core on Strawberry's schema
(most fields by the plans of api/plans.py, see api/executor.py), and errors sorted
into the caller's (kept readable) and our own (logged, masked).

Strawberry's own `Schema.execute` does the same through a chain of extensions,
at about 0.4 ms a request; this does it directly."""

import logging
from collections.abc import Awaitable
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    execute,
    parse,
    specified_rules,
    validate,
)
from graphql.utilities import get_operation_ast
from strawberry.execution.is_awaitable import optimized_is_awaitable

from api.context import Context
from api.errors import as_reported, is_internal
from api.executor import Executor
from api.limits import FIXED, cost_rule
from api.plans import install
from api.schema import schema
from models.kept import Kept
from models.settings import MAX_TOKENS

log = logging.getLogger("partners.api")
KEPT = 512  # documents (and their validations) kept


PLANNED_FIELDS = install(schema)


class OperationError(Exception):
    """The document holds no operation of that name, or one the method may not
    run: a request error, answered before anything runs."""

    def __init__(self, message: str, *, method: bool = False) -> None:
        super().__init__(message)
        self.method = method  # a mutation sent with GET


_documents = Kept(KEPT)
_validations = Kept(KEPT)


def document(query: str) -> DocumentNode:
    """The parsed document (kept); raises GraphQLError for a syntax error."""
    found: DocumentNode | None = _documents.find(query)
    if found is None:
        found = _documents.keep(query, parse(query, max_tokens=MAX_TOKENS))
    return found


def _validated(
    query: str, parsed: DocumentNode, context: Context
) -> list[GraphQLError]:
    key = (query, context.bounds)
    errors: list[GraphQLError] | None = _validations.find(key)
    if errors is None:
        rules = (*specified_rules, *FIXED, cost_rule(context.bounds))
        errors = _validations.keep(key, validate(schema._schema, parsed, rules))
    return errors


def operation_of(
    parsed: DocumentNode, name: str | None, allowed: set[OperationType]
) -> OperationDefinitionNode:
    found = get_operation_ast(parsed, name)
    if found is None:
        if name is None:
            raise OperationError("The document has no operation to run")
        raise OperationError(f'Unknown operation named "{name}".')
    if found.operation not in allowed:
        raise OperationError(
            f"{found.operation.value.title()}s are not allowed here", method=True
        )
    return found


async def run(
    query: str,
    context: Context,
    *,
    variables: dict[str, Any] | None = None,
    operation: str | None = None,
    allowed: frozenset[OperationType] = frozenset({OperationType.QUERY}),
) -> ExecutionResult:
    """Run `query` for `context`. A document that does not parse or validate gives
    a result with errors and no data; an unknown or disallowed operation raises
    OperationError. Our own failures come back masked, and are logged."""
    try:
        parsed = document(query)
    except GraphQLError as syntax:
        return ExecutionResult(None, [syntax])
    errors = _validated(query, parsed, context)
    if errors:
        return ExecutionResult(None, errors)
    operation_of(parsed, operation, set(allowed))
    executed = execute(
        schema._schema,
        parsed,
        context_value=context,
        variable_values=variables,
        operation_name=operation,
        executor_class=Executor,
        is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]
    )
    result = await executed if isinstance(executed, Awaitable) else executed
    if result.errors:
        for error in result.errors:
            if is_internal(error):
                log.error(
                    "internal error at %s", error.path, exc_info=error.original_error
                )
        result.errors = [as_reported(error) for error in result.errors]
    return result
