"""The ASGI application: GraphQL at /graphql, a health check at /healthz, and the
built directory at /."""

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise

from api.auth import TokenBackend, refuse
from api.http import GraphQLEndpoint
from api.schema import schema
from models.clock import district_today
from models.db import ensure_sqlite_folder, tortoise_config
from models.settings import DATABASE_URL, PRODUCTION, SITE_DIR

access_log = logging.getLogger("partners.access")


class AccessLog:
    """One line per request with its status and time taken, for production logs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            took = (time.perf_counter() - started) * 1000
            client = scope.get("client") or ("-", 0)
            access_log.info(
                '%s "%s %s" %d %.1fms',
                client[0],
                scope["method"],
                scope["path"],
                status,
                took,
            )


async def health(request: Request) -> JSONResponse:
    """For a load balancer: 200 when the database answers, 503 when it does not."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:  # any failure means: take this instance out of rotation
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
    return JSONResponse({"status": "ok", "database": "ok"})


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
            methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
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
            Middleware(GZipMiddleware, minimum_size=500),
        ],
    )
