"""The ASGI application: GraphQL at /graphql, Open Referral HSDS at /hsds/, a
health check at /healthz, and the built directory at / (with the routes its forms
post to, which the server adds)."""

import gc
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from datetime import date

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Receive, Scope, Send
from tortoise.contrib.starlette import RegisterTortoise

from api.access_log import AccessLines, AccessLog, logged
from api.auth import TokenBackend, refuse
from api.engine import named
from api.exchange import FAILED
from api.health import Health
from api.hsds.endpoint import OpenReferral
from api.http import GraphQLEndpoint
from api.middleware import Compress, SecurityHeaders
from api.schema import schema
from api.site_files import SiteFiles
from models.clock import district_today
from models.db import ensure_sqlite_folder, tortoise_config
from models.settings import Settings, current


class App(Starlette):
    """Starlette, with (under the fast engine) a short way in for anonymous GraphQL
    reads: every uncached
    public query and every cache hit comes this way. A GET or POST to /graphql with
    no Authorization header (no staff token to check) and no gzip asked for goes
    straight to the endpoint, past the router, the token middleware and the
    middleware chain. The endpoint's answers carry their security headers
    already (api/exchange.py); what else the chain would add, the access log
    line and a plain 500 for a failure, is added here. Everything else, staff
    requests included, takes the whole way."""

    graphql: GraphQLEndpoint | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        graphql = self.graphql
        if graphql is not None and graphql.engine.fast and _anonymous_graphql(scope):
            scope["app"] = self
            await self._direct(graphql, scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def _direct(
        self, endpoint: GraphQLEndpoint, scope: Scope, receive: Receive, send: Send
    ) -> None:
        started, status = time.perf_counter(), 499
        try:
            try:
                answer = await endpoint.respond(scope, receive)
            except Exception:
                status = 500
                await FAILED.send(send)
                raise  # for the server's log, as Starlette's own error middleware does
            if answer is not None:  # None: the client went away mid-body
                status = answer.status
                await answer.send(send)
        finally:
            logged(scope, status, started)


def _anonymous_graphql(scope: Scope) -> bool:
    if (
        scope["type"] != "http"
        or scope["path"] != "/graphql"
        or scope["method"] not in ("GET", "POST")
    ):
        return False
    for name, value in scope["headers"]:
        if name == b"authorization" or (
            name == b"accept-encoding" and b"gzip" in value
        ):
            return False
    return True


def schema_file(sdl: str) -> Callable[[Request], Awaitable[Response]]:
    """The schema in GraphQL's own language: what schema.graphql holds."""

    async def answer(request: Request) -> Response:
        headers = {"Cache-Control": "public, max-age=300"}
        return PlainTextResponse(sdl, headers=headers, media_type="text/plain")

    return answer


def create_app(
    database_url: str | None = None,
    site_dir: str | None = None,
    production: bool | None = None,
    today: Callable[[], date] = district_today,
    services: Sequence[Callable[[], AbstractAsyncContextManager[object]]] = (),
    trusted: Sequence[str] = (),
    engine: str | None = None,
    settings: Settings | None = None,
    forms: Sequence[BaseRoute] = (),
) -> App:
    """The app for `settings` (the process's, by default), the arguments given
        winning; the database opens and closes with its lifespan, and `services` (such
        as the directory's publisher) run while it is open. `today` is the district's
        clock (tests pass their own day); `trusted`, documents clients may send by
        their hash; `engine`, "fast" or "reference" (api/engine/); `forms`, routes
    for the directory's forms (directory_site/application_endpoint.py), before its
    files."""
    chosen = (settings or current()).with_flags(
        database_url=database_url,
        site_dir=site_dir,
        production=production,
        engine=engine,
    )
    return _made(chosen, today, services, trusted, forms)


def _made(
    settings: Settings,
    today: Callable[[], date],
    services: Sequence[Callable[[], AbstractAsyncContextManager[object]]],
    trusted: Sequence[str],
    forms: Sequence[BaseRoute],
) -> App:
    engine = named(
        schema,
        settings.engine,
        settings.document_cache_bytes,
        settings.selection_cache_bytes,
    )
    graphql = GraphQLEndpoint(
        engine,
        settings,
        graphiql=not settings.production,
        hints=not settings.production,
        today=today,
        trusted=trusted,
    )
    app = App(
        routes=_routes(graphql, settings.site_dir, today, forms),
        lifespan=_lifespan(settings.database_url, services),
        middleware=[
            Middleware(AccessLog),
            Middleware(SecurityHeaders),
            Middleware(Compress),
        ],
    )
    app.graphql = graphql
    return app


def _routes(
    graphql: GraphQLEndpoint,
    site_dir: str,
    today: Callable[[], date],
    forms: Sequence[BaseRoute],
) -> list[BaseRoute]:
    staff_tokens = Middleware(
        AuthenticationMiddleware, backend=TokenBackend(), on_error=refuse
    )
    return [
        Route(
            "/graphql",
            graphql,
            methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            middleware=[staff_tokens],
        ),
        Route("/healthz", Health(site_dir, today).answer),
        Route("/schema.graphql", schema_file(str(schema) + "\n")),
        Route("/hsds", lambda request: RedirectResponse("/hsds/", 308)),
        Mount("/hsds", routes=OpenReferral(today, graphql).routes()),
        *forms,
        Mount("/", SiteFiles(site_dir)),
    ]


def _lifespan(
    database_url: str,
    services: Sequence[Callable[[], AbstractAsyncContextManager[object]]],
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """The database opens and closes with the app; `services` run while it is
    open."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ensure_sqlite_folder(database_url)
        async with RegisterTortoise(app, config=tortoise_config(database_url)):
            async with AsyncExitStack() as stack:
                for service in services:
                    await stack.enter_async_context(service())
                # What the worker has made by now (schema, modules, connections)
                # lives as long as it does: out of the collector's way, so that
                # its full collections, which requests' garbage sets off, walk
                # only what came after (tens of milliseconds each, otherwise).
                gc.freeze()
                yield
        AccessLines.flush()  # the last lines, before the server goes

    return lifespan
