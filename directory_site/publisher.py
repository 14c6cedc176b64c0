"""The publisher: keeps the served directory equal to a fresh build for the data's
current revision and the district's today, with nobody typing a command.

`partners serve` runs one in each worker. Once a second it compares the served
build's build.json with the data's revision (which any write, by any worker, host
or command, changes) and today (a day past the build's `valid_until`, the last day
its listing holds, needs a new build). When the site is stale it waits for writes
to go quiet (a CSV import is one burst), then runs `partners build-site SITE_DIR
--if-stale` in a process of its own, so a build never holds up a request. Builds
take a lock, so with several workers only one builds; the others find the site
current. A failed build keeps the last good site, is logged, and shows in
/healthz; it is tried again later."""

import asyncio
import logging
import os
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from datetime import date
from pathlib import Path

from api.cache import Revisions
from api.site_files import holds, manifest
from directory_site.store import Store
from models.settings import DISTRICT_LANGUAGES, DISTRICT_NAME, SITE_URL

log = logging.getLogger("partners.publisher")
ROOT = Path(__file__).parent.parent
# build-site's exit statuses (cli/commands.py)
BUILT, CURRENT, BUSY = 0, 3, 4


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
    ) -> None:
        self.clock = clock
        self.site_dir = site_dir
        self.store = Store(Path(site_dir))
        self.database_url = database_url
        self.today = today
        self.quiet = quiet  # seconds without a write before building
        self.patience = patience  # but never wait longer than this
        self.revisions = Revisions(seconds=0)
        self._changed: tuple[int, float, float] | None = None  # revision, first, last
        self._retry_at = 0.0
        self._failures = 0

    async def run(self, interval: float = 1.0) -> None:
        while True:
            try:
                await self.step()
            except Exception:  # keep publishing: the next look may go better
                log.exception("publishing the directory failed")
            await asyncio.sleep(interval)

    async def step(self) -> int | None:
        """Look once; build when stale and quiet. The build's exit status, or None
        when nothing was run."""
        day = self.today()
        revision, _ = await self.revisions.current(day)
        built = manifest(self.site_dir)
        if built is not None and holds(built, revision, day):
            self._changed = None
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
        site = built.get("site") if built else None
        url, district, languages = SITE_URL, DISTRICT_NAME, DISTRICT_LANGUAGES
        if isinstance(site, dict):  # as the served build was asked for
            url, district = site["url"], site["district"]
            languages = site.get("languages", languages)
        started = self.clock()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "cli.main",
            "build-site",
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
            env={**os.environ, "DATABASE_URL": self.database_url},
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
                log.info("directory rebuilt for %s in %.1f s", day, took)
            return status
        self._failures += 1
        self._retry_at = self.clock() + min(300, 10 * 2**self._failures)
        why = (err or out).decode(errors="replace").strip()[-2000:]
        log.error("building the directory failed (status %s): %s", status, why)
        self.store.fail(why or f"partners build-site exited with status {status}")
        return status


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
