"""Staff credentials: `Authorization: Bearer <token>`, checked before GraphQL runs."""

from dataclasses import dataclass

from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    BaseUser,
)
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, Response

import models as m


@dataclass(frozen=True)
class Staff(BaseUser):
    """The holder of a valid staff token."""

    name: str
    role: m.Role

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.name


class TokenBackend(AuthenticationBackend):
    """No header: an anonymous visitor. A header that is not a live token: refused,
    with the same answer whether the token is unknown, revoked or malformed."""

    async def authenticate(
        self, conn: HTTPConnection
    ) -> tuple[AuthCredentials, BaseUser] | None:
        header = conn.headers.get("authorization")
        if header is None:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError(
                "Authorization must be 'Bearer <token>' with a staff token"
            )
        row = await m.StaffToken.get_or_none(
            token_hash=m.hash_token(token.strip()), revoked_at=None
        )
        if row is None:
            raise AuthenticationError(
                "The token is not valid: it is unknown or revoked"
            )
        scopes = ["staff"] + (["editor"] if row.role == m.Role.EDITOR else [])
        return AuthCredentials(scopes), Staff(name=row.name, role=row.role)


def refuse(conn: HTTPConnection, error: AuthenticationError) -> Response:
    return JSONResponse(
        {
            "errors": [
                {"message": str(error), "extensions": {"code": "UNAUTHENTICATED"}}
            ]
        },
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="partners"'},
    )
