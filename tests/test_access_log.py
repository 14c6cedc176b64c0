"""The access log (api/access_log.py): a line a request, written together soon
after, in whole lines and short writes, and all of it before the server stops."""

import asyncio
import io
import re
import time
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import access_log
from api.access_log import CHUNK_CHARACTERS, AccessLines, logged
from api.app import create_app


class Writes(io.StringIO):
    """A stream that keeps each write apart."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> Writes:
    AccessLines.flush()  # nothing from before
    stream = Writes()
    monkeypatch.setattr(AccessLines, "stream", stream)
    monkeypatch.setattr(access_log, "FLUSH_SECONDS", 0.05)
    return stream


def scope(path: str) -> dict[str, object]:
    return {"client": ("127.0.0.1", 5000), "method": "GET", "path": path}


async def test_lines_are_written_together_soon_in_whole_lines(writes: Writes) -> None:
    for n in range(60):
        logged(scope(f"/partners/{'x' * n}"), 200, time.perf_counter())
    assert writes.writes == []  # waiting, to go in few writes
    await asyncio.sleep(0.2)  # past FLUSH_SECONDS, with room to spare
    lines = writes.getvalue().splitlines()
    assert [line.split('"')[1] for line in lines] == [
        f"GET /partners/{'x' * n}" for n in range(60)
    ]
    assert 1 < len(writes.writes) < 60
    for write in writes.writes:
        # whole lines, and under a pipe's atomic write however text encodes
        assert write.endswith("\n") and len(write) <= CHUNK_CHARACTERS


async def test_a_long_line_is_cut_to_one_short_write(writes: Writes) -> None:
    logged(scope("/" + "\u2028" * 5000), 404, time.perf_counter())
    AccessLines.flush()
    [write] = writes.writes
    assert len(write.encode()) < 4096 and write.count("\n") == 1
    assert "\\u2028" in write and write.endswith("404 " + write.split()[-1] + "\n")
    assert write.split('"')[1].endswith("\\u2028...")  # never cut inside an escape


async def test_many_lines_are_written_without_waiting(writes: Writes) -> None:
    for _ in range(access_log.BATCH_LINES):
        logged(scope("/"), 200, time.perf_counter())
    assert len(writes.getvalue().splitlines()) == access_log.BATCH_LINES


async def test_the_last_lines_are_written_when_the_server_stops(
    writes: Writes, empty_url: str, tmp_path: Path
) -> None:
    app = create_app(database_url=empty_url, site_dir=str(tmp_path / "no-site"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            assert (await c.get("/schema.graphql")).status_code == 200
        assert writes.getvalue() == ""
    assert '"GET /schema.graphql" 200' in writes.getvalue()


# A line as a log reader splits it: the client, the method, the path (everything
# up to the quote), the status and the milliseconds.
LINE = re.compile(r'^INFO: {5}(\S+) "(\S+) ([^"]*)" (\d{3}) (\d+\.\d)ms\n$')
ESCAPE = re.compile(r"\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|U([0-9a-f]{8}))")


def read(line: str) -> tuple[str, str, str, int]:
    """A line read back: client, method, path and status, unescaped. Every
    backslash must start an escape, or the line could be read two ways."""
    match = LINE.match(line)
    assert match, line
    fields = [match[1], match[2], match[3]]
    for field in fields:
        assert "\\" not in ESCAPE.sub("", field), line
    client, method, path = (
        ESCAPE.sub(lambda m: chr(int(m[1] or m[2] or m[3], 16)), f) for f in fields
    )
    return client, method, path, int(match[4])


def line_for(path: str, method: str = "GET", client: str = "10.0.0.9") -> str:
    AccessLines.flush()
    logged(
        {"client": (client, 1), "method": method, "path": path},
        404,
        time.perf_counter(),
    )
    AccessLines.flush()
    stream = AccessLines.stream
    assert isinstance(stream, Writes)
    return stream.writes.pop()


def test_a_path_cannot_forge_a_request_in_its_line(writes: Writes) -> None:
    forged = '/x" 404 0.1ms 10.0.0.1 "GET /admin'
    line = line_for(forged)
    assert line.count('"') == 2  # the path's own quotes are escaped
    assert read(line) == ("10.0.0.9", "GET", forged, 404)
    for path in [
        "/a\\x22b",
        '/"\\"',
        "/a\\",
        "/a\\u2028",
        "/\u2028",
        "/\U0001f600\x85",
    ]:
        assert read(line_for(path))[2] == path
    # the fields before the path are split on spaces: a space there is escaped too
    assert read(line_for("/", "GET /admin", "1.2.3.4 5.6.7.8")) == (
        "1.2.3.4 5.6.7.8",
        "GET /admin",
        "/",
        404,
    )


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.text(max_size=100), method=st.text(min_size=1, max_size=8))
def test_every_line_reads_back_as_it_was_asked(
    writes: Writes, path: str, method: str
) -> None:
    assert read(line_for("/" + path, method)) == ("10.0.0.9", method, "/" + path, 404)
