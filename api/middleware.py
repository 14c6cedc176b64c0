"""ASGI middleware around every response: the security headers browsers act on,
and gzip (the access log's line is api/access_log.py's)."""

from collections.abc import Iterable, Mapping

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
