"""Errors: those callers caused, reported with what and where, and our own,
masked as "Unexpected error." (and logged, see api.schema.Schema)."""

from typing import Any

from graphql import GraphQLError
from tortoise.exceptions import OperationalError, ValidationError


class UserInputError(GraphQLError):
    """A bad argument value; `argument` names it so a client can point at it."""

    def __init__(self, message: str, *, argument: str, **extensions: Any) -> None:
        super().__init__(
            message,
            extensions={"code": "BAD_USER_INPUT", "argument": argument, **extensions},
        )


def _lookup_error(error: GraphQLError) -> GraphQLError | None:
    """A value looked up that no column could hold (a 60,000-character slug):
    Tortoise refuses to send it, and nothing could match it anyway."""
    original = error.original_error
    if not isinstance(original, ValidationError):
        return None
    column = str(original).split(":", 1)[0]
    return GraphQLError(
        f"{column} is longer than any stored value, so nothing matches it",
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "BAD_USER_INPUT"},
    )


def busy(error: GraphQLError) -> bool:
    """SQLite lets one writer in at a time: while a long write (a spreadsheet
    import) holds the database, another waits, then gives up with "locked"."""
    original = error.original_error
    return isinstance(original, OperationalError) and "locked" in str(original)


def is_internal(error: GraphQLError) -> bool:
    """Errors raised by our own code or libraries; GraphQL's own messages (syntax,
    validation, bad arguments), the caller's bad values and a busy database are
    not."""
    original = error.original_error
    return (
        original is not None
        and not isinstance(original, GraphQLError)
        and _lookup_error(error) is None
        and not busy(error)
    )


def as_reported(error: GraphQLError) -> GraphQLError:
    """The error as the caller sees it: a bad lookup value said plainly, our own
    failures as "Unexpected error.", GraphQL's own messages as they are."""
    if (lookup := _lookup_error(error)) is not None:
        return lookup
    if busy(error):
        return GraphQLError(
            "The database is busy with another write, such as a spreadsheet import; "
            "nothing was written: try again in a minute",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "DATABASE_BUSY"},
        )
    if is_internal(error):
        return GraphQLError(
            "Unexpected error.",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
        )
    return error
