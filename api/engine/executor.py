"""graphql-core's executor, with a short way through the fields whose value is at
hand.

graphql-core executes every field the same way: it builds a resolve-info object,
calls the resolver through Strawberry's wrapper, and completes the value through
a chain of checks (non-null, list, leaf, object), at ~10 µs a field; a page of 20
partners has ~450 fields. Most of ours need none of it: a plain attribute, a list
the page loaded ahead (`pre`, api/prefetch.py), a `uuid` worked out from the row
id. For those, a plan made once per field at start-up reads the value and
completes it with the steps its type needs, nothing else.

The semantics stay graphql-core's: the same null checks and error messages, an
error located at the same path and handled by graphql-core's own
`handle_field_error`, lists and objects completed with the same awaiting of
slower fields below them. Anything a plan does not cover (a field with
arguments, an async resolver, a resolver that wants `info`, a list not loaded
ahead, an interface or union) takes graphql-core's way, unchanged."""

from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, cast

from graphql import (
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    default_field_resolver,
    default_type_resolver,
)
from graphql.execution.collect_fields import (
    CollectedFields,
    FieldDetailsList,
    FragmentDetails,
    GroupedFieldSet,
)
from graphql.execution.executor import CollectedErrors
from graphql.execution.executor import Executor as CoreExecutor
from graphql.execution.values import VariableValues
from graphql.pyutils import Path, RefMap, Undefined, is_async_iterable
from graphql.type.definition import GraphQLResolveInfoHelpers
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.engine.plans import NONE, SLOW, Plan, Plans, awaited_in_place

Step = tuple[str, FieldDetailsList, Plan | None]  # response name, field, plan
Steps = dict[tuple[str, int], tuple[GroupedFieldSet, list[Step]]]


@dataclass(frozen=True, slots=True)
class Collected:
    """The fields a query without variables asks for, kept with its prepared
    document (api/execution.py) and shared by every execution of it: which
    fields a selection holds cannot change from one request to the next when
    no variable can @skip or @include them. graphql-core collects them again on
    every request (the root's, and each object's below, once per execution); with
    these, only the first execution of a document does.

    `sub_fields` is graphql-core's own memo of an object's fields, keyed like it
    by the identity of the field list asked for, which the memo keeps alive (so
    an id is never reused while its entry stands); `steps` is ours, the same way.
    Both only grow, by a synchronous step each, so executions running at once
    add the same entries."""

    root_type: GraphQLObjectType
    root: GroupedFieldSet
    sub_fields: dict[
        tuple[GraphQLObjectType, int], tuple[FieldDetailsList, CollectedFields]
    ] = field(default_factory=dict)
    steps: Steps = field(default_factory=dict)


