"""The served directory keeps itself true: a write, an import or a day past a
contract's end rebuilds it, with nobody typing a command. Builds run as
`partners build-site` processes, against a real database file."""

import json
import logging
import re
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest

import models as m
import spreadsheet
from api.site_files import ERROR
from directory_site.build import build
from directory_site.pages import Site
from directory_site.publisher import BUILT, Publisher, _summary
from directory_site.store import Store
from models.audit import save
from models.db import MIGRATIONS, database, migrate
from tests.district import build_district

SITE = Site(district="Riverton Public Schools", base="/", url="http://t/")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def live(migrated_url: str, day: date, tmp_path: Path) -> AsyncIterator[Path]:
    """A district in a migrated database, and its directory built for `day`."""
    async with database(migrated_url):
        await build_district(day)
        await build(tmp_path / "site", SITE, day)
        yield tmp_path / "site"


def publisher(site: Path, url: str, day: date, clock: Clock) -> Publisher:
    return Publisher(str(site), url, lambda: day, quiet=2, patience=10, clock=clock)


async def test_a_write_is_published_once_the_writes_go_quiet(
    live: Path, migrated_url: str, day: date, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="partners.publisher")
    before = json.loads((live / "build.json").read_text())
    clock = Clock()
    publish = publisher(live, migrated_url, day, clock)
    assert await publish.step() is None  # current: nothing to do
    contract = await m.Agreement.get(partner__slug="mentor-match")
    await save("tester", "agreement.end", contract, {"status": "ended"}, reason="x")
    assert await publish.step() is None  # a burst may still be going on
    clock.now += 1
    await save(
        "tester",
        "partner.update",
        await m.Partner.get(slug="city-arts"),
        {"summary": "Paint and clay."},
    )
    clock.now += 1.5
    assert await publish.step() is None  # the burst went on
    clock.now += 2
    assert await publish.step() == BUILT
    assert not (live / "partners/mentor-match").exists()
    assert "Paint and clay." in (live / "partners/city-arts/index.html").read_text()
    assert await publish.step() is None
    # the log says what the rebuild changed, and how long it took
    after = json.loads((live / "build.json").read_text())
    [said] = lines(caplog)
    assert re.fullmatch(
        f"directory rebuilt for {day} in [0-9.]+ s: data revision "
        f"{before['revision']} → {after['revision']}, {after['partners']} partners "
        f"listed \\(was {before['partners']}\\), {after['files']:,} files",
        said,
    ), said
    assert after["partners"] == before["partners"] - 1  # mentor-match left


async def test_an_approval_and_an_import_are_published(
    live: Path, migrated_url: str, day: date, tmp_path: Path
) -> None:
    clock = Clock()
    publish = publisher(live, migrated_url, day, clock)
    applied = await m.Partner.get(slug="applied-org")
    await save("tester", "partner.status", applied, {"status": "approved"}, reason="ok")
    sheet = tmp_path / "office.csv"
    sheet.write_text(
        "slug,name,status,status_reason,categories,program,program_name,services,"
        "schools,grade_min,grade_max\n"
        "river-robotics,River Robotics,approved,New partner,community-education,"
        "robots,Robot Club,arts,north-high,9,12\n"
    )
    await spreadsheet.apply(spreadsheet.read(sheet, today=day), actor="tester")
    assert await publish.step() is None  # noticed; quiet for 2 s before building
    clock.now += 2
    assert await publish.step() == BUILT
    assert (live / "partners/applied-org/index.html").is_file()
    assert (live / "partners/river-robotics/index.html").is_file()
    assert "River Robotics" in (live / "schools/north-high/index.html").read_text()


