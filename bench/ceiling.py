"""The ceiling for the API benchmark: a plain Starlette endpoint answering the same
bytes as the canonical query, with the same server, so the figures can be compared."""

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BODY = Path(os.environ.get("CEILING_BODY", "var/bench/api/canonical.json")).read_bytes()


async def constant(request: Request) -> Response:
    await request.body()
    return Response(BODY, media_type="application/json")


app = Starlette(
    routes=[
        Route("/graphql", constant, methods=["GET", "POST"]),
        Route("/hsds/services", constant, methods=["GET"]),
    ]
)
