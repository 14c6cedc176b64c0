"""GraphQL over HTTP, as the GraphQL-over-HTTP specification describes it: GET for
queries, POST for anything, `application/graphql-response+json` with its status
codes (and plain `application/json` for older clients), clear 4xx answers for
malformed requests, cheap repeat answers for anonymous queries, and a bound on
every request: a deadline and a largest answer."""

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationType,
)
from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from api.admission import Admission
from api.auth import Staff
from api.bounds import read_bounds
from api.cache import (
    CORS,
    Answer,
    AnswerCache,
    Key,
    PerRevision,
    Revision,
    Revisions,
    respond,
)
from api.context import Context
from api.engine import Engine
from api.exchange import RawRequest, Reply, encode, read_request, reply, send_reply
from api.execution import (
    OperationError,
    Prepared,
    begin,
    is_prepared,
    prepare,
    prepare_aside,
)
from api.graphiql import page as graphiql_page
from api.invitations import FOR_ONE_CALLER
from api.persisted import PersistedQueries, PersistedQueryError
from api.rates import Rate, retry_after
from api.requests import (
    GRAPHQL_RESPONSE,
    JSON,
    RequestError,
    accepted,
    check,
    params,
    raw,
)
from api.vocabulary import read_vocabulary
from models.clock import district_today
from models.listing import Listing
from models.settings import Settings

