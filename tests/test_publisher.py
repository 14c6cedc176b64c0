"""The served directory keeps itself true: a write, an import or a day past a
contract's end rebuilds it, with nobody typing a command. Builds run as
`partners build-site` processes, against a real database file."""

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest

import models as m
import spreadsheet
from directory_site.build import build
from directory_site.pages import Site
from directory_site.publisher import BUILT, Publisher
from directory_site.store import Store
from models.audit import save
from models.db import database
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
    live: Path, migrated_url: str, day: date
) -> None:
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
    await spreadsheet.apply(spreadsheet.read(sheet), actor="tester")
    assert await publish.step() is None  # noticed; quiet for 2 s before building
    clock.now += 2
    assert await publish.step() == BUILT
    assert (live / "partners/applied-org/index.html").is_file()
    assert (live / "partners/river-robotics/index.html").is_file()
    assert "River Robotics" in (live / "schools/north-high/index.html").read_text()


async def test_a_contract_ending_today_leaves_at_the_district_midnight(
    live: Path, migrated_url: str, day: date
) -> None:
    clock = Clock()
    # bright-minds' contract covers `day` only
    assert (live / "partners/bright-minds/index.html").is_file()
    assert await publisher(live, migrated_url, day, clock).step() is None
    tomorrow = publisher(live, migrated_url, day + timedelta(days=1), clock)
    assert await tomorrow.step() == BUILT
    assert not (live / "partners/bright-minds").exists()
    sitemaps = [path.read_text() for path in live.glob("sitemap-*.xml")]
    assert sitemaps and not any("bright-minds" in text for text in sitemaps)
    assert await tomorrow.step() is None


async def test_a_failed_build_keeps_the_site_and_is_tried_again_later(
    live: Path, migrated_url: str, day: date, tmp_path: Path
) -> None:
    clock = Clock()
    unmigrated = f"sqlite://{tmp_path / 'empty.sqlite3'}"
    broken = Publisher(str(live), unmigrated, lambda: day, quiet=0, clock=clock)
    await save(
        "tester",
        "partner.update",
        await m.Partner.get(slug="city-arts"),
        {"summary": "New."},
    )
    before = (live / "build.json").read_text()
    status = await broken.step()
    assert status not in (None, BUILT)
    assert (live / "build.json").read_text() == before
    assert "no such table" in str(Store(live).last_error())
    assert await broken.step() is None  # backs off before trying again
    clock.now += 600
    assert await broken.step() not in (None, BUILT)
