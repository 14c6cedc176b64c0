"""Builds replace each other in one step; a failed or killed build leaves the
served one whole; one builder at a time."""

import json
import os
from datetime import date
from pathlib import Path

import pytest

import models as m
from directory_site import build as building
from directory_site.build import build
from directory_site.pages import Site
from directory_site.store import KEEP, MARKER, Busy, Store

SITE = Site(district="Riverton Public Schools", base="/", url="https://example.org/")


def served(root: Path) -> str:
    build_id: str = json.loads((root / "build.json").read_text())["build"]
    return build_id


async def test_each_build_is_switched_in_whole_and_old_ones_go(
    district: date, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    ids = []
    for name in ["A", "B", "C", "D", "E"]:
        await m.Partner.filter(slug="city-arts").update(name=f"City Arts {name}")
        await build(root, SITE, district)
        ids.append(served(root))
        assert root.is_symlink() and (root / "partners/city-arts/index.html").is_file()
    assert len(set(ids)) == 5
    kept = sorted(p.name for p in (tmp_path / "site.builds").iterdir() if p.is_dir())
    assert kept == sorted(ids[-KEEP:])


async def test_a_failed_build_keeps_the_served_one_and_says_why(
    district: date, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    await build(root, SITE, district)
    before = served(root)

    def broken(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(building, "_sitemaps", broken)
    with pytest.raises(OSError, match="disk full"):
        await build(root, SITE, district)
    assert served(root) == before
    assert Store(root).last_error() == "OSError: disk full"
    assert list((tmp_path / "site.builds").glob(".staging-*")) == []
    monkeypatch.undo()
    await m.Partner.filter(slug="city-arts").update(name="Renamed")
    await build(root, SITE, district)
    assert served(root) != before and Store(root).last_error() is None


async def test_a_build_killed_midway_harms_nothing(
    district: date, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    await build(root, SITE, district)
    before = served(root)
    # what a build killed while writing leaves: a staging folder, half full
    half = tmp_path / "site.builds" / ".staging-99999"
    (half / "partners").mkdir(parents=True)
    (half / "index.html").write_text("half")
    assert served(root) == before
    await m.Partner.filter(slug="city-arts").update(name="Renamed")
    await build(root, SITE, district)
    assert not half.exists() and served(root) != before


async def test_one_builder_at_a_time(district: date, tmp_path: Path) -> None:
    store = Store(tmp_path / "site")
    with store.lock():
        with pytest.raises(Busy):
            await build(tmp_path / "site", SITE, district)
        with pytest.raises(Busy):
            with store.lock():
                pass
    await build(tmp_path / "site", SITE, district)


async def test_a_site_built_in_place_by_an_older_version_is_taken_over(
    district: date, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (root / MARKER).write_text("")
    (root / "index.html").write_text("old")
    await build(root, SITE, district)
    assert root.is_symlink()
    assert (root / "index.html").read_text() != "old"
    assert (tmp_path / "site.builds/legacy/index.html").read_text() == "old"


async def test_the_link_is_relative_so_the_folder_can_move(
    district: date, tmp_path: Path
) -> None:
    await build(tmp_path / "site", SITE, district)
    assert not os.readlink(tmp_path / "site").startswith("/")
    (tmp_path / "moved").mkdir()
    for name in ("site", "site.builds"):
        (tmp_path / name).rename(tmp_path / "moved" / name)
    assert (tmp_path / "moved/site/index.html").is_file()
