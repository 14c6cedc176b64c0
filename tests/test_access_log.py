"""The access log (api/access_log.py): a line a request, written together soon
after, in whole lines and short writes, and all of it before the server stops."""

import asyncio
import io
import time
from pathlib import Path

import httpx
import pytest

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
    assert "\\x2028" in write and write.endswith("404 " + write.split()[-1] + "\n")


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
