"""GET /healthz, for a load balancer and whoever runs the server: 200 when the
database answers and carries every migration this code expects, 503 otherwise;
and what the served directory is true for, and whether it is current."""

from collections.abc import Callable
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from tortoise import connections

from api.site_files import holds, last_error, manifest
from models.audit import revision
from models.db import MIGRATIONS, applied_migrations


class Health:
    def __init__(self, site_dir: str, today: Callable[[], date]) -> None:
        self.site_dir = site_dir
        self.today = today

    async def answer(self, request: Request) -> JSONResponse:
        """Any failure of the database means: take this instance out of rotation.
        A stale directory does not: it is still a true directory of a moment ago."""
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
        report["site"] = await self.site()
        return JSONResponse(report)

    async def site(self) -> dict[str, Any] | None:
        built = manifest(self.site_dir)
        error = last_error(self.site_dir)
        if built is None:
            return {"build": None, "current": False, "error": error}
        number, _ = await revision()
        return {
            "build": built["build"],
            "revision": built["revision"],
            "day": built["day"],
            "valid_until": built["valid_until"],
            "built_at": built["built_at"],
            "current": holds(built, number, self.today()),
            "error": error,
        }
