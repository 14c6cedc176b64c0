"""One request to /graphql and its answer, at the ASGI level: what the endpoint
reads of a request (`RawRequest`) and what it sends back (`Reply`).

Starlette's Request and Response do the same with more on the way (a header
mapping, a query-string multidict, a body stream generator, headers encoded
again for each answer); a request to the API needs a handful of headers and one
body, and most answers' headers are known before the request comes. The bytes
sent are what Starlette's Response would send, with the security headers of
api/middleware.py already added (so the middleware, on the whole way, finds
them there and adds nothing)."""

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers as StarletteHeaders
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from api.middleware import RAW_OTHERS, RAW_PAGES, raw_headers, secured

Headers = list[tuple[bytes, bytes]]


class RawRequest:
    """A request as the endpoint reads it: its method, its headers (the first of
    each name, as Starlette's `headers.get` finds), its query string, its body.
    Read from the ASGI messages, or through Starlette's Request (`StarletteRequest`,
    the reference way, api/engine/)."""

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


class StarletteRequest(RawRequest):
    """A request read through Starlette's Request: the same answers to the
    endpoint's questions."""

    __slots__ = ("request",)

    def __init__(self, scope: Scope, receive: Receive) -> None:
        self.request = Request(scope, receive)
        self.scope = scope
        self.receive = receive
        self.method = self.request.method

    def header(self, name: bytes) -> str | None:
        return self.request.headers.get(name.decode("latin-1"))

    def query(self) -> dict[str, str]:
        return dict(self.request.query_params)

    async def body(self, largest: int, within: float) -> bytes | None:
        parts: list[bytes] = []
        size = 0
        async with asyncio.timeout(within):
            async for part in self.request.stream():
                parts.append(part)
                size += len(part)
                if size > largest:
                    return None
        return b"".join(parts)


def read_request(scope: Scope, receive: Receive, raw: bool) -> RawRequest:
    """The request, read from the ASGI messages or through Starlette's Request."""
    return RawRequest(scope, receive) if raw else StarletteRequest(scope, receive)


@dataclass(frozen=True, slots=True)
class Reply:
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


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether a request's If-None-Match names `etag` (one tag or a list)."""
    if if_none_match is None:
        return False
    return etag in {tag.strip() for tag in if_none_match.split(",")} or (
        if_none_match.strip() == "*"
    )


def not_modified(given: Mapping[str, str], html: bool) -> Reply:
    """A 304 with `given` (its ETag, its Cache-Control…) and the security headers
    of what it stands for: a browser merges a 304's headers into the copy it
    keeps, so a page's 304 must carry the page's policy, or its styles and
    scripts are refused on every visit after the first."""
    headers = raw_headers(given)
    present = {name for name, _ in headers}
    policy = RAW_PAGES if html else RAW_OTHERS
    return Reply(304, [*headers, *(pair for pair in policy if pair[0] not in present)])


def reply(
    body: bytes,
    status: int = 200,
    given: Mapping[str, str] | None = None,
    media_type: str | None = None,
) -> Reply:
    return Reply(status, head(status, given or {}, media_type, body), body)


_JSON = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=False, check_circular=False
)  # an answer is a tree: no check for circular values


def encode(body: Any) -> bytes:
    """JSON as compact as it comes, UTF-8 as it is."""
    return _JSON.encode(body).encode()


async def send_reply(
    answer: Reply, scope: Scope, receive: Receive, send: Send, raw: bool
) -> None:
    """Send `answer`: as raw ASGI messages, or through Starlette's Response (the
    reference way, api/engine/), which sends the same bytes."""
    if raw:
        await answer.send(send)
        return
    headers = StarletteHeaders(raw=list(answer.headers))
    await Response(answer.body, answer.status, headers)(scope, receive, send)


# What Starlette's error middleware answers for a failure of ours.
FAILED = reply(b"Internal Server Error", 500, media_type="text/plain")
