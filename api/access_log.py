"""The access log: a line per request, with who asked, the method and path, the
status and the milliseconds taken, as `partners serve` writes to standard error:

    INFO:     127.0.0.1 "POST /graphql" 200 1.2ms

Lines are written straight to the stream, not through the logging module, which
takes longer to make a line than the API takes to answer a small query (its
record, handler, formatter and locks). And they are written together, as busy
servers' access logs are, not one system call a line (as much again): a line
waits at most FLUSH_SECONDS, or until BATCH_LINES are waiting, or until the
server stops. Each write holds whole lines and at most CHUNK_CHARACTERS, under 4
KiB however the text encodes: a pipe never interleaves a write that small with
another process's, so two workers' lines never tear."""

import asyncio
import time
from typing import TextIO

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FLUSH_SECONDS = 0.5
BATCH_LINES = 200
CHUNK_CHARACTERS = 1000  # at most 4 bytes each in UTF-8: under PIPE_BUF, 4096
LONGEST_PATH = 800  # characters of a path in a line, so a line fits a write


def printable(text: str, spaces: bool = True) -> str:
    """Text for a log line, escaped so that a request can write neither a line of
    its own (a path with %0A in it) nor a field (a path with `" 200` in it): a
    control character, `"` and `\\` (and a space, unless `spaces`) become
    `\\xNN`, `\\uNNNN` or `\\UNNNNNNNN`, as nginx writes them. Every backslash in
    a line starts such an escape, so a line reads back one way only."""
    plain = text.isprintable() and '"' not in text and "\\" not in text
    if plain and (spaces or " " not in text):
        return text
    return "".join(
        c
        if c.isprintable() and c not in ESCAPED and (spaces or c != " ")
        else _escape(c)
        for c in text
    )


ESCAPED = frozenset('"\\')


def _escape(c: str) -> str:
    code = ord(c)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _cut(text: str, longest: int) -> str:
    """An escaped text cut to `longest` characters and marked so, never inside an
    escape."""
    if len(text) <= longest:
        return text
    cut = text[:longest]
    start = cut.rfind("\\", longest - 10)  # an escape is at most 10 characters
    if start >= 0 and start + ESCAPE_LENGTH[cut[start + 1 : start + 2]] > longest:
        cut = cut[:start]
    return cut + "..."


ESCAPE_LENGTH = {"x": 4, "u": 6, "U": 10, "": 10}


class AccessLines:
    """Where the access log's lines go: nowhere until `partners serve` says
    (`to`); the lines waiting to be written."""

    stream: TextIO | None = None
    _waiting: list[str] = []
    _due: asyncio.TimerHandle | None = None

    @classmethod
    def to(cls, stream: TextIO | None) -> None:
        cls.flush()
        cls.stream = stream

    @classmethod
    def add(cls, line: str) -> None:
        cls._waiting.append(line)
        if len(cls._waiting) >= BATCH_LINES:
            cls.flush()
        elif cls._due is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop to come back: write it now
                cls.flush()
                return
            cls._due = loop.call_later(FLUSH_SECONDS, cls.flush)

    @classmethod
    def flush(cls) -> None:
        """Write the waiting lines (a log that cannot be written loses them,
        never an answer)."""
        if cls._due is not None:
            cls._due.cancel()
            cls._due = None
        lines, cls._waiting = cls._waiting, []
        stream = cls.stream
        if not lines or stream is None:
            return
        try:
            for chunk in _chunks(lines):
                stream.write(chunk)
                stream.flush()
        except (OSError, ValueError):
            pass


def _chunks(lines: list[str]) -> list[str]:
    chunks: list[str] = []
    chunk: list[str] = []
    size = 0
    for line in lines:
        if chunk and size + len(line) > CHUNK_CHARACTERS:
            chunks.append("".join(chunk))
            chunk, size = [], 0
        chunk.append(line)
        size += len(line)
    chunks.append("".join(chunk))
    return chunks


def logged(scope: Scope, status: int, started: float) -> None:
    """The access log's line for a request that began at `started`."""
    if AccessLines.stream is None:
        return
    took = (time.perf_counter() - started) * 1000
    client = scope.get("client") or ("-", 0)
    host = printable(str(client[0]), spaces=False)
    method = printable(scope["method"], spaces=False)
    path = _cut(printable(scope["path"]), LONGEST_PATH)
    AccessLines.add(f'INFO:     {host} "{method} {path}" {status} {took:.1f}ms\n')


class AccessLog:
    """The middleware that logs each request's line. A client that went away
    before an answer is logged with status 499."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 499

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except BaseException:
            status = 500
            raise
        finally:
            logged(scope, status, started)
