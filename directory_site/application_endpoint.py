"""Where the "Become a partner" form posts: POST /apply/ and /<language>/apply/.
It reads the form (a browser's, no script needed), sends the public mutation
`applyToBecomePartner` in-process as the directory's queries are run, and answers
with a redirect to the built thank-you page, or with the form again, filled in as
sent, with each problem by its field in the page's language.

Every post is bounded before it is read: from this site's own pages only (the
browser's Origin, or its Referer, names this host: no other site can post it for a
visitor), at most MAX_BYTES, so many at once and a minute from one address (per
worker; the mutation's own bounds, counted in the database, hold across workers).
A field people do not see and a program fills in (`fax`) is thanked and dropped."""

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import ClientDisconnect, Request
from starlette.responses import (
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import BaseRoute, Route

from api.rates import Rate, retry_after
from directory_site import queries
from directory_site.application_form import (
    Values,
    application,
    choices,
    field_name,
    page_order,
    program_count,
    said,
)
from directory_site.build import asset_names
from directory_site.localize import directory_in
from directory_site.messages import translations
from directory_site.pages import Pages, Site
from directory_site.receipts import Receipts
from directory_site.store import Store
from models.languages import SOURCE
from models.settings import Settings

MAX_BYTES = 32 * 1024  # ten programs with every field filled take about 12 KB
MAX_FIELDS = 1000  # name=value pairs; a full form has about 400
FORM = "application/x-www-form-urlencoded"
NOT_KEPT = {"Cache-Control": "no-store"}


class FormEndpoint:
    """What the directory's forms share: the directory served from the settings'
    site_dir, whose site (address, district, languages) is what the served build
    says it is; a rate per client address; the pages of each language, made once
    a revision."""

    def __init__(self, settings: Settings, today: Callable[[], date]) -> None:
        self.store, self.today = Store(Path(settings.site_dir)), today
        self.rate = Rate(burst=5, per_second=1 / 12)  # then five a minute
        self.reads = Rate(burst=30, per_second=1)
        self.pages: dict[tuple[str, str], Pages] = {}  # by language and revision

    def opened(self, request: Request) -> Site | Response:
        """The site of the request's language, if the served build has it and the
        client's address is within its rate (a form shown, which writes nothing,
        has a larger one than a form sent); else the answer saying why not."""
        language = request.path_params.get("language", SOURCE)
        built = self.store.manifest()
        if built is None or language not in built["site"]["languages"]:
            return PlainTextResponse("No such form here.", 404, NOT_KEPT)
        address = request.client.host if request.client else ""
        rate = self.reads if request.method == "GET" else self.rate
        if wait := rate.take(address, 1):
            message = "Too many forms from your address: try again in a minute."
            headers = {**NOT_KEPT, "Retry-After": retry_after(wait)}
            return PlainTextResponse(message, 429, headers)
        return _site(built, language)

    async def _pages(self, site: Site, visitor: queries.Visitor) -> Pages:
        """The pages of `site`'s language for the data's revision, made once."""
        directory = await queries.run("directory", visitor)
        key = (site.language, directory["listing"]["revision"])
        if key not in self.pages:
            if len(self.pages) >= 2 * len(site.languages):
                self.pages.clear()  # another revision: the old ones are done
            local = directory_in(directory, site.language)
            self.pages[key] = Pages(local, site, asset_names())
        return self.pages[key]


class ApplicationEndpoint(FormEndpoint):
    """The "Become a partner" form's endpoint; the applicant's receipt goes
    through the settings' SMTP server."""

    def __init__(self, settings: Settings, today: Callable[[], date]) -> None:
        super().__init__(settings, today)
        self.receipts = Receipts(settings)

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/apply/", self.post, methods=["POST"]),
            Route("/{language:str}/apply/", self.post, methods=["POST"]),
        ]

    async def post(self, request: Request) -> Response:
        if not same_origin(request):
            return not_same_origin()
        site = self.opened(request)
        if isinstance(site, Response):
            return site
        pairs = await read_form(request)
        if isinstance(pairs, Response):
            return pairs
        address = request.client.host if request.client else ""
        values = Values.of(pairs)
        if values.one("fax"):  # a program filled in the field people do not see
            return RedirectResponse(f"{site.home}apply/thanks/", 303, NOT_KEPT)
        return await self._answer(site, values, address)

    async def _answer(self, site: Site, values: Values, address: str) -> Response:
        say = translations(site.language).gettext
        visitor = await queries.Visitor.on(self.today())
        programs = program_count(values)
        if values.one("action") == "more":
            return await self._form(site, visitor, values, {}, programs + 1, 200)
        given, problems = application(values, site.language, say)
        # with problems of its own, the form still has the rest checked, so that
        # every problem is shown at once; nothing is written then
        sent = await queries.apply(visitor, given, address, bool(problems))
        answer = sent["applyToBecomePartner"]
        if answer["received"]:
            self.receipts.send(
                given["contactEmail"], given["organization"], site.district,
                site.language, visitor.listing.day,
            )  # fmt: skip
            return RedirectResponse(f"{site.home}apply/thanks/", 303, NOT_KEPT)
        for error in answer["errors"]:
            problems.setdefault(field_name(error["field"]), said(error["message"], say))
        return await self._form(site, visitor, values, problems, programs, 400)

    async def _form(
        self,
        site: Site,
        visitor: queries.Visitor,
        values: Values,
        problems: dict[str, str],
        programs: int,
        status: int,
    ) -> Response:
        """The form again, as sent, with its problems first."""
        pages = await self._pages(site, visitor)
        context: dict[str, Any] = choices(pages.directory, pages.say, site.language)
        # in the page's order, then what concerns the whole form
        order = {name: i for i, name in enumerate(page_order(programs))}
        ordered = dict(
            sorted(problems.items(), key=lambda item: order.get(item[0], len(order)))
        )
        _, html = pages.page(
            "apply.html", "apply/", title=pages.say("Become a partner"),
            section="about", crumbs=[(pages.say("About"), f"{site.home}about/")],
            form=values, errors=ordered, programs=min(programs, context["most"]),
            **context,
        )  # fmt: skip
        return HTMLResponse(html, status, NOT_KEPT)


