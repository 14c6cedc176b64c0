"""Errors that callers caused, reported with what and where, never masked."""

from typing import Any

from graphql import GraphQLError


class UserInputError(GraphQLError):
    """A bad argument value; `argument` names it so a client can point at it."""

    def __init__(self, message: str, *, argument: str, **extensions: Any) -> None:
        super().__init__(
            message,
            extensions={"code": "BAD_USER_INPUT", "argument": argument, **extensions},
        )
