"""Reading a GraphQL-over-HTTP request: the media type to answer in, the body
(bounded), and the query, variables and operation name, each checked, so that a
malformed request gets one clear 4xx error and nothing runs."""

import functools
import json
import re
from typing import Any

from api.exchange import RawRequest
from models.settings import current

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# GraphQL's tokens, roughly: counted by a regular expression (in C) before the
# parser (in Python, ~16 µs a token) sees a document that is too long anyway.
TOKEN = re.compile(
    r'[_A-Za-z][_0-9A-Za-z]*|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:[^"\\]|\\.)*"'
    r"|\.\.\.|[!$&()\[\]{}:=@|]"
)


class RequestError(Exception):
    """The request is not a well-formed GraphQL request: nothing was executed."""

    def __init__(
        self, status: int, message: str, headers: dict[str, str] | None = None
    ):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def accepted(accept: str | None) -> str | None:
    """The media type to answer in, or None when the client accepts neither."""
    if accept is not None and len(accept) <= 200:
        return _accepted_kept(accept)  # clients send the same header every time
    return _accepted(accept)


@functools.lru_cache(maxsize=64)
def _accepted_kept(accept: str) -> str | None:
    return _accepted(accept)


def _accepted(accept: str | None) -> str | None:
    if not accept:
        return JSON
    offered: list[tuple[float, str]] = []
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if quality > 0:
            offered.append((quality, media.lower()))
    for _, media in sorted(offered, key=lambda o: -o[0]):
        if media == GRAPHQL_RESPONSE:
            return GRAPHQL_RESPONSE
        if media in (JSON, "application/*", "*/*"):
            return JSON
    return None


def _not_text(value: Any, where: str) -> str | None:
    """Where in a JSON value a string (or a key) is not text any database
    stores, and why: NUL, or half of a UTF-16 pair (JSON's `\\ud800` alone)."""
    if isinstance(value, str):
        if "\x00" in value:
            return f"{where} contains NUL (\\u0000), which is not text"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return f"{where} contains half of a UTF-16 pair (a lone \\ud800-\\udfff)"
        return None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _not_text(key, f"{where} (a key)") or _not_text(item, f"{where}.{key}")
        if found:
            return found
    return None


def _json(text: str | bytes, what: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise RequestError(400, f"{what} is not valid JSON") from None


async def raw(request: RawRequest) -> bytes:
    """What a request's parameters are read from, as sent: a GET's query string, a
    POST's body (which must be JSON, and at most the settings' max_body_bytes).
    Raises ClientDisconnect if the client goes away."""
    if request.method == "GET":
        return bytes(request.scope["query_string"])
    media = (request.header(b"content-type") or "").split(";")[0].strip().lower()
    if media != JSON:
        raise RequestError(
            415, "POST bodies must be application/json", {"Accept-Post": JSON}
        )
    settings = current()
    most = settings.max_body_bytes
    too_large = f"The request body is over {most:,} bytes"
    declared = request.header(b"content-length")
    if declared and declared.isascii() and declared.isdigit() and int(declared) > most:
        # Closing spares the server from reading a body it has already refused.
        raise RequestError(413, too_large, {"Connection": "close"})
    try:
        body = await request.body(most, settings.body_seconds)
    except TimeoutError:
        raise RequestError(
            408,
            f"The request body did not arrive within {settings.body_seconds:g} s",
            {"Connection": "close"},
        ) from None
    if body is None:
        raise RequestError(413, too_large)
    return body


def params(request: RawRequest, sent: bytes) -> dict[str, Any]:
    """The request's parameters, from what raw() read."""
    if request.method == "GET":
        given: dict[str, Any] = dict(request.query())
        for name in ("variables", "extensions"):
            if given.get(name):
                given[name] = _json(given[name], f"The {name} parameter")
            else:
                given.pop(name, None)
        return given
    data = _json(sent, "The request body")
    if isinstance(data, list):
        raise RequestError(
            400, "Batched requests are not supported: send one operation"
        )
    if not isinstance(data, dict):
        raise RequestError(400, "The request body must be a JSON object")
    return data


def check(given: dict[str, Any]) -> tuple[str, dict[str, Any] | None, str | None]:
    """The query, variables and operation name, or a RequestError saying what is
    wrong with them."""
    query, variables = given.get("query"), given.get("variables")
    operation, extensions = given.get("operationName"), given.get("extensions")
    if not isinstance(query, str) or not query.strip():
        raise RequestError(
            400, "The request has no query: send it as a string in `query`"
        )
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(400, "`variables` must be a JSON object")
    if operation is not None and not isinstance(operation, str):
        raise RequestError(400, "`operationName` must be a string")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestError(400, "`extensions` must be a JSON object")
    # (NUL in the document is the parser's or validation's to name, with where)
    if said := _not_text(variables, "variables") or _not_text(
        query.replace("\x00", ""), "query"
    ):
        raise RequestError(400, said)
    most = current().max_tokens
    if len(query) > most * 20 or _tokens(query) > most:
        raise RequestError(
            400,
            f"Syntax Error: Document contains more than {most} tokens. "
            "Parsing aborted.",
        )
    return query, variables, operation


@functools.lru_cache(maxsize=256)
def _tokens(query: str) -> int:
    return len(TOKEN.findall(query))
