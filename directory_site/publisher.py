"""The publisher: keeps the served directory equal to a fresh build for the data's
current revision and the district's today, with nobody typing a command.

`partners serve` runs one in each worker. Once a second it compares the served
build's build.json with the data's revision (which any write, by any worker, host
or command, changes) and today (a day past the build's `valid_until`, the last day
its listing holds, needs a new build). When the site is stale it waits for writes
to go quiet (a CSV import is one burst), then runs `python -m directory_site SITE_DIR
--if-stale` in a process of its own, so a build never holds up a request. Builds
take a lock, so with several workers only one builds; the others find the site
current. A failed build keeps the last good site, is logged, and shows in
/healthz. Any failure (a build, the database, a full disk) is logged in one line,
with its traceback the first time only, and tried again after FIRST_RETRY_SECONDS,
then twice as long each time it fails again, up to LONGEST_RETRY_SECONDS: an
unmigrated database is one line every few minutes, not a traceback a second."""

import asyncio
import errno
import logging
import os
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from datetime import date
from pathlib import Path

from api.cache import Revisions
from api.health import database_state, disk_full, explain
from api.site_files import manifest, still_true
from directory_site.build import BuildStatus
from directory_site.store import Store
from models.settings import current

log = logging.getLogger("partners.publisher")
ROOT = Path(__file__).parent.parent
BUILT, CURRENT, BUSY = BuildStatus.BUILT, BuildStatus.CURRENT, BuildStatus.BUSY
# After a failure, the next try waits this long, twice as long after each
# failure in a row, and never longer than the longest.
FIRST_RETRY_SECONDS, LONGEST_RETRY_SECONDS = 20.0, 300.0
REMEMBERED_FAILURES = 100  # failures whose details were logged, so not again
# What a build process says when the disk is full (its words, not its errno)
DISK_FULL_WORDS = (
    f"[Errno {errno.ENOSPC}]",
    os.strerror(errno.ENOSPC),
    "database or disk is full",  # SQLite's
)


