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

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from types import LambdaType
from typing import Any

from tortoise.fields import DateField
from tortoise.queryset import ValuesListQuery, ValuesQuery

KEPT = 256  # shapes kept
STAND_IN = 7_000_000_000_000_000_000  # and up: the numbers a query is built with

Query = ValuesQuery[Any] | ValuesListQuery[Any]
Numbers = int | Sequence[int]


@dataclass(frozen=True, slots=True)
class _Statement:
    sql: str
    parameters: tuple[Any, ...]
    slots: tuple[tuple[int, int, int], ...]  # (parameter, argument, item or -1)
    columns: tuple[tuple[str, Callable[[Any], Any]], ...]
    as_tuples: bool

    def parameters_for(self, numbers: Sequence[Numbers]) -> list[Any]:
        filled = list(self.parameters)
        for at, argument, item in self.slots:
            given = numbers[argument]
            filled[at] = given if item < 0 else given[item]  # type: ignore[index]
        return filled

    def rows(self, found: list[Any]) -> list[Any]:
        columns = self.columns
        if self.as_tuples:
            return [tuple(read(row[name]) for name, read in columns) for row in found]
        return [{name: read(row[name]) for name, read in columns} for row in found]


_kept: OrderedDict[Hashable, _Statement] = OrderedDict()


async def fetch(
    shape: Hashable, build: Callable[..., Query], *numbers: Numbers
) -> list[Any]:
    """The rows of `build(*numbers)`, a `values()` or `values_list()` query whose
    SQL depends on `shape` and the numbers' count alone. `shape` names everything
    else the query is built from (a day, a filter)."""
    counts = tuple(-1 if isinstance(n, int) else len(n) for n in numbers)
    stand_ins = [_stand_in(i, n) for i, n in enumerate(numbers)]
    query = build(*stand_ins)
    query._choose_db_if_not_chosen()
    database = query._db
    key = (shape, counts, database.capabilities.dialect)
    statement = _kept.get(key)
    if statement is None:
        query._make_query()
        statement = _made(query, stand_ins)
        if statement is None:
            return list(await build(*numbers))
        _kept[key] = statement
        if len(_kept) > KEPT:
            _kept.popitem(last=False)
    found = await database.execute_query_dict(
        statement.sql, statement.parameters_for(numbers)
    )
    return statement.rows(found)


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
        columns=_columns(query),
        as_tuples=isinstance(query, ValuesListQuery),
    )


def _columns(query: Query) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """Each column's name in a row and its conversion, as Tortoise's own
    `_execute` makes them (`values()` leaves a column as read where the
    conversion is a plain function)."""
    model = query.model
    if isinstance(query, ValuesListQuery):
        named = list(query.fields.items())
    else:
        named = list(query._fields_for_select.items())
    columns = []
    for name, field in named:
        read = query.resolve_to_python_value(model, field)
        if isinstance(query, ValuesQuery) and isinstance(read, LambdaType):
            read = _as_read
        elif isinstance(_field(model, field), DateField):
            read = _date(read)
        columns.append((name, read))
    return tuple(columns)


def _field(model: Any, name: str) -> Any:
    return model._meta.fields_map.get(name) if "__" not in name else None


def _as_read(value: Any) -> Any:
    return value


def _date(slow: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            return slow(value)

    return read