def _site(built: dict[str, Any], language: str) -> Site:
    """The served build's site, in `language`."""
    url = built["site"]["url"]
    return Site(
        district=built["site"]["district"],
        base=urlsplit(url).path or "/",
        url=url,
        language=language,
        languages=tuple(built["site"]["languages"]),
    )


def not_same_origin() -> Response:
    return PlainTextResponse(
        "Send the form from the directory's own page.", 403, NOT_KEPT
    )


def same_origin(request: Request) -> bool:
    """Whether the browser says the post comes from a page of this host: its
    Origin (every current browser sends one with a form's POST), else its
    Referer; a post that names neither is refused, as is one the browser marks
    as from another site."""
    if request.headers.get("sec-fetch-site", "same-origin") not in (
        "same-origin",
        "none",
    ):
        return False
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    host = request.headers.get("host", "")
    return bool(host) and urlsplit(source).netloc == host


async def read_form(request: Request) -> list[tuple[str, str]] | Response:
    """The posted fields, read at most MAX_BYTES from the first byte; or the
    answer saying why not."""
    if request.headers.get("content-type", "").split(";")[0].strip() != FORM:
        return PlainTextResponse(f"Send the form as {FORM}.", 415, NOT_KEPT)
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit() or int(declared) > MAX_BYTES:
        return _too_large()
    body, started = bytearray(), time.monotonic()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BYTES:
                return _too_large()
            if time.monotonic() - started > 10:
                return PlainTextResponse("The form came too slowly.", 408, NOT_KEPT)
    except ClientDisconnect:
        return PlainTextResponse("", 400, NOT_KEPT)
    try:
        text = bytes(body).decode("utf-8")
        pairs = parse_qsl(
            text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict"
        )
        # NUL is never typed, and no database stores it in a text (PostgreSQL
        # refuses it): such a form was not sent by a person
        if any("\x00" in name or "\x00" in value for name, value in pairs):
            raise ValueError("NUL")
        return pairs
    except (UnicodeDecodeError, ValueError):
        return PlainTextResponse(
            "The form could not be read: send it from the directory's page.",
            400,
            NOT_KEPT,
        )


def _too_large() -> Response:
    return PlainTextResponse(
        f"The form is larger than {MAX_BYTES // 1024} KB: shorten the texts.",
        413,
        NOT_KEPT,
    )