class Executor(CoreExecutor[Any]):
    """Executes an object's fields by their plans where they have one, else as
    graphql-core does. The fields an object asks for are looked up once per
    execution (graphql-core collects them once too), or once per document for a
    query without variables (`Collected`): a page's 20 partners share one list of
    steps.

    graphql-core's plain executor, not the incremental one Strawberry runs: the
    schema has neither @defer nor @stream, so nothing is ever delivered in
    parts, and the incremental executor's bookkeeping costs on every request.
    Resolvers get Strawberry's resolve info, as under Strawberry's own."""

    build_resolve_info = StrawberryGraphQLCoreExecutionContext.build_resolve_info
    operation_extensions = None
    collected: Collected | None = None  # the operation's fields, when kept
    plans: Plans
    _kept_steps: Steps | None = None

    @classmethod
    def for_operation(
        cls,
        schema: GraphQLSchema,
        fragment_definitions: dict[str, FragmentDefinitionNode],
        fragments: dict[str, FragmentDetails],
        operation: OperationDefinitionNode,
        error_propagation: bool,
        context: Any,
        variable_values: VariableValues,
        collected: Collected | None,
        plans: Plans,
    ) -> "Executor":
        """What graphql-core's constructor makes of these arguments, the rest left
        as `execute` leaves them, set straight: its keyword handling, and the
        look through the operation's directives that `error_propagation` saves,
        cost more than a one-field query's execution. A test checks that both
        ways make the same executor."""
        self = cls.__new__(cls)
        self.schema = schema
        self.fragment_definitions = fragment_definitions
        self.fragments = fragments
        self.root_value = None
        self.context_value = context
        self.operation = operation
        self.variable_values = variable_values
        self._as_constructed()
        self.error_propagation = error_propagation
        self.collected = collected
        self.plans = plans
        return self

    def _as_constructed(self) -> None:
        """What graphql-core's constructor sets beside its arguments: default
        resolvers, and new containers for an execution's bookkeeping."""
        self.field_resolver = default_field_resolver
        self.type_resolver = default_type_resolver
        self.subscribe_field_resolver = default_field_resolver
        self.enable_early_execution = False
        self.hide_suggestions = False
        self.abort_signal = None
        self.hooks = None
        self.async_helpers = GraphQLResolveInfoHelpers._make(
            (self.gather_async_work, self.track_async_work)
        )
        self.middleware_manager = None
        self.is_awaitable = optimized_is_awaitable  # type: ignore[assignment]
        self.is_async_iterable = is_async_iterable
        self.collected_errors = CollectedErrors()
        self.pending_incremental_futures = set()
        self.background_futures = set()
        self.async_work_finished_hook_task = None
        self._relevant_sub_fields = {}
        self._stream_usages = RefMap()

    def execute_operation(self, serially: bool | None = None) -> Any:
        """As graphql-core's, from the fields collected before when they were
        (a query without variables): the same errors, the same response."""
        collected = self.collected
        if collected is None:
            return super().execute_operation(serially)
        self._relevant_sub_fields = collected.sub_fields
        self._kept_steps = collected.steps
        try:
            data = self.execute_root_grouped_field_set(
                collected.root_type, self.root_value, collected.root, False, None
            )
        except GraphQLError as error:
            self.collected_errors.add(error, None)
            return self.build_response(None)
        if self.is_awaitable(data):
            return self._response(data)
        return self.build_response(cast(dict[str, Any], data))

    async def _response(self, awaited: Awaitable[dict[str, Any]]) -> Any:
        try:
            data = await awaited
        except GraphQLError as error:
            self.collected_errors.add(error, None)
            return self.build_response(None)
        except Exception:
            await self.cancel_incremental_work()
            self.run_async_work_finished_hook()
            raise
        return self.build_response(data)

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        at: Any,  # graphql-core's position context
    ) -> Any:
        results: dict[str, Any] = {}
        waiting: list[str] = []
        typename = parent_type.name
        try:
            for name, details, plan in self._steps(parent_type, grouped_field_set):
                if plan is not None and (value := plan.get(source_value)) is not SLOW:
                    field_path = None if plan.leaf else Path(path, name, typename)
                    try:
                        if isinstance(value, Exception):
                            raise value
                        result = plan.complete(self, details, field_path, value, at)
                    except Exception as error:
                        self._failed(error, plan, details, path, name, typename)
                        result = None
                    if plan.leaf:  # never awaitable
                        results[name] = result
                        continue
                else:
                    field_path = Path(path, name, typename)
                    result = self.execute_field(
                        parent_type, source_value, details, field_path, at
                    )
                    if result is Undefined:
                        continue
                results[name] = result
                if self.is_awaitable(result):
                    waiting.append(name)
        except Exception:
            if waiting:
                self.settle_in_background([results[name] for name in waiting])
            raise
        return awaited_in_place(results, waiting) if waiting else results

    def _failed(
        self,
        error: Exception,
        plan: Plan,
        details: FieldDetailsList,
        path: Path | None,
        name: str,
        typename: str,
    ) -> None:
        """A planned field's error, handled where graphql-core handles one."""
        self.handle_field_error(error, plan.type, details, Path(path, name, typename))

    def _steps(
        self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet
    ) -> list[Step]:
        kept = self._kept_steps
        if kept is None:
            kept = self._kept_steps = {}
        key = (parent_type.name, id(grouped_field_set))
        found = kept.get(key)
        if found is not None:
            return found[1]
        plans = self.plans.get(parent_type.name, NONE)
        steps = [
            (name, details, plans.get(details[0].node.name.value))
            for name, details in grouped_field_set.items()
        ]
        # the field set stays alive with its steps, so its id is not reused
        kept[key] = (grouped_field_set, steps)
        return steps
