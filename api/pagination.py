"""Relay-style connections over ordered querysets, with offset cursors."""

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import relay
from tortoise.models import Model
from tortoise.queryset import QuerySet

from api.columns import Plain, kept_rows
from api.errors import UserInputError
from models.validation import whole_number

PAGE_SIZE_DEFAULT = 20
PAGE_SIZE_MAX = 100
_CURSOR_PREFIX = "offset:"

NodeT = TypeVar("NodeT")
ModelT = TypeVar("ModelT", bound=Model)


def encode_cursor(offset: int, prefix: str = _CURSOR_PREFIX) -> str:
    return base64.urlsafe_b64encode(f"{prefix}{offset}".encode()).decode()


def decode_cursor(
    cursor: str,
    prefix: str = _CURSOR_PREFIX,
    refusal: str = "after is not a valid cursor: pass the endCursor of a previous page",
) -> int:
    """The number a cursor of ours stands for; a clear error for anything else."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
        if text.startswith(prefix):
            offset = whole_number(text.removeprefix(prefix), 0, 2**31 - 1)
            if offset is not None:
                return offset
    except (ValueError, UnicodeError, binascii.Error):
        pass
    raise UserInputError(refusal, argument="after")


@strawberry.type
class Edge(Generic[NodeT]):
    node: NodeT
    cursor: str


@strawberry.type(description="A page of results, in a stable order.")
class Connection(Generic[NodeT]):
    page_info: relay.PageInfo
    # Loaded only when asked for: a page's count or pageInfo costs no rows.
    edges_of: strawberry.Private[Callable[[], Awaitable[list[Edge[NodeT]]]]]
    count_all: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field
    async def edges(self) -> list[Edge[NodeT]]:
        return await self.edges_of()

    @strawberry.field(description="How many results there are across all pages.")
    async def total_count(self) -> int:
        return await self.count_all()


def check_page_size(first: int) -> None:
    if not 1 <= first <= PAGE_SIZE_MAX:
        raise UserInputError(
            f"first must be between 1 and {PAGE_SIZE_MAX}, got {first}",
            argument="first",
        )


def page_start(first: int, after: str | None) -> int:
    """Where the page asked for starts, its arguments checked."""
    check_page_size(first)
    return decode_cursor(after) + 1 if after is not None else 0


def connection(
    size: int,
    start: int,
    more: bool,
    nodes_of: Callable[[], Awaitable[Sequence[NodeT]]],
    count_all: Callable[[], Awaitable[int]],
) -> Connection[NodeT]:
    """A page of `size` nodes, the first of which is item `start` of the whole
    list; `nodes_of` loads them when the edges are asked for."""

    async def edges() -> list[Edge[NodeT]]:
        nodes = await nodes_of()
        return [
            Edge(node=n, cursor=encode_cursor(start + i)) for i, n in enumerate(nodes)
        ]

    return Connection(
        page_info=relay.PageInfo(
            has_next_page=more,
            has_previous_page=start > 0,
            start_cursor=encode_cursor(start) if size else None,
            end_cursor=encode_cursor(start + size - 1) if size else None,
        ),
        edges_of=edges,
        count_all=count_all,
    )


async def paginate(
    queryset: QuerySet[ModelT],
    convert: Callable[[Any], NodeT],
    first: int,
    after: str | None,
    *,
    plain: Plain | None = None,
    prepare: Callable[[list[NodeT]], Awaitable[None]] | None = None,
) -> Connection[NodeT]:
    """One page of `queryset`; reads one row more than asked, to know if more follow.
    With `plain`, as plain rows (api/columns.py) instead of model instances;
    `prepare` loads what the page's nodes need, all at once."""
    start = page_start(first, after)

    def window(offset: int, limit: int) -> QuerySet[ModelT]:
        return queryset.offset(offset).limit(limit)

    rows: Sequence[Any]
    if plain is None:
        rows = await window(start, first + 1)
    else:
        rows = await kept_rows(
            plain.shape, window, plain.columns, start, first + 1, row=plain.row
        )
    nodes = [convert(row) for row in rows[:first]]
    if prepare is not None:
        await prepare(nodes)

    async def loaded() -> Sequence[NodeT]:
        return nodes

    return connection(len(nodes), start, len(rows) > first, loaded, queryset.count)
