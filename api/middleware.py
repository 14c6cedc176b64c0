"""ASGI middleware around every response: a log line per request, and the
security headers browsers act on."""

import time
from collections.abc import Iterable, Mapping
from typing import TextIO

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LONGEST_PATH = 1000  # characters of a path in a log line; a line stays one write

# The directory's pages load only their own scripts, styles and search files;
# GraphiQL's page sends a policy of its own (api/http.py).
POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PAGES = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Anything else (JSON, scripts, styles) is never a document a browser renders:
# the short policy APIs are advised to send, so that search files stay small.
OTHERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}


def printable(text: str) -> str:
    """Text for a log line: control characters escaped, so a request cannot write
    a line of its own (a path with %0A in it, say)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


class AccessLines:
    """Where the access log's lines go: nowhere until `partners serve` says
    (`to`). Written straight to the stream, one write a line, not through the
    logging module, which takes longer to make a line than the API takes to
    answer a small query (its record, handler, formatter and locks)."""

    stream: TextIO | None = None

    @classmethod
    def to(cls, stream: TextIO | None) -> None:
        cls.stream = stream


class AccessLog:
    """One line per request with its status and time taken, for production logs.
    A client that went away before an answer is logged with status 499."""

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


def logged(scope: Scope, status: int, started: float) -> None:
    """The access log's line for a request that began at `started`: who asked,
    the method and path, the status and the milliseconds taken."""
    stream = AccessLines.stream
    if stream is None:
        return
    took = (time.perf_counter() - started) * 1000
    client = scope.get("client") or ("-", 0)
    path: str = scope["path"]
    if len(path) > LONGEST_PATH:
        path = path[:LONGEST_PATH] + "..."
    line = (
        f'INFO:     {client[0]} "{printable(scope["method"])} {printable(path)}" '
        f"{status} {took:.1f}ms\n"
    )
    try:
        stream.write(line)
    except (OSError, ValueError):
        pass  # a log that cannot be written loses the line, not the answer


def raw_headers(headers: Mapping[str, str]) -> list[tuple[bytes, bytes]]:
    """Headers as ASGI sends them, in the order given."""
    return [
        (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()
    ]


RAW_PAGES, RAW_OTHERS = raw_headers(PAGES), raw_headers(OTHERS)


class SecurityHeaders:
    """Adds PAGES to every HTML answer and OTHERS to the rest, where an answer does
    not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": secured(message.get("headers", ()))}
            await send(message)

        await self.app(scope, receive, sending)


def secured(given: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """An answer's headers with PAGES (HTML) or OTHERS added where it has not set
    them itself."""
    headers = list(given)
    present = {name.lower() for name, _ in headers}
    html = any(
        name.lower() == b"content-type" and value.startswith(b"text/html")
        for name, value in headers
    )
    return headers + [
        pair for pair in (RAW_PAGES if html else RAW_OTHERS) if pair[0] not in present
    ]


class Compress:
    """gzip for clients that ask for it (Starlette's, with its limits); others
    pass straight through, without a wrapper per message. Answers that depend on
    Accept-Encoding say so in their own Vary header."""

    def __init__(self, app: ASGIApp, minimum_size: int = 500) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"accept-encoding" and b"gzip" in value:
                    await self.gzip(scope, receive, send)
                    return
        await self.app(scope, receive, send)
