"""ASGI middleware around every response: a log line per request, and the
security headers browsers act on."""

import logging
import time
from collections.abc import Iterable

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("partners.access")

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
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


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
    """The access log's line for a request that began at `started`."""
    if not access_log.isEnabledFor(logging.INFO):
        return
    took = (time.perf_counter() - started) * 1000
    client = scope.get("client") or ("-", 0)
    access_log.info(
        '%s "%s %s" %d %.1fms',
        client[0],
        printable(scope["method"]),
        printable(scope["path"]),
        status,
        took,
    )


def _raw(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode(), v.encode()) for k, v in headers.items()]


RAW_PAGES, RAW_OTHERS = _raw(PAGES), _raw(OTHERS)


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
