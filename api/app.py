"""The ASGI application: GraphQL at /graphql, Open Referral HSDS at /hsds/, a
health check at /healthz, and the built directory at /."""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from datetime import date
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from tortoise.contrib.starlette import RegisterTortoise

from api.auth import TokenBackend, refuse
from api.health import Health
from api.hsds.endpoint import OpenReferral
from api.http import GraphQLEndpoint
from api.middleware import AccessLog, Compress, SecurityHeaders
from api.schema import schema
from api.site_files import SiteFiles
from models.clock import district_today
from models.db import ensure_sqlite_folder, tortoise_config
from models.settings import DATABASE_URL, PRODUCTION, SITE_DIR

SDL = str(schema) + "\n"


async def schema_file(request: Request) -> Response:
    """The schema in GraphQL's own language: what schema.graphql holds."""
    return PlainTextResponse(
        SDL, headers={"Cache-Control": "public, max-age=300"}, media_type="text/plain"
    )


def create_app(
    database_url: str = DATABASE_URL,
    site_dir: str = SITE_DIR,
    production: bool = PRODUCTION,
    today: Callable[[], date] = district_today,
    services: Sequence[Callable[[], AbstractAsyncContextManager[object]]] = (),
    trusted: Sequence[str] = (),
) -> Starlette:
    """The app; the database opens and closes with its lifespan, and `services`
    (such as the directory's publisher) run while it is open. `today` is the
    district's clock (tests pass their own day); `trusted`, documents clients may
    send by their hash."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ensure_sqlite_folder(database_url)
        async with RegisterTortoise(app, config=tortoise_config(database_url)):
            async with AsyncExitStack() as stack:
                for service in services:
                    await stack.enter_async_context(service())
                yield

    graphql = GraphQLEndpoint(
        schema,
        graphiql=not production,
        hints=not production,
        today=today,
        trusted=trusted,
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
        Route("/healthz", Health(site_dir, today).answer),
        Route("/schema.graphql", schema_file),
        Route("/hsds", lambda request: RedirectResponse("/hsds/", 308)),
        Mount(
            "/hsds",
            routes=OpenReferral(
                today, graphql.revisions, graphql.bounds, graphql.vocabulary
            ).routes(),
        ),
    ]
    routes.append(Mount("/", SiteFiles(site_dir)))
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(AccessLog),
            Middleware(SecurityHeaders),
            Middleware(Compress),
        ],
    )
