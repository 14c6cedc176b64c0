"""GraphQL over HTTP, as the GraphQL-over-HTTP specification describes it: GET for
queries, POST for anything, `application/graphql-response+json` with its status
codes (and plain `application/json` for older clients), clear 4xx answers for
malformed requests, and cheap repeat answers for anonymous queries."""

import functools
import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry import Schema
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import (
    CannotGetOperationTypeError,
    InvalidOperationTypeError,
)
from strawberry.types.graphql import OperationType

from api.auth import Staff
from api.cache import Answer, AnswerCache, Revisions
from api.context import Context
from models.clock import district_today
from models.listing import Listing
from models.settings import MAX_BODY_BYTES, MAX_TOKENS

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
SUGGESTION = re.compile(r" Did you mean .*\?$")
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


def _accepted(accept: str | None) -> str | None:
    """The media type to answer in, or None when the client accepts neither."""
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


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        # Closing spares the server from reading a body it has already refused.
        raise RequestError(
            413,
            f"The request body is over {MAX_BODY_BYTES:,} bytes",
            {"Connection": "close"},
        )
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RequestError(
                413, f"The request body is over {MAX_BODY_BYTES:,} bytes"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _json(text: str | bytes, what: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise RequestError(400, f"{what} is not valid JSON") from None


async def _params(request: Request) -> dict[str, Any]:
    if request.method == "GET":
        params: dict[str, Any] = dict(request.query_params)
        for name in ("variables", "extensions"):
            if params.get(name):
                params[name] = _json(params[name], f"The {name} parameter")
            else:
                params.pop(name, None)
        return params
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != JSON:
        raise RequestError(
            415, "POST bodies must be application/json", {"Accept-Post": JSON}
        )
    data = _json(await _body(request), "The request body")
    if isinstance(data, list):
        raise RequestError(
            400, "Batched requests are not supported: send one operation"
        )
    if not isinstance(data, dict):
        raise RequestError(400, "The request body must be a JSON object")
    return data


def _check(params: dict[str, Any]) -> tuple[str, dict[str, Any] | None, str | None]:
    query, variables = params.get("query"), params.get("variables")
    operation, extensions = params.get("operationName"), params.get("extensions")
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
    if len(query) > MAX_TOKENS * 20 or len(TOKEN.findall(query)) > MAX_TOKENS:
        raise RequestError(
            400,
            f"Syntax Error: Document contains more than {MAX_TOKENS} tokens. "
            "Parsing aborted.",
        )
    if operation is None and _operation_count(query) > 1:
        raise RequestError(
            400, "The document has several operations: name one in `operationName`"
        )
    return query, variables, operation


@functools.lru_cache(maxsize=256)
def _operation_count(query: str) -> int:
    """How many operations the document defines (0 when it does not parse: the
    schema reports that error itself)."""
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError:
        return 0
    return sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)


class GraphQLEndpoint:
    """The /graphql endpoint. `hints`: keep graphql-core's "Did you mean …?".
    `today` gives the district's date; each request asks it once and answers for
    that day throughout."""

    def __init__(
        self,
        schema: Schema,
        *,
        graphiql: bool,
        hints: bool,
        today: Callable[[], date] = district_today,
    ) -> None:
        self.schema = schema
        self.graphiql = graphiql
        self.hints = hints
        self.today = today
        self.cache = AnswerCache()
        self.revisions = Revisions()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        if request.method not in ("GET", "POST"):
            return self._refuse(
                JSON, RequestError(405, "Use GET or POST", {"Allow": "GET, POST"})
            )
        accept = request.headers.get("accept")
        if (
            self.graphiql
            and request.method == "GET"
            and "query" not in request.query_params
            and "text/html" in (accept or "")
        ):
            return HTMLResponse(get_graphql_ide_html())
        media = _accepted(accept)
        if media is None:
            return self._refuse(
                JSON,
                RequestError(406, f"Ask for {GRAPHQL_RESPONSE} or {JSON} in Accept"),
            )
        try:
            query, variables, operation = _check(await _params(request))
        except RequestError as error:
            return self._refuse(media, error)
        user = request.scope.get("user")
        staff = user if isinstance(user, Staff) else None
        context = Context(listing=Listing(self.today()), staff=staff)
        key = (media, query, json.dumps(variables, sort_keys=True), operation)
        current = None
        if staff is None and self.cache.size:
            current = await self.revisions.current(context.day)
        if current is not None and (answer := self.cache.get(key, current)):
            return self._send(request, answer, cacheable=True)
        try:
            answer = await self._execute(
                request, media, query, variables, operation, context
            )
        except RequestError as error:
            return self._refuse(media, error)
        if staff is not None and request.method == "POST":
            self.revisions.forget()  # it may have written: look again next time
        if current is None or not answer.complete:
            return self._send(request, answer, cacheable=False)
        self.cache.put(key, current, answer)
        return self._send(request, answer, cacheable=True)

    async def _execute(
        self,
        request: Request,
        media: str,
        query: str,
        variables: dict[str, Any] | None,
        operation: str | None,
        context: Context,
    ) -> Answer:
        allowed = {OperationType.QUERY}
        if request.method == "POST":
            allowed.add(OperationType.MUTATION)
        try:
            result = await self.schema.execute(
                query,
                variable_values=variables,
                operation_name=operation,
                context_value=context,
                allowed_operation_types=allowed,
            )
        except InvalidOperationTypeError:
            raise RequestError(
                405,
                "GET is for queries only: send mutations with POST",
                {"Allow": "POST"},
            ) from None
        except CannotGetOperationTypeError as error:
            raise RequestError(400, error.as_http_error_reason()) from None
        errors = [self._format(e) for e in result.errors or []]
        executed = result.data is not None or any(e.path for e in result.errors or [])
        body: dict[str, Any] = {}
        if executed:
            body["data"] = result.data
        if errors:
            body["errors"] = errors
        status = 200 if executed or media == JSON else 400
        return Answer(status, _encode(body), media, complete=executed and not errors)

    def _format(self, error: GraphQLError) -> dict[str, Any]:
        formatted: dict[str, Any] = dict(error.formatted)
        if not self.hints:
            formatted["message"] = SUGGESTION.sub("", formatted["message"])
        return formatted

    def _refuse(self, media: str, error: RequestError) -> Response:
        body = _encode({"errors": [{"message": str(error)}]})
        return Response(body, error.status, error.headers, media)

    def _send(self, request: Request, answer: Answer, cacheable: bool) -> Response:
        headers = {"Vary": "Accept, Authorization"}
        if not cacheable:
            headers["Cache-Control"] = "private, no-store"
            return Response(answer.body, answer.status, headers, answer.media_type)
        headers["Cache-Control"] = "public, max-age=0, must-revalidate"
        headers["ETag"] = answer.etag
        if (
            request.method == "GET"
            and request.headers.get("if-none-match") == answer.etag
        ):
            return Response(status_code=304, headers=headers)
        return Response(answer.body, answer.status, headers, answer.media_type)


def _encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