SUGGESTION = re.compile(r" Did you mean .*\?$")
LARGE_DOCUMENT = 4096  # characters: about 1,000 tokens, 5 ms and more to prepare
QUERIES = frozenset({OperationType.QUERY})
QUERIES_AND_MUTATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})
PREFLIGHT = {
    **CORS,
    "Allow": "GET, POST, OPTIONS",
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type",
    "Access-Control-Max-Age": "86400",
}
# GraphiQL's page loads its scripts and styles from unpkg.com.
GRAPHIQL_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://unpkg.com; "
    "style-src 'self' 'unsafe-inline' https://unpkg.com; img-src 'self' data:; "
    "font-src 'self' data: https://unpkg.com; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class GraphQLEndpoint:
    """The /graphql endpoint. `engine` runs documents (api/engine/; the reference
    engine also reads and answers through Starlette's Request and Response).
    `hints`: keep graphql-core's "Did you mean …?". `today` gives the district's
    date; each request asks it once and answers for that day throughout.
    `trusted`: documents clients may send by hash from the start
    (api/persisted.py)."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        graphiql: bool,
        hints: bool,
        today: Callable[[], date] = district_today,
        trusted: Iterable[str] = (),
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.persisted = PersistedQueries(trusted)
        self.graphiql = graphiql
        self.hints = hints
        self.today = today
        self.cache = AnswerCache(
            settings.cache_entries,
            settings.cache_seconds,
            settings.cache_bytes,
            settings.cache_entry_bytes,
        )
        self.revisions = Revisions(settings.revision_seconds)
        self.bounds = PerRevision(lambda: read_bounds(engine.graphql))
        self.vocabulary = PerRevision(read_vocabulary)
        wait = settings.admission_wait_seconds
        self.admission = Admission(settings.concurrent_cost, settings.costly, wait)
        self.turns = Admission(settings.turns, 0, wait)
        self.large = Admission(1, 0, wait)
        self.write_rate = Rate(
            settings.staff_writes_burst, settings.staff_writes_per_second
        )
        self.address_rate = Rate(settings.address_burst, settings.address_per_second)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = await self.respond(scope, receive)
        if answer is not None:
            await send_reply(answer, scope, receive, send, raw=self.engine.fast)

    async def respond(self, scope: Scope, receive: Receive) -> Reply | None:
        """The answer to a request, or None if the client went away mid-body."""
        try:
            return await self.handle(read_request(scope, receive, raw=self.engine.fast))
        except ClientDisconnect:
            return None  # nobody to answer

    async def handle(self, request: RawRequest) -> Reply:
        """Read → cache → execute → encode: the request read and checked, its
        answer found in the cache, or run (an anonymous one in its turn), kept
        and sent."""
        started = time.perf_counter()  # the deadline counts from here
        media = self._media(request)
        if isinstance(media, Reply):
            return media
        user = request.scope.get("user")
        staff = user if isinstance(user, Staff) else None
        read = await self._read(request, media, staff, started)
        if isinstance(read, Reply):
            return read
        if staff is not None:
            return await self._for_staff(request, read)
        return await self._for_public(request, read)

    def _media(self, request: RawRequest) -> str | Reply:
        """The media type to answer in; or the answer itself to what is not a
        GraphQL request (OPTIONS, another method, GraphiQL's page, an Accept
        header that names neither of ours)."""
        if request.method == "OPTIONS":
            return OPTIONS
        if request.method not in ("GET", "POST"):
            error = RequestError(405, "Use GET or POST", {"Allow": "GET, POST"})
            return self._refuse(JSON, error)
        accept = request.header(b"accept")
        if (
            self.graphiql
            and request.method == "GET"
            and "text/html" in (accept or "")
            and "query" not in request.query()
        ):
            policy = {"Content-Security-Policy": GRAPHIQL_POLICY}
            return reply(graphiql_page().encode(), 200, policy, "text/html")
        media = accepted(accept)
        if media is None:
            error = RequestError(406, f"Ask for {GRAPHQL_RESPONSE} or {JSON} in Accept")
            return self._refuse(JSON, error)
        return media

    async def _read(
        self, request: RawRequest, media: str, staff: Staff | None, started: float
    ) -> "Run | Reply":
        """What the request asks, read and checked; or its answer: a refusal, or
        one from the cache, found by the request's bytes (before they are read
        as JSON), then by what they ask."""
        cacheable = staff is None and self.cache.size > 0
        try:
            sent = await raw(request)
            day = self.today()
            current = self.revisions.known(day) or await self.revisions.current(day)
            # not a request that registers a persisted query: the registry must
            # see each one
            as_sent = None
            if cacheable and b"persistedQuery" not in sent:
                as_sent = (media, request.method, sent)
                if answer := self.cache.get(as_sent, current):
                    return self._send(request, answer, cacheable=True)
            given = self.persisted.resolve(params(request, sent))
            query, variables, operation = check(given)
        except RequestError as error:
            return self._refuse(media, error)
        except PersistedQueryError as error:
            return self._refuse(media, RequestError(400, str(error)), error.code)
        run = Run(media, query, variables, operation, staff, started, day, current)
        if cacheable:
            run.keys = [key for key in (run.key(), as_sent) if key is not None]
            if answer := self.cache.get(run.keys[0], current):
                if as_sent is not None:
                    self.cache.put(as_sent, current, answer)
                return self._send(request, answer, cacheable=True)
        return run

    async def _for_staff(self, request: RawRequest, run: "Run") -> Reply:
        done = await self._run(request, run)
        if request.method == "POST":
            self.revisions.forget()  # it may have written: look again next time
        if isinstance(done, Answer):
            return self._send(request, done, cacheable=False)
        return done

    async def _for_public(self, request: RawRequest, run: "Run") -> Reply:
        """An anonymous request that must run: refused when its address sends too
        many, else run in its turn, and kept for the next to ask the same."""
        # One address's flood is refused before its document is read any further.
        address = (request.scope.get("client") or ("",))[0]
        if wait := self.address_rate.take(address, 1):
            return self._refuse(run.media, self._too_fast(wait))
        ran = await self._in_turn(request, run)
        if not isinstance(ran, Answer):
            return ran
        if not run.keys or not ran.keep:
            return self._send(request, ran, cacheable=False)
        for key in run.keys:
            self.cache.put(key, run.current, ran)
        return self._send(request, ran, cacheable=True)

    async def _in_turn(self, request: RawRequest, run: "Run") -> Answer | Reply:
        """Run an anonymous request when its turn comes, a few at a time in each
        worker (api/admission.py): a request waits at each of its awaits behind
        every other one the worker holds, which made an ordinary query take
        seconds beside a flood of cheap refusals. A large document not yet
        prepared (tens of milliseconds of the worker's one thread) is prepared
        first in a lane of its own, one at a time, so that a flood of new large
        documents never stands before an ordinary query in the turns."""
        engine = self.engine
        query, operation = run.query, run.operation
        large = len(query) > LARGE_DOCUMENT and not is_prepared(
            query, operation, engine
        )
        if large and not await self.large.enter(1):
            return self._refuse(run.media, BUSY)
        try:
            if large:
                revision = run.current[0]
                bounds = self.bounds.known(revision) or await self.bounds.get(revision)
                await prepare_aside(query, operation, bounds, engine)
            if not await self.turns.enter(1):
                return self._refuse(run.media, BUSY)
            try:
                return await self._run(request, run)
            finally:
                self.turns.leave(1)
        finally:
            if large:
                self.large.leave(1)

    async def _run(self, request: RawRequest, run: "Run") -> Answer | Reply:
        """Prepare, admit by cost, execute: the answer, or a refusal to send."""
        staff, revision = run.staff, run.current[0]
        # (what is read once a revision is at hand, mostly: no await then)
        context = Context(
            listing=Listing(run.day),
            bounds=self.bounds.known(revision) or await self.bounds.get(revision),
            vocabulary=self.vocabulary.known(revision)
            or await self.vocabulary.get(revision),
            engine=self.engine,
            staff=staff,
            client=(request.scope.get("client") or ("",))[0],
        )
        units = 0
        prepared = prepare(run.query, run.operation, context.bounds, self.engine)
        if staff is None:
            units = self.admission.units(prepared.cost)
            # an application, or a partner's own record: never kept
            if _writes(prepared) or _for_one_caller(prepared):
                run.keys = []
        elif wait := self.write_rate.take(staff.name, _writes(prepared)):
            return self._refuse(run.media, self._slow_down(staff, wait))
        if units and not await self.admission.enter(units):
            return self._refuse(run.media, BUSY)
        try:
            answer = await self._execute(request, run, context)
        except RequestError as error:
            return self._refuse(run.media, error)
        finally:
            if units:
                self.admission.leave(units)
        return answer

    def _too_fast(self, wait: float) -> RequestError:
        rate = self.address_rate
        return RequestError(
            429,
            f"Too many requests from your address ({rate.burst} at once, then "
            f"{rate.per_second:g} a second, that are not answered from the cache): "
            f"try again in {retry_after(wait)} s",
            {"Retry-After": retry_after(wait)},
        )

    def _slow_down(self, staff: Staff, wait: float) -> RequestError:
        rate = self.write_rate
        return RequestError(
            429,
            f"The token {staff.name!r} is writing faster than {rate.burst} writes at "
            f"once and {rate.per_second:g} a second after: try again in "
            f"{retry_after(wait)} s",
            {"Retry-After": retry_after(wait)},
        )

    async def _execute(
        self, request: RawRequest, run: "Run", context: Context
    ) -> Answer:
        staff = run.staff is not None
        settings = self.settings
        deadline = (
            settings.staff_deadline_seconds if staff else settings.deadline_seconds
        )
        begun = self._begin(request, run.query, run.variables, run.operation, context)
        if isinstance(begun, ExecutionResult):
            return self._answer(run.media, begun, staff)
        # Only an execution that waits can be stopped: the timer is set where it
        # begins to, for what is left of the deadline (a timer set on every
        # request would cost even the quickest).
        left = deadline - (time.perf_counter() - run.started)
        waited = await self._waited(begun, run.media, deadline, left)
        if isinstance(waited, Answer):
            return waited
        return self._answer(run.media, waited, staff)

    def _begin(
        self,
        request: RawRequest,
        query: str,
        variables: dict[str, Any] | None,
        operation: str | None,
        context: Context,
    ) -> ExecutionResult | Awaitable[ExecutionResult]:
        allowed = QUERIES if request.method == "GET" else QUERIES_AND_MUTATIONS
        try:
            return begin(
                query,
                context,
                variables=variables,
                operation=operation,
                allowed=allowed,
            )
        except OperationError as error:
            if error.method:
                raise RequestError(
                    405,
                    "GET is for queries only: send mutations with POST",
                    {"Allow": "POST"},
                ) from None
            raise RequestError(400, str(error)) from None

    async def _waited(
        self,
        started: Awaitable[ExecutionResult],
        media: str,
        deadline: float,
        left: float,
    ) -> ExecutionResult | Answer:
        try:
            async with asyncio.timeout(left):
                return await started
        except TimeoutError:
            # Stopped where it stood; a mutation's transaction rolled back with it.
            return _stopped(
                media,
                f"The request ran for longer than the limit of {deadline:g} s and "
                "was stopped: ask for fewer items or fewer nested lists",
                "TIMEOUT",
            )

    def _answer(self, media: str, result: ExecutionResult, staff: bool) -> Answer:
        errors = [self._format(e) for e in result.errors or []]
        executed = result.data is not None or any(e.path for e in result.errors or [])
        body: dict[str, Any] = {}
        if executed:
            body["data"] = result.data
        if errors:
            body["errors"] = errors
        status = 200 if executed or media == JSON else 400
        encoded = encode(body)
        settings = self.settings
        largest = (
            settings.staff_max_answer_bytes if staff else settings.max_answer_bytes
        )
        if len(encoded) > largest:
            return _stopped(
                media,
                f"The answer would be {len(encoded):,} bytes, over the limit of "
                f"{largest:,}: ask for fewer items or fewer fields",
                "ANSWER_TOO_LARGE",
            )
        return Answer(status, encoded, media, keep=not errors or not executed)

    def _format(self, error: GraphQLError) -> dict[str, Any]:
        formatted: dict[str, Any] = dict(error.formatted)
        if not self.hints:
            formatted["message"] = SUGGESTION.sub("", formatted["message"])
        return formatted

    def _refuse(
        self, media: str, error: RequestError, code: str | None = None
    ) -> Reply:
        told: dict[str, Any] = {"message": str(error)}
        if code is not None:
            told["extensions"] = {"code": code}
        body = encode({"errors": [told]})
        # An unknown hash is an ordinary answer for older clients, as the
        # persisted-query protocol has it; a 400 with the GraphQL media type.
        not_found = code == "PERSISTED_QUERY_NOT_FOUND"
        status = 200 if not_found and media == JSON else error.status
        return reply(body, status, {**CORS, **error.headers}, media)

    def _send(self, request: RawRequest, answer: Answer, cacheable: bool) -> Reply:
        given = request.header(b"if-none-match")
        return respond(
            answer, shared=cacheable, method=request.method, if_none_match=given
        )


OPTIONS = reply(b"", 204, PREFLIGHT)


@dataclass(slots=True)
class Run:
    """What one request asks, once read: for whom, on which day and revision;
    `keys`, where its answer is kept (none when it may not be)."""

    media: str
    query: str
    variables: dict[str, Any] | None
    operation: str | None
    staff: Staff | None
    started: float  # the deadline counts from here
    day: date
    current: Revision
    keys: list[Key] = field(default_factory=list)

    def key(self) -> Key:
        """What it asks, as the answer cache knows it."""
        variables = json.dumps(self.variables, sort_keys=True)
        return (self.media, self.query, variables, self.operation or "")


def _writes(prepared: Prepared) -> int:
    """The writes a document asks for: its mutation's fields, as written."""
    operation = prepared.operation
    if operation is None or operation.operation is not OperationType.MUTATION:
        return 0
    return len(operation.selection_set.selections)


def _for_one_caller(prepared: Prepared) -> bool:
    """Whether a query asks, at its root, for a field answered for its one caller
    (a partner's record by its link's key: api/invitations.py), through its
    fragments too: no cache may keep such an answer."""
    operation = prepared.operation
    if operation is None or operation.operation is not OperationType.QUERY:
        return False
    fragments = prepared.fragment_definitions or {}
    waiting, seen = list(operation.selection_set.selections), set()
    while waiting:
        node = waiting.pop()
        if isinstance(node, FieldNode):
            if node.name.value in FOR_ONE_CALLER:
                return True
        elif isinstance(node, InlineFragmentNode):
            waiting += node.selection_set.selections
        elif isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
            seen.add(node.name.value)
            if (found := fragments.get(node.name.value)) is not None:
                waiting += found.selection_set.selections
    return False


# 429, not 503: the server is well; anonymous callers are asking for too much
# costly work at once (api/admission.py).
BUSY = RequestError(
    429,
    "The server is busy with other costly requests: try again in a moment, or ask "
    "for less",
    {"Retry-After": "1"},
)


def _stopped(media: str, message: str, code: str) -> Answer:
    """An answer for a request stopped by a limit while it ran: `data` is null, so
    the GraphQL-over-HTTP spec's status is 200 for either media type."""
    body = {
        "data": None,
        "errors": [{"message": message, "extensions": {"code": code}}],
    }
    return Answer(200, encode(body), media, keep=False)
