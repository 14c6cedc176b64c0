"""The ceiling for the API benchmark: a plain Starlette endpoint answering the same
bytes as the canonical query, with the same server, so the figures can be compared."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    # read when the server starts, not at import
    body = os.environ.get("CEILING_BODY", "var/bench/api/canonical.json")
    app.state.body = Path(body).read_bytes()
    yield


async def constant(request: Request) -> Response:
    await request.body()
    return Response(request.app.state.body, media_type="application/json")


app = Starlette(
    routes=[
        Route("/graphql", constant, methods=["GET", "POST"]),
        Route("/hsds/services", constant, methods=["GET"]),
    ],
    lifespan=lifespan,
)
