"""Statements made once per shape: a query's SQL text built by Tortoise the first
time, then run again with other numbers in it.

Tortoise builds every query anew: it copies the query objects, resolves filters
and joins, and renders the SQL through pypika, ~200 µs a statement, more than the
database takes to answer most of ours. A loader asks the same question for each
page with other ids, and a page the same question at another offset; only those
numbers change. So a query is built once with stand-in numbers (large, distinct,
never a real id or page size), the SQL and its parameters are kept, and each run
puts its own numbers where the stand-ins were. If a stand-in is not found exactly
once among the parameters, the query runs as Tortoise built it, unkept.

Rows come back as Tortoise's `values()` / `values_list()` give them, each column
converted by the same field conversions, except that dates stored as ISO text are
read with `date.fromisoformat` (Tortoise parses them as datetimes, ~20 times
slower)."""

from collections.abc import Callable, Hashable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from types import FunctionType
from typing import Any

from tortoise.fields import DateField
from tortoise.queryset import ValuesListQuery, ValuesQuery
from tortoise.router import router

from models.kept import BoundedLRU

KEPT = 256  # shapes kept
STAND_IN = 7_000_000_000_000_000_000  # and up: the numbers a query is built with

Query = ValuesQuery[Any] | ValuesListQuery[Any]
Numbers = int | Sequence[int]


@dataclass(frozen=True, slots=True)
class _Statement:
    sql: str
    parameters: tuple[Any, ...]
    slots: tuple[tuple[int, int, int], ...]  # (parameter, argument, item or -1)
    names: tuple[str, ...]  # the columns, in order
    conversions: tuple[tuple[str, Callable[[Any], Any]], ...]  # (column, conversion)
    as_tuples: bool

    def parameters_for(self, numbers: Sequence[Numbers]) -> list[Any]:
        filled = list(self.parameters)
        for at, argument, item in self.slots:
            given = numbers[argument]
            filled[at] = given if item < 0 else given[item]  # type: ignore[index]
        return filled

    def rows(self, found: list[dict[str, Any]]) -> list[Any]:
        """The rows converted in place, as Tortoise converts them."""
        conversions = self.conversions
        for row in found:
            for name, read in conversions:
                row[name] = read(row[name])
        if not self.as_tuples:
            return found
        if len(self.names) == 1:
            return [(row[self.names[0]],) for row in found]
        get = itemgetter(*self.names)
        return [get(row) for row in found]


# statements, by shape, counts and dialect: 4 MB at most, weighed by their SQL
# and parameters (a page of 100 ids is a few kilobytes)
STATEMENTS: ContextVar["Statements | None"] = ContextVar("statements", default=None)


async def fetch(
    shape: Hashable, build: Callable[..., Query], *numbers: Numbers
) -> list[Any]:
    """The rows of `build(*numbers)`, a `values()` or `values_list()` query whose
    SQL depends on `shape` and the numbers' count alone. `shape` names everything
    else the query is built from (a day, a filter). The statements the running
    engine keeps make it (`STATEMENTS`, set where an execution begins); with none,
    Tortoise runs the query its own way."""
    kept = STATEMENTS.get()
    if kept is None:
        return list(await build(*numbers))
    return await kept.fetch(shape, build, *numbers)


class Statements:
    """The statements made so far, by shape, within `largest` bytes. A kept
    statement runs on the connection Tortoise would choose for the query (a
    transaction's, inside one)."""

    def __init__(self, largest: int = 4 * 1024 * 1024) -> None:
        self.kept = BoundedLRU(KEPT, largest)
        self.models = BoundedLRU(KEPT)  # the model each shape reads

    async def fetch(
        self, shape: Hashable, build: Callable[..., Query], *numbers: Numbers
    ) -> list[Any]:
        counts = tuple(-1 if isinstance(n, int) else len(n) for n in numbers)
        model = self.models.find(shape)
        if model is not None:
            database = router.db_for_read(model) or model._meta.db
            key = (shape, counts, database.capabilities.dialect)
            statement: _Statement | None = self.kept.find(key)
            if statement is not None:
                found = await database.execute_query_dict(
                    statement.sql, statement.parameters_for(numbers)
                )
                return statement.rows(found)
        stand_ins = [_stand_in(i, n) for i, n in enumerate(numbers)]
        query = build(*stand_ins)
        query._choose_db_if_not_chosen()
        database = query._db
        query._make_query()
        made = _made(query, stand_ins)
        if made is None:
            return list(await build(*numbers))
        self.models.keep(shape, query.model)
        weight = 512 + 2 * len(made.sql) + 64 * len(made.parameters)
        self.kept.keep((shape, counts, database.capabilities.dialect), made, weight)
        found = await database.execute_query_dict(
            made.sql, made.parameters_for(numbers)
        )
        return made.rows(found)


def _stand_in(argument: int, numbers: Numbers) -> Numbers:
    base = STAND_IN + argument * 1_000_000
    if isinstance(numbers, int):
        return base
    return [base + 1 + i for i in range(len(numbers))]


def _made(query: Query, stand_ins: list[Numbers]) -> _Statement | None:
    sql, parameters = query.query.get_parameterized_sql()
    wanted: dict[int, tuple[int, int]] = {}
    for argument, numbers in enumerate(stand_ins):
        if isinstance(numbers, int):
            wanted[numbers] = (argument, -1)
        else:
            wanted.update({n: (argument, i) for i, n in enumerate(numbers)})
    slots = [
        (at, *wanted[value])
        for at, value in enumerate(parameters)
        if type(value) is int and value in wanted
    ]
    if len(slots) != len(wanted) or len({s[1:] for s in slots}) != len(wanted):
        return None  # a stand-in missing or repeated: not a shape to keep
    return _Statement(
        sql=sql,
        parameters=tuple(parameters),
        slots=tuple(slots),
        names=tuple(_names(query)),
        conversions=_conversions(query),
        as_tuples=isinstance(query, ValuesListQuery),
    )


def _conversions(query: Query) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """Each column's conversion, as Tortoise's own `_execute` makes them, but none
    for a column Tortoise would pass through `lambda x: x`."""
    model = query.model
    if isinstance(query, ValuesListQuery):
        named = list(query.fields.items())
    else:
        named = list(query._fields_for_select.items())
    conversions: list[tuple[str, Callable[[Any], Any]]] = []
    for name, field_name in named:
        read = query.resolve_to_python_value(model, field_name)
        field = _field(model, field_name)
        if _passes_through(read):
            continue  # Tortoise's `lambda x: x` for columns the driver reads as is
        if isinstance(field, DateField):
            read = _date(read)
        conversions.append((name, read))
    return tuple(conversions)


def _passes_through(read: Callable[[Any], Any]) -> bool:
    """Whether `read` is a plain function that gives back what it is given (not a
    field's own conversion, which Tortoise hands over as a bound method)."""
    if not isinstance(read, FunctionType):
        return False
    probe = object()
    try:
        return read(probe) is probe
    except Exception:
        return False


def _names(query: Query) -> list[str]:
    if isinstance(query, ValuesListQuery):
        return list(query.fields)
    return list(query._fields_for_select)


def _field(model: Any, name: str) -> Any:
    return model._meta.fields_map.get(name) if "__" not in name else None


def _date(slow: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            return slow(value)

    return read
