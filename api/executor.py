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

from typing import Any

from graphql import GraphQLObjectType
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor import Executor as CoreExecutor
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.plans import NONE, PLANS, SLOW, Plan, filled

Step = tuple[str, FieldDetailsList, Plan | None]  # response name, field, plan


class Executor(CoreExecutor[Any]):
    """Executes an object's fields by their plans where they have one, else as
    graphql-core does. The fields an object asks for are looked up once per
    execution (graphql-core collects them once too): a page's 20 partners share
    one list of steps.

    graphql-core's plain executor, not the incremental one Strawberry runs: the
    schema has neither @defer nor @stream, so nothing is ever delivered in
    parts, and the incremental executor's bookkeeping costs on every request.
    Resolvers get Strawberry's resolve info, as under Strawberry's own."""

    build_resolve_info = StrawberryGraphQLCoreExecutionContext.build_resolve_info
    operation_extensions = None

    _kept_steps: dict[tuple[str, int], tuple[GroupedFieldSet, list[Step]]] | None = None

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        steps = self._steps(parent_type, grouped_field_set)
        results: dict[str, Any] = {}
        waiting: list[str] = []
        is_awaitable = self.is_awaitable
        typename = parent_type.name
        try:
            for name, details, plan in steps:
                if plan is not None and (value := plan.get(source_value)) is not SLOW:
                    field_path = None if plan.leaf else Path(path, name, typename)
                    try:
                        if isinstance(value, Exception):
                            raise value
                        result = plan.complete(
                            self, details, field_path, value, position_context
                        )
                    except Exception as error:
                        where = field_path or Path(path, name, typename)
                        self.handle_field_error(error, plan.type, details, where)
                        result = None
                    results[name] = result
                    if not plan.leaf and is_awaitable(result):
                        waiting.append(name)
                    continue
                result = self.execute_field(
                    parent_type,
                    source_value,
                    details,
                    Path(path, name, typename),
                    position_context,
                )
                if result is not Undefined:
                    results[name] = result
                    if is_awaitable(result):
                        waiting.append(name)
        except Exception:
            if waiting:
                self.settle_in_background([results[name] for name in waiting])
            raise
        if not waiting:
            return results
        return filled(results, waiting)

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
        plans = PLANS.get(parent_type.name, NONE)
        steps = [
            (name, details, plans.get(details[0].node.name.value))
            for name, details in grouped_field_set.items()
        ]
        # the field set stays alive with its steps, so its id is not reused
        kept[key] = (grouped_field_set, steps)
        return steps