class Publisher:
    def __init__(
        self,
        site_dir: str,
        database_url: str,
        today: Callable[[], date],
        *,
        quiet: float = 1.0,
        patience: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self.site_dir = site_dir
        self.store = Store(Path(site_dir))
        self.database_url = database_url
        self.today = today
        self.quiet = quiet  # seconds without a write before building
        self.patience = patience  # but never wait longer than this
        self.revisions = Revisions(seconds=0)
        self._changed: tuple[int, float, float] | None = None  # revision, first, last
        self._retry_at = 0.0
        self._failures = 0  # in a row
        self._told: set[str] = set()  # failures whose details were logged

    async def run(self, interval: float = 1.0) -> None:
        while True:
            await self.look()
            await self.sleep(interval)

    async def look(self) -> int | None:
        """step(), unless a failure is being waited out; a failure is logged and
        tried again later (the publisher keeps going whatever happens)."""
        if self.clock() < self._retry_at:
            return None
        try:
            return await self.step()
        except Exception as error:
            await self._failed(error)
            return None

    async def step(self) -> int | None:
        """Look once; build when stale and quiet. The build's exit status, or None
        when nothing was run."""
        day = self.today()
        revision, _ = await self.revisions.current(day)
        built = manifest(self.site_dir)
        if built is not None and still_true(built, revision, day):
            self._changed = None
            self._failures = 0
            return None
        now = self.clock()
        if now < self._retry_at:
            return None
        if built is not None and built["revision"] == revision:
            return await self.build(day, built)  # only the day moved: no burst
        if self._changed is None or self._changed[0] != revision:
            first = self._changed[1] if self._changed else now
            self._changed = (revision, first, now)
        _, first, last = self._changed
        if now - last < self.quiet and now - first < self.patience:
            return None
        return await self.build(day, built)

    async def build(self, day: date, built: dict[str, object] | None) -> int:
        settings = current()
        site = built.get("site") if built else None
        url, district = settings.site_url, settings.district_name
        languages = settings.district_languages
        if isinstance(site, dict):  # as the served build was asked for
            url, district = site["url"], site["district"]
            languages = site.get("languages", languages)
        started = self.clock()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "directory_site",
            self.site_dir,
            "--if-stale",
            "--day",
            day.isoformat(),
            "--base-url",
            str(url),
            "--district",
            str(district),
            "--languages",
            ",".join(languages),
            cwd=ROOT,
            # the build reads the settings this process runs with
            env={**os.environ, **settings.environ(), "DATABASE_URL": self.database_url},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await process.communicate()
        except asyncio.CancelledError:
            process.kill()  # the server is stopping: the served build stays whole
            await process.wait()
            raise
        status = process.returncode or 0
        took = self.clock() - started
        if status in (BUILT, CURRENT, BUSY):
            self._failures = 0
            if status != BUSY:
                self.store.clear_error()
            if status == BUILT:
                now_built = manifest(self.site_dir)
                log.info(
                    "directory rebuilt for %s in %.1f s: %s",
                    day, took, what_changed(built, now_built),
                )  # fmt: skip
            return status
        said = (err or out).decode(errors="replace").strip()
        why = said[-2000:] or f"the build exited with status {status}"
        self._failed_in(
            f"building the directory failed (status {status}): {_summary(why)}",
            details=why if "Traceback" in why else None,
        )
        try:  # for /healthz, while it lasts
            self.store.fail(why)
        except OSError as error:
            log.error("the failed build could not be recorded: %s", explain(error))
        return status

    async def _failed(self, error: Exception) -> None:
        """A failed look: one line, with its traceback the first time unless its
        cause is known (the database, a full disk)."""
        if disk_full(error):
            self._failed_in(f"publishing the directory failed: {explain(error)}")
            return
        _, failure = await database_state()
        if failure is not None:
            self._failed_in(f"publishing the directory failed: {failure.says}")
            return
        self._failed_in(
            f"publishing the directory failed: {explain(error)}", details=error
        )

    def _failed_in(self, line: str, details: str | Exception | None = None) -> None:
        """Log a failure in one line, with when it is tried again; `details` (a
        traceback) only the first time this failure is seen."""
        self._failures += 1
        wait = min(
            LONGEST_RETRY_SECONDS,
            FIRST_RETRY_SECONDS * 2 ** min(self._failures - 1, 16),
        )
        self._retry_at = self.clock() + wait
        told = f"{line}; trying again in {wait:.0f} s"
        if details is None or line in self._told:
            log.error("%s", told)
            return
        if len(self._told) >= REMEMBERED_FAILURES:
            self._told.clear()
        self._told.add(line)
        if isinstance(details, Exception):
            log.error("%s", told, exc_info=details)
        else:
            log.error("%s\n%s", told, details)


def _summary(said: str) -> str:
    """A build process's last words as one line: its error, not its traceback;
    a full disk named as such."""
    lines = [one.strip() for one in said.splitlines() if one.strip()]
    summary = lines[-1] if "Traceback" in said else " ".join(lines)
    summary = summary[:300] + ("..." if len(summary) > 300 else "")
    if any(words in said for words in DISK_FULL_WORDS):
        return f"disk full ({os.strerror(errno.ENOSPC)}): {summary}"
    return summary


@asynccontextmanager
async def publishing(
    site_dir: str, database_url: str, today: Callable[[], date]
) -> AsyncIterator[Publisher]:
    """A publisher running in the background while the context is open."""
    publisher = Publisher(site_dir, database_url, today)
    task = asyncio.create_task(publisher.run())
    try:
        yield publisher
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


def what_changed(
    before: dict[str, object] | None, after: dict[str, object] | None
) -> str:
    """What a rebuild changed, from the two builds' build.json, for its log line:
    "data revision 41 → 43, 718 partners listed (was 717), 6,044 files"."""
    if after is None:  # another process replaced it since: nothing to say
        return "built"
    parts = []
    if before is None:
        parts.append("the first build here")
    else:
        if before.get("revision") != after.get("revision"):
            parts.append(
                f"data revision {before.get('revision')} → {after.get('revision')}"
            )
        if before.get("day") != after.get("day"):
            parts.append(f"day {before.get('day')} → {after.get('day')}")
    listed = f"{after.get('partners', 0):,} partners listed"
    if before is not None and before.get("partners") != after.get("partners"):
        listed += f" (was {before.get('partners', 0):,})"
    parts += [listed, f"{after.get('files', 0):,} files"]
    return ", ".join(parts)
