"""`partners serve`'s flags mean the same with one worker or several: production
serves no GraphiQL and no "Did you mean …?" hints, and --no-publish builds
nothing. Real servers, on loopback."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
TYPO = json.dumps({"query": "{ partnr }"}).encode()
REFERENCE = "a worker runs the reference engine"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite file with a small demo district, and no site built."""
    folder = tmp_path_factory.mktemp("serve")
    url = f"sqlite://{folder / 'partners.sqlite3'}"
    for args in (["migrate"], ["demo", "--partners", "5"]):
        subprocess.run(
            [sys.executable, "-m", "cli.main", *args],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            check=True,
            timeout=120,
        )
    return url


@contextmanager
def serving(
    database: str, site: Path, *flags: str, log: Path | None = None
) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    environ = {**os.environ, "DATABASE_URL": database, "SITE_DIR": str(site)}
    for name in ("PARTNERS_PRODUCTION", "PARTNERS_PUBLISH", "PARTNERS_ENGINE"):
        environ.pop(name, None)
    written = open(log, "wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(port), *flags],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=written,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "healthz", timeout=5)
                break
            except urllib.error.HTTPError:
                break  # answering (503: no site yet)
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:  # a loaded machine may take its time; what is asserted is above
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the server and its workers
            process.wait(timeout=30)
        if log:
            written.close()  # type: ignore[union-attr]


def graphiql(url: str) -> bool:
    asked = urllib.request.Request(url + "graphql", headers={"accept": "text/html"})
    try:
        with urllib.request.urlopen(asked, timeout=10) as response:
            return "graphiql" in response.read().decode().lower()
    except urllib.error.HTTPError:
        return False


def hint(url: str) -> bool:
    asked = urllib.request.Request(
        url + "graphql", TYPO, {"content-type": "application/json"}
    )
    with urllib.request.urlopen(asked, timeout=10) as response:
        return "Did you mean" in response.read().decode()


def built(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "healthz", timeout=10) as response:
            return json.loads(response.read())["site"]["build"] is not None
    except urllib.error.HTTPError:
        return False


@pytest.mark.parametrize("workers", ["1", "2"])
def test_production_means_no_graphiql_and_no_hints_with_any_workers(
    database: str, tmp_path: Path, workers: str
) -> None:
    site = tmp_path / "site"
    with serving(database, site, "--no-publish", "--workers", workers) as url:
        assert graphiql(url) and hint(url)  # development: both, as a check
    flags = ("--production", "--no-publish", "--workers", workers)
    with serving(database, site, *flags) as url:
        assert not graphiql(url)
        assert not hint(url)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_no_publish_builds_nothing_with_any_workers(
    database: str, tmp_path: Path, workers: str
) -> None:
    publishing = tmp_path / "published"
    with serving(database, publishing, "--workers", workers) as url:
        started = time.monotonic()
        while not built(url):  # the publisher builds the missing site by itself
            assert time.monotonic() - started < 60, "the publisher built nothing"
            time.sleep(0.2)
        waited = time.monotonic() - started
    quiet = tmp_path / "quiet"
    with serving(database, quiet, "--no-publish", "--workers", workers) as url:
        time.sleep(waited + 2)  # longer than the publisher took above
        assert not built(url)
    assert not quiet.exists() and not Path(f"{quiet}.builds").exists()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_engine_flag_reaches_every_worker(
    database: str, tmp_path: Path, workers: str
) -> None:
    """--engine reference runs the libraries' own way in each worker, and answers
    as the fast engine does."""
    site, log = tmp_path / "site", tmp_path / "serve.log"
    with serving(database, site, "--no-publish", "--workers", workers) as url:
        fast = hint(url), graphiql(url)
    flags = ("--no-publish", "--workers", workers, "--engine", "reference")
    with serving(database, site, *flags, log=log) as url:
        assert (hint(url), graphiql(url)) == fast
        started = time.monotonic()  # the first worker answers; the others start
        while log.read_text().count(REFERENCE) < int(workers):
            assert time.monotonic() - started < 60, log.read_text()
            time.sleep(0.2)
    assert log.read_text().count(REFERENCE) == int(workers)
