"""The ASGI application: GraphQL at /graphql, a health check at /healthz, and the
built directory at /."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from tortoise.contrib.starlette import RegisterTortoise

from api.auth import TokenBackend, refuse
from api.health import health
from api.http import GraphQLEndpoint
from api.middleware import AccessLog, SecurityHeaders
from api.schema import schema
from models.clock import district_today
from models.db import ensure_sqlite_folder, tortoise_config
from models.settings import DATABASE_URL, PRODUCTION, SITE_DIR


def create_app(
    database_url: str = DATABASE_URL,
    site_dir: str = SITE_DIR,
    production: bool = PRODUCTION,
    today: Callable[[], date] = district_today,
) -> Starlette:
    """The app; the database opens and closes with its lifespan. `today` is the
    district's clock (tests pass their own day)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ensure_sqlite_folder(database_url)
        async with RegisterTortoise(app, config=tortoise_config(database_url)):
            yield

    graphql = GraphQLEndpoint(
        schema, graphiql=not production, hints=not production, today=today
    )
    staff_tokens = Middleware(
        AuthenticationMiddleware, backend=TokenBackend(), on_error=refuse
    )
    routes: list[Any] = [
        Route(
            "/graphql",
            graphql,
            methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            middleware=[staff_tokens],
        ),
        Route("/healthz", health),
    ]
    if Path(site_dir).is_dir():
        routes.append(Mount("/", StaticFiles(directory=site_dir, html=True)))
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(AccessLog),
            Middleware(SecurityHeaders),
            Middleware(GZipMiddleware, minimum_size=500),
        ],
    )
