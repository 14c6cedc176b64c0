"""Errors: those callers caused, reported with what and where, and our own,
masked as "Unexpected error." (and logged, see api.schema.Schema)."""

from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from tortoise.exceptions import ValidationError


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


def is_internal(error: GraphQLError) -> bool:
    """Errors raised by our own code or libraries; GraphQL's own messages (syntax,
    validation, bad arguments) and the caller's bad values are not."""
    original = error.original_error
    return (
        original is not None
        and not isinstance(original, GraphQLError)
        and _lookup_error(error) is None
    )


class MaskInternal(MaskErrors):
    """Masks internal errors; reports a caller's bad lookup values as such."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_internal)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        told = [_lookup_error(error) or error for error in errors]
        return super()._process_errors(told)
