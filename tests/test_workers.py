"""A build's languages in worker processes: the same files as one process makes,
and a worker that fails or stops stops the build with its reason."""

import dataclasses
from datetime import date
from pathlib import Path

import pytest

import models as m
from directory_site import workers
from directory_site.build import BuildError, build
from tests.district import DAY
from tests.test_site import LANGUAGES, SITE, files

SITES = dataclasses.replace(SITE, languages=LANGUAGES)


def cores(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: count)


async def test_workers_write_what_one_process_writes(
    district: date, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cores(monkeypatch, 1)
    await build(tmp_path / "here", SITES, DAY)
    cores(monkeypatch, 2)
    await build(tmp_path / "apart", SITES, DAY)
    here, apart = files(tmp_path / "here"), files(tmp_path / "apart")
    del here["build.json"], apart["build.json"]  # it says when it was built
    assert len(here) > 100
    assert here == apart


@pytest.mark.parametrize("count", [1, 2])
async def test_a_bad_slug_stops_every_way_of_building(
    district: date, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    cores(monkeypatch, count)
    await m.Partner.filter(slug="city-arts").update(slug="../../escaped")
    with pytest.raises(BuildError, match="not URL-safe"):
        await build(tmp_path / "site", SITES, DAY)
    assert not (tmp_path / "escaped").exists()
    assert not (tmp_path / "site").exists()
    assert list((tmp_path / "site.builds").glob(".staging-*")) == []


def test_a_worker_that_stops_says_which_languages(tmp_path: Path) -> None:
    with workers.Workers(("en", "es", "so"), cores=2) as team:
        first = team.workers[0]
        first.process.kill()
        first.process.wait()
        with pytest.raises(BuildError, match=r"building en, so stopped \(exit code -9"):
            team.add([])
    assert all(worker.process.poll() is not None for worker in team.workers)


async def test_finishing_without_a_worker_raises_rather_than_waits(
    tmp_path: Path,
) -> None:
    with workers.Workers(("en", "es"), cores=2) as team:
        team.workers[1].process.kill()
        with pytest.raises(BuildError, match="building es stopped"):
            await team.finish()
