"""Plans for graphql-core's executor: how each field of each object type is read
and completed, made once when an engine is made (executor.py runs them).

A plan reads a field that is at hand (a plain attribute, a list the page loaded
ahead into `pre`, a synchronous resolver of `self` alone) and completes its value
with the steps its type needs, as graphql-core's `complete_value` would: the same
null checks and messages, errors handled by graphql-core's `handle_field_error` at
the same paths, lists and objects completed with the same awaiting of slower fields
below them. A field with no plan, or a value a plan does not cover, takes
graphql-core's way."""

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLFloat,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
    get_nullable_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.executor import Executor as BaseExecutor
from graphql.execution.executor import invalid_return_type_error, to_nodes
from graphql.pyutils import Path, gather_with_cancel
from strawberry import Schema
from strawberry.types.base import StrawberryObjectDefinition

Runner = BaseExecutor[Any]  # the executor running a plan
SLOW = object()  # a plan's getter found nothing at hand: take graphql-core's way
# complete(executor, field details, path (None for a leaf), value, position context)
Complete = Callable[[Runner, FieldDetailsList, Any, Any, Any], Any]
NATIVE: dict[Any, type] = {
    GraphQLString: str,
    GraphQLInt: int,
    GraphQLFloat: float,
    GraphQLBoolean: bool,
}


@dataclass(frozen=True, slots=True)
class Plan:
    """How one field of one object type is read and completed."""

    get: Callable[[Any], Any]  # the value, or SLOW
    complete: Complete
    type: GraphQLOutputType
    leaf: bool  # a scalar or enum: its answer is never awaitable, needs no path


Plans = dict[str, dict[str, Plan]]  # object type name: field name: plan
NONE: dict[str, Plan] = {}


def planned(schema: Schema, graphql: GraphQLSchema) -> Plans:
    """The plans for the object types of `schema` (`graphql`, its graphql-core
    schema). Strawberry's objects are read, never changed."""
    plans: Plans = {}
    names = schema.config.name_converter
    own = _own_checks(schema, graphql)
    for name, kind in graphql.type_map.items():
        if name.startswith("__") or not isinstance(kind, GraphQLObjectType):
            continue
        definition = schema.get_type_by_name(name)
        if not isinstance(definition, StrawberryObjectDefinition):
            continue
        found: dict[str, Plan] = {"__typename": _typename(kind)}
        for field in definition.fields:
            graphql_name = names.get_graphql_name(field)
            get = _getter(field, graphql_name)
            if get is None:
                continue
            field_def = kind.fields[graphql_name]
            made = _completer(field_def.type, field_def, kind, graphql_name, own)
            leaf = isinstance(get_nullable_type(field_def.type), GraphQLLeafType)
            found[graphql_name] = Plan(get, made, field_def.type, leaf)
        plans[name] = found
    return plans


def _own_checks(schema: Schema, graphql: GraphQLSchema) -> frozenset[str]:
    """The object types whose `is_type_of` is Strawberry's own (made from the
    class, it needs no resolve info): those without one of ours."""
    own = set()
    for name, kind in graphql.type_map.items():
        definition = schema.get_type_by_name(name)
        if isinstance(kind, GraphQLObjectType) and (
            isinstance(definition, StrawberryObjectDefinition)
            and definition.is_type_of is None
        ):
            own.add(name)
    return frozenset(own)


def _typename(kind: GraphQLObjectType) -> Plan:
    name = kind.name
    return Plan(lambda _: name, lambda *_: name, GraphQLNonNull(GraphQLString), True)


def _getter(field: Any, graphql_name: str) -> Callable[[Any], Any] | None:
    """How a plan reads the field, if it can: a plain attribute; a list the page
    loaded ahead into `pre` under the field's name (its resolver answers
    `pre[name]` when that is there, else loads it); a synchronous resolver of
    `self` alone. None for anything else."""
    if field.extensions or field.permission_classes or field.directives:
        return None
    resolver = field.base_resolver
    if resolver is None:
        return attrgetter(field.python_name)
    if resolver.arguments or resolver.is_async or resolver.root_parameter:
        return None
    if resolver.info_parameter is None and resolver.self_parameter is not None:
        function = resolver.wrapped_func
        return lambda source: function(source)
    if any("pre" in vars(c).get("__annotations__", {}) for c in field.origin.__mro__):

        def ahead(source: Any) -> Any:
            found = source.pre.get(graphql_name)
            return SLOW if found is None else found

        return ahead
    return None


def _completer(
    kind: GraphQLOutputType,
    field: GraphQLField,
    parent: GraphQLObjectType,
    name: str,
    own: frozenset[str],
) -> Complete:
    """The steps that complete a value of type `kind`, as graphql-core's
    `complete_value` would; graphql-core's own for the parts that need it (an
    interface, a union, an object type checked by a function of ours)."""
    where = f"{parent.name}.{name}"
    if isinstance(kind, GraphQLNonNull):
        return _non_null(_completer(kind.of_type, field, parent, name, own), where)
    info = _info(field, parent)
    general = _general(kind, info)
    if isinstance(kind, GraphQLList):
        item = _completer(kind.of_type, field, parent, name, own)
        return _list(item, kind.of_type, general, info)
    if isinstance(kind, GraphQLLeafType):
        return _leaf(kind)
    if isinstance(kind, GraphQLObjectType):
        if kind.name in own:
            return _object(kind)  # Strawberry's own check needs no resolve info
    return general


