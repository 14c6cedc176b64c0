"""The ASGI application: GraphQL at /graphql, the built directory at /."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from tortoise.contrib.starlette import RegisterTortoise

from api.auth import Staff, TokenBackend, refuse
from api.context import Context
from api.schema import schema
from models.db import DATABASE_URL, ensure_sqlite_folder, tortoise_config

SITE_DIR = os.environ.get("SITE_DIR", "var/site")


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI app with a fresh set of DataLoaders per request."""

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        user = request.scope.get("user")
        return Context(staff=user if isinstance(user, Staff) else None)


def create_app(database_url: str = DATABASE_URL, site_dir: str = SITE_DIR) -> Starlette:
    """The app; the database opens and closes with its lifespan."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ensure_sqlite_folder(database_url)
        async with RegisterTortoise(app, config=tortoise_config(database_url)):
            yield

    graphql = GraphQLApp(schema)
    staff_tokens = Middleware(
        AuthenticationMiddleware, backend=TokenBackend(), on_error=refuse
    )
    routes: list[Any] = [
        Route("/graphql", graphql, methods=["GET", "POST"], middleware=[staff_tokens])
    ]
    if Path(site_dir).is_dir():
        routes.append(Mount("/", StaticFiles(directory=site_dir, html=True)))
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(GZipMiddleware, minimum_size=500)],
    )
