"""The Open Referral HSDS 3.0 read API under /hsds/: the endpoints, their
parameters (each checked, with a 400 that names the one at fault), HSDS's paged
envelope, and the public API's rules: only what is listed on the district's day,
the same limits, the same answer cache, GET with ETag and 304."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from api.cache import Answer, AnswerCache, Revision, respond
from api.context import Context
from api.exchange import Reply, encode, send_reply
from api.hsds import answers, mapping
from api.hsds.answers import Ask, Json, QueryFailed, Refused
from api.rates import retry_after
from models import settings
from models.listing import Listing
from models.validation import KEY_MAX, utc, whole_number

if TYPE_CHECKING:
    from api.http import GraphQLEndpoint

log = logging.getLogger("partners.api")
Make = Callable[["Context", Request], Awaitable["Json | None"]]
JSON = "application/json"
PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 100
SEARCH_MAX = 200
PAGED = ("page", "per_page", "format")
FILTERS = ("search", "taxonomy_term_id", "taxonomy_id", "modified_after")
ALLOWED: dict[str, tuple[str, ...]] = {
    "organizations": (*PAGED, *FILTERS, "full", "full_service", "minimal"),
    "services": (*PAGED, *FILTERS, "organization_id", "full", "minimal"),
    "service_at_locations": (*PAGED, *FILTERS, "organization_id", "full"),
    "taxonomies": (*PAGED, "search"),
    "taxonomy_terms": (*PAGED, "search", "taxonomy_id", "top_only", "parent_id"),
    "changes": ("after", "per_page"),
    "one": (),
    "organization": ("full_service",),  # always in full here
}
LISTS = (
    "organizations",
    "services",
    "service_at_locations",
    "taxonomies",
    "taxonomy_terms",
    "changes",
)
TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no")
# The public API's arguments, as the parameters of ours that carry them: a value
# it refuses is reported on the parameter the caller wrote.
PARAMETERS = {
    "filter.search": "search",
    "filter.modifiedAfter": "modified_after",
    "filter.partnerIds": "organization_id",
    "first": "per_page",
    "after": "page",
}


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.status = status


def _whole(given: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    text = given.get(name)
    if text is None:
        return default
    number = whole_number(text, low, high)
    if number is None:
        raise BadParameter(
            name, f"{name} must be a whole number from {low:,} to {high:,}"
        )
    return number


def _flag(given: dict[str, str], name: str) -> bool:
    text = given.get(name, "false").lower()
    if text not in TRUE + FALSE:
        raise BadParameter(name, f"{name} must be true or false, got {text!r}")
    return text in TRUE


def _uuid(given: dict[str, str], name: str) -> str | None:
    text = given.get(name)
    if text is None:
        return None
    try:
        return str(UUID(text))
    except ValueError:
        raise BadParameter(name, f"{name} must be a UUID, got {text[:60]!r}") from None


def _moment(given: dict[str, str], name: str) -> datetime | None:
    text = given.get(name)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadParameter(
            name,
            f"{name} must be a date and time in ISO 8601, e.g. "
            f"2026-09-01T00:00:00Z, got {text[:60]!r}",
        ) from None
    found = utc(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    if found is None:
        raise BadParameter(
            name,
            f"{name} is out of range: in UTC it must fall between 0001-01-01 and "
            f"9999-12-31, got {text[:60]!r}",
        )
    return found


def _search(given: dict[str, str]) -> str | None:
    text = given.get("search")
    if text is not None and len(text) > SEARCH_MAX:
        raise BadParameter("search", f"search takes at most {SEARCH_MAX} characters")
    return text.strip() or None if text is not None else None


def known(kind: str, given: dict[str, str]) -> None:
    """Refuse a parameter the endpoint does not take."""
    for name in given:
        if name not in ALLOWED[kind]:
            takes = ", ".join(ALLOWED[kind]) or "none"
            raise BadParameter(
                name, f"{name} is not a parameter of /{kind} (it takes: {takes})"
            )


def checked(kind: str, given: dict[str, str], vocabulary: Json) -> Ask:
    """The list request `given` asks for, every parameter checked."""
    known(kind, given)
    if given.get("format", "json") != "json":
        raise BadParameter("format", "format can only be json")
    per_page = _whole(given, "per_page", PER_PAGE_DEFAULT, 1, PER_PAGE_MAX)
    ask = Ask(
        # A page starts at most KEY_MAX items in: the public API's cursors end there.
        page=_whole(given, "page", 1, 1, KEY_MAX // per_page),
        per_page=per_page,
        search=_search(given),
        organization=_uuid(given, "organization_id"),
        modified_after=_moment(given, "modified_after"),
        full=_flag(given, "full") or _flag(given, "full_service"),
        minimal=_flag(given, "minimal"),
    )
    if ask.full and ask.minimal:
        raise BadParameter("minimal", "full and minimal cannot both be true")
    return _narrowed(ask, given, vocabulary)


def _narrowed(ask: Ask, given: dict[str, str], vocabulary: Json) -> Ask:
    """The taxonomy parameters, as category or service type filters."""
    term, taxonomy = _uuid(given, "taxonomy_term_id"), _uuid(given, "taxonomy_id")
    if term is None and taxonomy is None:
        return ask
    slugs: dict[str, list[str]] = {"categories": [], "service_types": []}
    keys = {"categories": "categories", "service_types": "serviceTypes"}
    for key, field in keys.items():
        if taxonomy is not None and taxonomy != mapping.taxonomy(key)["id"]:
            continue  # both given: the term must be one of that taxonomy's
        slugs[key] = [
            t["slug"] for t in vocabulary[field] if term is None or t["uuid"] == term
        ]
    if not any(slugs.values()):
        return replace(ask, nothing=True)  # someone else's term or taxonomy
    return replace(
        ask,
        categories=slugs["categories"] or None,
        service_types=slugs["service_types"] or None,
    )


def _vocabulary_page(kind: str, given: dict[str, str], vocabulary: Json) -> Json:
    """Taxonomies or taxonomy terms: short lists, filtered and paged here."""
    ask = checked(kind, given, vocabulary)
    if kind == "taxonomies":
        items = [mapping.taxonomy(key) for key in mapping.TAXONOMY_KEYS]
    else:
        items = answers.terms(vocabulary)
        taxonomy = _uuid(given, "taxonomy_id")
        if taxonomy is not None:
            items = [t for t in items if t["taxonomy_id"] == taxonomy]
        if _uuid(given, "parent_id") is not None:
            items = []  # our terms are flat: none has a parent
        _flag(given, "top_only")  # every term is a top term
    if ask.search:
        words = ask.search.lower().split()
        items = [
            t
            for t in items
            if all(w in f"{t['name']} {t['description']}".lower() for w in words)
        ]
    start = (ask.page - 1) * ask.per_page
    return answers.page(ask, len(items), items[start : start + ask.per_page])


class OpenReferral:
    """The /hsds/ endpoints. Shares the GraphQL endpoint's view of the data's
    revision, so a write through either shows in both at once."""

    def __init__(self, today: Callable[[], date], graphql: "GraphQLEndpoint") -> None:
        self.today = today
        self.revisions = graphql.revisions
        self.bounds = graphql.bounds
        self.vocabulary = graphql.vocabulary
        self.engine = graphql.engine
        self.cache = AnswerCache()
        # shared with /graphql: what must run takes its turn among all of it
        self.turns = graphql.turns
        self.address_rate = graphql.address_rate

    def routes(self) -> list[BaseRoute]:
        one = self._one
        pages = self._pages
        return [
            Route("/", self._endpoint(self._metadata), methods=["GET", "HEAD"]),
            *(
                Route(f"/{kind}", self._endpoint(pages(kind)), methods=["GET", "HEAD"])
                for kind in LISTS
            ),
            # The router's own redirect, which the routes below would otherwise take.
            *(Route(f"/{kind}/", _to_list, methods=["GET", "HEAD"]) for kind in LISTS),
            *(
                # Any id, "/" and all, reaches the endpoint, which says what is wrong
                # with it in JSON.
                Route(
                    f"/{kind}/{{id:path}}",
                    self._endpoint(one(kind)),
                    methods=["GET", "HEAD"],
                )
                for kind in (
                    "organizations",
                    "services",
                    "service_at_locations",
                    "taxonomies",
                    "taxonomy_terms",
                )
            ),
            Route("/{path:path}", self._endpoint(self._nowhere)),
        ]

    def _endpoint(self, make: Make) -> "Endpoint":
        return Endpoint(self, make)

    async def answer(self, request: Request, make: Make) -> Reply:
        """The answer to a GET: from the cache while the data's revision and the day
        hold, else made (taking its turn with GraphQL's), and sent as every public
        read is (api/cache.py `respond`)."""
        day = self.today()
        current = await self.revisions.current(day)
        key = (
            request.url.path,
            *sorted(f"{k}={v}" for k, v in request.query_params.multi_items()),
        )
        answer = self.cache.get(key, current)
        if answer is None:
            address = request.client.host if request.client else ""
            if wait := self.address_rate.take(address, 1):
                message = (
                    "Too many requests from your address: try again in "
                    f"{retry_after(wait)} s"
                )
                return _too_many(message, retry_after(wait))
            if not await self.turns.enter(1):
                return _too_many("The server is busy: try again in a moment", "1")
            try:
                answer = await self._made(request, make, self._context(day, current))
            finally:
                self.turns.leave(1)
            if answer.keep:
                self.cache.put(key, current, answer)
        return respond(
            answer,
            shared=answer.status == 200,
            method=request.method,
            if_none_match=request.headers.get("if-none-match"),
        )

    async def _context(self, day: date, current: Revision) -> Context:
        return Context(
            listing=Listing(day),
            bounds=await self.bounds.get(current[0]),
            vocabulary=await self.vocabulary.get(current[0]),
            engine=self.engine,
        )

    async def _made(
        self, request: Request, make: Make, context: Awaitable[Context]
    ) -> Answer:
        limits = settings.current()
        try:
            async with asyncio.timeout(limits.deadline_seconds):
                body = await make(await context, request)
        except BadParameter as error:
            return _problem(error.status, str(error), error.parameter)
        except Refused as error:
            parameter = PARAMETERS.get(error.argument or "")
            if parameter is not None:
                return _problem(400, str(error), parameter)
            return _problem(400, f"{error}: ask for a smaller per_page", "per_page")
        except TimeoutError:
            message = (
                "The request ran for longer than the limit of "
                f"{limits.deadline_seconds:g} s and was stopped: ask for a smaller "
                "per_page"
            )
            return _problem(503, message, None, keep=False)
        except QueryFailed as error:
            log.error("Open Referral query failed: %s", error)
            return _problem(500, "Unexpected error.", None, keep=False)
        if body is None:
            return _problem(
                404, f"Nothing listed has the id {request.path_params['id']}", "id"
            )
        encoded = encode(body)
        if len(encoded) > limits.max_answer_bytes:
            message = (
                f"The answer would be {len(encoded):,} bytes, over the limit of "
                f"{limits.max_answer_bytes:,}: ask for a smaller per_page"
            )
            return _problem(400, message, "per_page")
        return Answer(200, encoded, JSON, keep=True)

    async def _nowhere(self, context: Context, request: Request) -> Json:
        message = f"There is no {request.url.path}: /hsds/ lists what there is"
        raise BadParameter("path", message, status=404)

    async def _metadata(self, context: Context, request: Request) -> Json:
        known("one", _single(request))
        return mapping.metadata()

    def _pages(self, kind: str) -> Callable[[Context, Request], Awaitable[Json | None]]:
        async def make(context: Context, request: Request) -> Json:
            given = _single(request)
            if kind == "changes":
                known(kind, given)
                first = _whole(given, "per_page", PER_PAGE_DEFAULT, 1, 1000)
                try:
                    return await answers.changes(context, given.get("after"), first)
                except Refused as error:
                    raise BadParameter("after", str(error)) from None
            vocabulary = await answers.vocabulary(context)
            if kind in ("taxonomies", "taxonomy_terms"):
                return _vocabulary_page(kind, given, vocabulary)
            ask = checked(kind, given, vocabulary)
            listed: dict[str, Callable[[Context, Ask], Awaitable[Json]]] = {
                "organizations": answers.organizations,
                "services": answers.services,
                "service_at_locations": answers.service_at_locations,
            }
            return await listed[kind](context, ask)

        return make

    def _one(self, kind: str) -> Callable[[Context, Request], Awaitable[Json | None]]:
        async def make(context: Context, request: Request) -> Json | None:
            known(
                "organization" if kind == "organizations" else "one", _single(request)
            )
            wanted = _uuid({"id": _text("id", request.path_params["id"])}, "id")
            assert wanted is not None
            if kind in ("taxonomies", "taxonomy_terms"):
                vocabulary = await answers.vocabulary(context)
                items = (
                    [mapping.taxonomy(key) for key in mapping.TAXONOMY_KEYS]
                    if kind == "taxonomies"
                    else answers.terms(vocabulary)
                )
                return next((t for t in items if t["id"] == wanted), None)
            single: dict[str, Callable[[Context, str], Awaitable[Json | None]]] = {
                "organizations": answers.organization,
                "services": answers.service,
                "service_at_locations": answers.service_at_location,
            }
            return await single[kind](context, wanted)

        return make


class Endpoint:
    """One of the /hsds/ endpoints, an ASGI app: read through Starlette's Request
    (its path parameters and query string), answered as every public read is."""

    def __init__(self, api: OpenReferral, make: Make) -> None:
        self.api = api
        self.make = make

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = await self.api.answer(Request(scope, receive), self.make)
        await send_reply(answer, scope, receive, send, raw=self.api.engine.fast)


def _too_many(message: str, seconds: str) -> Reply:
    """A 429: try again in `seconds`."""
    refused = _problem(429, message, None, keep=False)
    headers = [*refused.private_headers, (b"retry-after", seconds.encode())]
    return Reply(429, headers, refused.body)


def _to_list(request: Request) -> Response:
    url = request.url
    return RedirectResponse(str(url.replace(path=url.path.rstrip("/"))), 307)


def _single(request: Request) -> dict[str, str]:
    """The query parameters, each given once, each text."""
    given: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        _text(name, name)
        _text(name, value)
        if name in given:
            raise BadParameter(name, f"{name} is given more than once")
        given[name] = value
    return given


def _text(name: str, value: str) -> str:
    """`value`, refused when it holds NUL: it is not text, and no database stores
    it (PostgreSQL refuses it outright)."""
    if "\x00" in value:
        raise BadParameter(name, f"{name} contains NUL (\\u0000), which is not text")
    return value


def _problem(
    status: int, message: str, parameter: str | None, keep: bool = True
) -> Answer:
    body: Json = {"message": message}
    if parameter is not None:
        body["parameter"] = parameter
    return Answer(status, encode(body), JSON, keep=keep and status < 500)