async def test_a_contract_ending_today_leaves_at_the_district_midnight(
    live: Path, migrated_url: str, day: date, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    # bright-minds' contract covers `day` only
    assert (live / "partners/bright-minds/index.html").is_file()
    assert await publisher(live, migrated_url, day, clock).step() is None
    tomorrow = publisher(live, migrated_url, day + timedelta(days=1), clock)
    caplog.set_level(logging.INFO, logger="partners.publisher")
    assert await tomorrow.step() == BUILT
    [said] = lines(caplog)  # only the day moved
    assert f": day {day} → {day + timedelta(days=1)}, " in said, said
    assert "revision" not in said
    assert not (live / "partners/bright-minds").exists()
    sitemaps = [path.read_text() for path in live.glob("sitemap-*.xml")]
    assert sitemaps and not any("bright-minds" in text for text in sitemaps)
    assert await tomorrow.step() is None


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What the publisher logged, each record checked to be one line."""
    found = [r for r in caplog.records if r.name == "partners.publisher"]
    for record in found:
        assert record.exc_info is None and "\n" not in record.getMessage(), record
    return [r.getMessage() for r in found]


async def failing(live: Path, day: date, tmp_path: Path, clock: Clock) -> Publisher:
    """A publisher of `live` whose builds fail (their database is not migrated),
    with a write waiting to be published."""
    unmigrated = f"sqlite://{tmp_path / 'empty.sqlite3'}"
    broken = Publisher(str(live), unmigrated, lambda: day, quiet=0, clock=clock)
    await save(
        "tester",
        "partner.update",
        await m.Partner.get(slug="city-arts"),
        {"summary": "New."},
    )
    return broken


async def test_a_failed_build_keeps_the_site_and_is_tried_again_later(
    live: Path,
    migrated_url: str,
    day: date,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="partners.publisher")
    clock = Clock()
    broken = await failing(live, day, tmp_path, clock)
    before = (live / "build.json").read_text()
    status = await broken.step()
    assert status not in (None, BUILT)
    assert (live / "build.json").read_text() == before
    assert "no such table" in str(Store(live).last_error())
    assert await broken.step() is None  # backs off before trying again
    clock.now += 600
    assert await broken.step() not in (None, BUILT)
    first, second = lines(caplog)  # a line each, and less and less often
    assert first.startswith("building the directory failed (status 1): ")
    assert "has `partners migrate` been run" in first
    assert first.endswith("; trying again in 20 s")
    assert second == first.replace("in 20 s", "in 40 s")


class Stop(Exception):
    """Ends a publisher's run in a test."""


async def test_an_unmigrated_database_is_a_line_now_and_then_not_a_traceback(
    empty_url: str, day: date, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 22: a traceback every second. Ten minutes of a publisher's looks
    now log five lines, further and further apart; once migrated, it builds."""
    caplog.set_level(logging.INFO, logger="partners.publisher")
    clock = Clock()
    slept = 0

    async def sleep(seconds: float) -> None:  # a second passes at once
        nonlocal slept
        slept += 1
        clock.now += seconds
        if slept == 600:
            raise Stop

    site = tmp_path / "site"
    publish = Publisher(
        str(site), empty_url, lambda: day, quiet=1, clock=clock, sleep=sleep
    )
    async with database(empty_url):
        with pytest.raises(Stop):
            await publish.run()
    said = (
        "publishing the directory failed: database not migrated: run `partners "
        f"migrate` ({len(MIGRATIONS)} of {len(MIGRATIONS)} migrations missing, up "
        f"to {MIGRATIONS[-1]}); trying again in "
    )
    assert lines(caplog) == [f"{said}{wait} s" for wait in (20, 40, 80, 160, 300)]
    await migrate(empty_url)
    async with database(empty_url):
        clock.now += 300
        assert await publish.look() is None  # stale: quiet for a second first
        clock.now += 1
        assert await publish.look() == BUILT
        assert await publish.look() is None
    assert (site / "build.json").is_file()
    assert lines(caplog)[-1].startswith(f"directory rebuilt for {day}")


async def test_a_full_disk_is_named_as_such(
    live: Path, day: date, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="partners.publisher")
    clock = Clock()
    broken = await failing(live, day, tmp_path, clock)
    # the failure's record cannot be written: a real ENOSPC, from /dev/full
    Store(live).builds.joinpath(ERROR).symlink_to("/dev/full")
    assert await broken.look() not in (None, BUILT)
    failed, unrecorded = lines(caplog)
    assert failed.startswith("building the directory failed (status 1)")
    assert unrecorded.startswith(
        "the failed build could not be recorded: disk full (No space left on "
        "device): OSError: [Errno 28]"
    )
    assert await broken.look() is None  # backing off, once


def test_a_build_that_finds_the_disk_full_says_so() -> None:
    with pytest.raises(OSError) as raised:  # a write that fails with ENOSPC
        with open("/dev/full", "w") as full:
            full.write("x")
    error = raised.value
    said = f"partners build-site: cannot open the database: {error}"  # cli/main.py
    assert _summary(said) == (
        "disk full (No space left on device): partners build-site: cannot open "
        "the database: [Errno 28] No space left on device"
    )
    traceback = f"Traceback (most recent call last):\n  File x\nOSError: {error}"
    assert _summary(traceback) == (
        "disk full (No space left on device): OSError: [Errno 28] No space left on "
        "device"
    )
    assert _summary("partners build-site: database error: x\n(hint)") == (
        "partners build-site: database error: x (hint)"
    )
