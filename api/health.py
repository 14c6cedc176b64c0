"""GET /healthz, for a load balancer and whoever runs the server: 200 when the
database answers and carries every migration this code expects, 503 otherwise;
and what the served directory is true for, and whether it is current.

The answer is public, so it says `ok` or `failing` and which part fails
(database, migrations, site), never why: exception texts and tracebacks carry
the server's file paths and more. Why goes to the server's log, once for each
new failure."""

import errno
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from tortoise import connections

from api.site_files import build_failed, manifest, still_true
from models.audit import revision
from models.db import MIGRATIONS, applied_migrations

log = logging.getLogger("partners.api")
OK, FAILING = "ok", "failing"
NOT_MIGRATED = "database not migrated: run `partners migrate`"
# SQLite's SQLITE_FULL and PostgreSQL's disk_full: the disk under the database
SQLITE_FULL, PG_DISK_FULL = 13, "53100"


@dataclass(frozen=True)
class Failure:
    part: str  # "database" or "migrations"
    says: str  # one line for the server's log


def disk_full(error: BaseException) -> bool:
    """Whether `error`, or one it was raised from, says the disk is full."""
    seen: BaseException | None = error
    for _ in range(10):  # a chain of causes, never a cycle
        if seen is None:
            return False
        if (
            (isinstance(seen, OSError) and seen.errno == errno.ENOSPC)
            or getattr(seen, "sqlite_errorcode", None) == SQLITE_FULL
            or getattr(seen, "sqlstate", None) == PG_DISK_FULL
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def explain(error: BaseException) -> str:
    """One line for the log saying what went wrong, a full disk named as such."""
    said = " ".join(f"{type(error).__name__}: {error}".split())
    return (
        f"disk full ({os.strerror(errno.ENOSPC)}): {said}" if disk_full(error) else said
    )


async def database_state() -> tuple[list[str], Failure | None]:
    """The migrations applied to the open database, and what keeps this instance
    from using it (unreachable, or missing a migration this code expects), None
    when it can be used."""
    try:
        await connections.get("default").execute_query("SELECT 1")
        applied = await applied_migrations()
    except Exception as error:  # whatever it is, the database is not usable
        return [], Failure("database", f"the database cannot be used: {explain(error)}")
    missing = [name for name in MIGRATIONS if name not in applied]
    if missing:
        return applied, Failure(
            "migrations",
            f"{NOT_MIGRATED} ({len(missing)} of {len(MIGRATIONS)} migrations "
            f"missing, up to {MIGRATIONS[-1]})",
        )
    return applied, None


class Health:
    def __init__(self, site_dir: str, today: Callable[[], date]) -> None:
        self.site_dir = site_dir
        self.today = today
        self._logged: str | None = None  # the failure last logged

    async def answer(self, request: Request) -> JSONResponse:
        """Any failure of the database means: take this instance out of rotation.
        A stale directory, or a failed build of it, does not: the last good build
        is still a true directory of a moment ago."""
        applied, failure = await database_state()
        site: dict[str, Any] | None = None
        if failure is None:
            try:
                site = await self.site()
            except Exception as error:  # the revision could not be read
                failure = Failure(
                    "database", f"the database cannot be read: {explain(error)}"
                )
        self._log(failure)
        if failure is not None:
            report: dict[str, Any] = {
                "status": FAILING,
                "failing": [failure.part],
                "database": FAILING if failure.part == "database" else OK,
            }
            if failure.part == "migrations":
                report.update(
                    migrations=FAILING,
                    migration=applied[-1] if applied else None,
                    expected=MIGRATIONS[-1],
                )
            return JSONResponse(report, 503)
        assert site is not None
        failing = ["site"] if site["status"] == FAILING else []
        return JSONResponse(
            {
                "status": FAILING if failing else OK,
                "failing": failing,
                "database": OK,
                "migrations": OK,
                "migration": applied[-1],
                "site": site,
            }
        )

    async def site(self) -> dict[str, Any]:
        """What the served build is true for; `failing` while the last build
        failed (the publisher logged why)."""
        built = manifest(self.site_dir)
        status = FAILING if build_failed(self.site_dir) else OK
        if built is None:
            return {"status": status, "build": None, "current": False}
        number, _ = await revision()
        return {
            "status": status,
            "build": built["build"],
            "revision": built["revision"],
            "day": built["day"],
            "valid_until": built["valid_until"],
            "built_at": built["built_at"],
            "current": still_true(built, number, self.today()),
        }

    def _log(self, failure: Failure | None) -> None:
        """A line in the server's log when the database fails in a new way, and
        when it is usable again: not one for every poll of a load balancer."""
        says = None if failure is None else failure.says
        if says == self._logged:
            return
        if says is None:
            log.info("/healthz: the database is usable again")
        else:
            log.warning("/healthz: %s", says)
        self._logged = says