Info = Callable[[Runner, FieldDetailsList, Path], Any]


def _info(field: GraphQLField, parent: GraphQLObjectType) -> Info:
    """The resolve info graphql-core would give the field, made when needed."""

    def info(executor: Runner, details: FieldDetailsList, path: Path) -> Any:
        return executor.build_resolve_info(field, to_nodes(details), parent, path)

    return info


def _general(kind: GraphQLOutputType, info: Info) -> Complete:
    """graphql-core's way to complete a value of type `kind`."""

    def complete(
        executor: Runner, details: FieldDetailsList, path: Path, value: Any, at: Any
    ) -> Any:
        found = info(executor, details, path)
        return executor.complete_value(kind, details, found, path, value, at)

    return complete


def _non_null(inner: Complete, where: str) -> Complete:
    message = f"Cannot return null for non-nullable field {where}."

    def complete(
        executor: Runner, details: FieldDetailsList, path: Path, value: Any, at: Any
    ) -> Any:
        completed = inner(executor, details, path, value, at)
        if completed is None:
            raise TypeError(message)
        return completed

    return complete


def _leaf(kind: GraphQLLeafType) -> Complete:
    native = NATIVE.get(kind)
    members, names = _enum_names(kind)
    coerce = BaseExecutor.complete_leaf_value

    def complete(
        executor: Runner, details: FieldDetailsList, path: Path, value: Any, at: Any
    ) -> Any:
        if value is None:
            return None
        if type(value) is native:
            return value
        if type(value) is members and (name := names.get(value)) is not None:
            return name
        return coerce(kind, value)

    return complete


def _enum_names(kind: GraphQLLeafType) -> tuple[type | None, dict[Any, str]]:
    """A Strawberry enum's members by the name its coercion gives each (the first
    GraphQL value of the member's value), looked up instead of searched for."""
    members = getattr(kind, "wrapped_cls", None)
    if not isinstance(kind, GraphQLEnumType) or members is None:
        return None, {}
    names: dict[Any, str] = {}
    for member in members:
        for name, value in kind.values.items():
            if member.value == value.value:
                names.setdefault(member, name)
                break
    return members, names


def _list(
    item: Complete,
    item_type: GraphQLOutputType,
    general: Complete,
    info: Info,
) -> Complete:
    def complete(
        executor: Runner, details: FieldDetailsList, path: Path, value: Any, at: Any
    ) -> Any:
        if value is None:
            return None
        if not isinstance(value, list | tuple):
            return general(executor, details, path, value, at)
        completed, waiting = _items(
            executor, item, item_type, info, details, path, value, at
        )
        if not waiting:
            return completed
        return awaited_in_place(completed, waiting)

    return complete


def _items(
    executor: Runner,
    item: Complete,
    item_type: GraphQLOutputType,
    info: Info,
    details: FieldDetailsList,
    path: Path,
    value: list[Any] | tuple[Any, ...],
    at: Any,
) -> tuple[list[Any], list[int]]:
    """A list's entries completed, as graphql-core's `complete_list_value` does
    them, and where those still to come are."""
    completed: list[Any] = []
    waiting: list[int] = []
    try:
        for index, entry in enumerate(value):
            entry_path = Path(path, index, None)
            try:
                if isinstance(entry, Exception):
                    raise entry
                if executor.is_awaitable(entry):  # as graphql-core completes one
                    found = info(executor, details, path)
                    done = executor.complete_awaitable_list_item_value(
                        entry, item_type, details, found, entry_path, at
                    )
                    waiting.append(index)
                else:
                    done = item(executor, details, entry_path, entry, at)
                    if executor.is_awaitable(done):
                        done = _settled(executor, done, item_type, details, entry_path)
                        waiting.append(index)
            except Exception as error:
                executor.handle_field_error(error, item_type, details, entry_path)
                done = None
            completed.append(done)
    except Exception:
        if waiting:
            executor.settle_in_background([completed[i] for i in waiting])
        raise
    return completed, waiting


async def _settled(
    executor: Runner,
    awaitable: Any,
    item_type: GraphQLOutputType,
    details: FieldDetailsList,
    path: Path,
) -> Any:
    try:
        return await awaitable
    except Exception as error:
        executor.handle_field_error(error, item_type, details, path)
        return None


async def awaited_in_place(results: Any, waiting: list[Any]) -> Any:
    """`results` (an object's answer, or a list's) once the awaitables it holds at
    `waiting` are in, as graphql-core's `execute_fields` and
    `complete_iterable_value` give them."""
    if len(waiting) == 1:
        results[waiting[0]] = await results[waiting[0]]
        return results
    awaited = await gather_with_cancel(*(results[key] for key in waiting))
    for key, value in zip(waiting, awaited, strict=True):
        results[key] = value
    return results


def _object(kind: GraphQLObjectType) -> Complete:
    check = kind.is_type_of

    def complete(
        executor: Runner, details: FieldDetailsList, path: Path, value: Any, at: Any
    ) -> Any:
        if value is None:
            return None
        if check is not None and not check(value, None):  # type: ignore[arg-type]
            raise invalid_return_type_error(kind, value, details)
        fields, deferred, _ = executor.collect_subfields(kind, details)
        return executor.execute_collected_subfields(
            kind, value, path, fields, deferred, at
        )

    return complete
