"""How a prepared document runs: the fast engine, or the libraries' own way.

The fast engine works inside Strawberry, graphql-core and Tortoise for speed
(README.md in this folder lists every private name it touches, and the test that
fails first when a release changes it): plans for most fields (plans.py), run by
a graphql-core executor that takes them (executor.py); selections worked out once
per document (selection.py); SQL statements made once per shape (statements.py).

The reference (`PARTNERS_ENGINE=reference`) runs the same prepared documents with
Strawberry's `Schema.execute`, reads selections with Strawberry's public
`Info.selected_fields`, lets Tortoise build every query, and takes Starlette's
request and response objects over the raw ASGI messages (api/exchange.py). CI
runs the API's tests both ways, and tests/test_engine.py requires both to give the
same answers, errors and headers."""

from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
)
from graphql.execution.collect_fields import FragmentDetails
from graphql.execution.values import VariableValues
from strawberry import Schema
from strawberry.types.graphql import OperationType

from api.engine.core import graphql_schema
from api.engine.executor import Collected, Executor
from api.engine.plans import Plans, planned
from api.engine.selection import raw_selected
from api.engine.statements import STATEMENTS, Statements, fetch
from api.wanted import Wanted, selected
from models.kept import BoundedLRU
from models.settings import ENGINES, current

if TYPE_CHECKING:
    from api.context import Info

__all__ = ["Collected", "Engine", "Execution", "fetch", "graphql_schema", "named"]

KEPT = 512  # documents (and their preparations), selections kept, at most


@dataclass(frozen=True, slots=True)
class Execution:
    """One operation to run, prepared (api/execution.py): the document as sent
    and what preparing it found, the caller's variables (and their values as
    graphql-core coerced them), the request's context."""

    query: str
    operation_name: str | None
    operation: OperationDefinitionNode
    fragment_definitions: dict[str, FragmentDefinitionNode]
    fragments: dict[str, FragmentDetails]
    collected: Collected | None
    error_propagation: bool
    variables: dict[str, Any] | None
    values: VariableValues
    context: Any


class Engine:
    """The running of documents, and what it keeps, for one app (or one build):
    prepared documents within `document_bytes` either way; when `fast`, its plans,
    the selections it worked out within `selection_bytes`, and its statements."""

    def __init__(
        self,
        schema: Schema,
        *,
        fast: bool = True,
        document_bytes: int = 24 * 1024 * 1024,
        selection_bytes: int = 8 * 1024 * 1024,
    ) -> None:
        self.schema = schema
        self.graphql = graphql_schema(schema)
        self.fast = fast
        self.documents = BoundedLRU(KEPT, document_bytes)
        self.plans: Plans = planned(schema, self.graphql) if fast else {}
        self.selections = BoundedLRU(KEPT, selection_bytes)
        self.statements = Statements() if fast else None

    @classmethod
    def configured(cls, schema: Schema) -> "Engine":
        """The engine the settings name (`PARTNERS_ENGINE`), with their budgets."""
        settings = current()
        return named(
            schema,
            settings.engine,
            settings.document_cache_bytes,
            settings.selection_cache_bytes,
        )

    @property
    def name(self) -> str:
        return "fast" if self.fast else "reference"

    def selected(self, info: "Info", path: Sequence[str]) -> Wanted:
        """What the query selects at `path` below the field being resolved."""
        if self.fast:
            return raw_selected(info, path, self.selections)
        return selected(info, path)

    def execute(self, run: Execution) -> ExecutionResult | Awaitable[ExecutionResult]:
        """Run a prepared operation: its result, or what to await for it."""
        STATEMENTS.set(self.statements)  # for this request's loaders
        if not self.fast:
            return self._strawberry(run)
        executor = Executor.for_operation(
            self.graphql,
            run.fragment_definitions,
            run.fragments,
            run.operation,
            run.error_propagation,
            run.context,
            run.values,
            run.collected,
            self.plans,
        )
        return executor.execute_operation()  # type: ignore[no-any-return]

    async def _strawberry(self, run: Execution) -> ExecutionResult:
        result = await self.schema.execute(
            run.query,
            variable_values=run.variables,
            context_value=run.context,
            operation_name=run.operation_name,
            allowed_operation_types=(OperationType(run.operation.operation.value),),
        )
        errors: list[GraphQLError] | None = result.errors
        return ExecutionResult(result.data, errors)


def named(
    schema: Schema, engine: str, document_bytes: int, selection_bytes: int
) -> Engine:
    """The engine named `engine` ("fast" or "reference")."""
    if engine not in ENGINES:
        raise ValueError(f"No engine named {engine!r}: {' or '.join(ENGINES)}")
    return Engine(
        schema,
        fast=engine == "fast",
        document_bytes=document_bytes,
        selection_bytes=selection_bytes,
    )
