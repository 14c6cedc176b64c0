"""GET /healthz, for a load balancer: 200 when the database answers and carries
every migration this code expects, 503 otherwise, with what was found."""

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from tortoise import connections

from models.db import MIGRATIONS, applied_migrations


async def health(request: Request) -> JSONResponse:
    """Any failure means: take this instance out of rotation."""
    report: dict[str, Any] = {"status": "ok", "database": "ok"}
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:  # whatever it is, the database is not usable
        report.update(status="unavailable", database="unreachable")
        return JSONResponse(report, 503)
    applied = await applied_migrations()
    report["migration"] = applied[-1] if applied else None
    missing = [name for name in MIGRATIONS if name not in applied]
    if missing:
        report.update(
            status="unavailable",
            database="not migrated: run `partners migrate`",
            expected=MIGRATIONS[-1],
        )
        return JSONResponse(report, 503)
    return JSONResponse(report)
