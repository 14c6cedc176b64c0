"""One request to /graphql and its answer, at the ASGI level: what the endpoint
reads of a request (`Asked`) and what it sends back (`Out`).

Starlette's Request and Response do the same with more on the way (a header
mapping, a query-string multidict, a body stream generator, headers encoded
again for each answer); a request to the API needs a handful of headers and one
body, and most answers' headers are known before the request comes. The bytes
sent are what Starlette's Response would send, with the security headers of
api/middleware.py already added (so the middleware, on the whole way, finds
them there and adds nothing)."""

import asyncio
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from api.middleware import raw_headers, secured

Headers = list[tuple[bytes, bytes]]


class Asked:
    """A request as the endpoint reads it: its method, its headers (the first of
    each name, as Starlette's `headers.get` finds), its query string, its body."""

    __slots__ = ("scope", "receive", "method", "headers")

    def __init__(self, scope: Scope, receive: Receive) -> None:
        self.scope = scope
        self.receive = receive
        self.method: str = scope["method"]
        headers: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:
            if name not in headers:
                headers[name] = value
        self.headers = headers

    def header(self, name: bytes) -> str | None:
        value = self.headers.get(name)
        return None if value is None else value.decode("latin-1")

    def query(self) -> dict[str, str]:
        """The query string's parameters; the last of a repeated name counts."""
        text = bytes(self.scope["query_string"]).decode("latin-1")
        return dict(parse_qsl(text, keep_blank_values=True))

    async def body(self, largest: int, within: float) -> bytes | None:
        """The body, or None once it is over `largest` bytes (the rest unread);
        raises ClientDisconnect if the client goes away first, TimeoutError if
        what the first message did not bring takes longer than `within` seconds
        (a timer only for bodies sent in parts: most come whole)."""
        parts: list[bytes] = []
        size, more = await self._part(parts, 0)
        if more and size <= largest:
            async with asyncio.timeout(within):
                while more and size <= largest:
                    size, more = await self._part(parts, size)
        if size > largest:
            return None
        return parts[0] if len(parts) == 1 else b"".join(parts)

    async def _part(self, parts: list[bytes], size: int) -> tuple[int, bool]:
        """One more part of the body: the size so far, and whether more follow."""
        message = await self.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        body: bytes = message.get("body", b"")
        parts.append(body)
        return size + len(body), bool(message.get("more_body", False))


@dataclass(frozen=True, slots=True)
class Out:
    """An answer: status, raw headers (security headers included), body."""

    status: int
    headers: Headers
    body: bytes = b""

    async def send(self, send: Send) -> None:
        # A copy: the headers may be shared (an answer's, kept), and gzip
        # rewrites the list it is sent.
        await send(
            {
                "type": "http.response.start",
                "status": self.status,
                "headers": list(self.headers),
            }
        )
        await send({"type": "http.response.body", "body": self.body})


def head(
    status: int, given: Mapping[str, str], media_type: str | None, body: bytes = b""
) -> Headers:
    """The headers Starlette's Response(body, status, given, media_type) sends, and
    the security headers: `given` as they are, then the body's length and type
    where `given` has none."""
    headers = raw_headers(given)
    names = {name for name, _ in headers}
    if b"content-length" not in names and not (status < 200 or status in (204, 304)):
        headers.append((b"content-length", str(len(body)).encode()))
    if media_type is not None and b"content-type" not in names:
        if media_type.startswith("text/") and "charset=" not in media_type.lower():
            media_type += "; charset=utf-8"
        headers.append((b"content-type", media_type.encode("latin-1")))
    return secured(headers)


def out(
    body: bytes,
    status: int = 200,
    given: Mapping[str, str] | None = None,
    media_type: str | None = None,
) -> Out:
    return Out(status, head(status, given or {}, media_type, body), body)


def _encoder() -> Callable[[Any], bytes]:
    """JSON as compact as it comes, UTF-8 as it is. The standard library's
    encoder sets up its C encoder again on every call; one set up once, without
    the check for circular values (an answer is a tree), does the same."""
    plain = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # an interpreter without the C encoder
        return lambda body: plain.encode(body).encode()
    chunks = make(
        None,  # no markers: no check for circular values
        plain.default,
        json.encoder.encode_basestring,
        None,
        ":",
        ",",
        False,
        False,
        True,
    )
    return lambda body: "".join(chunks(body, 0)).encode()


encode = _encoder()


# What Starlette's error middleware answers for a failure of ours.
FAILED = out(b"Internal Server Error", 500, media_type="text/plain")
