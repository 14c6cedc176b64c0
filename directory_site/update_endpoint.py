"""A partner's own update form, behind the private link the office sent it:
GET /update/?key=… (and /<language>/update/?key=…) shows the partner's record as
the API's `invitation` query reads it, as fields to change; the form posts to
/update/ (the key in its body, not its address), which sends `proposeChanges` or
`confirmPartnerRecord` in-process and answers with a redirect to the built
thank-you page, or with the form again, as sent, each problem by its field.

Nothing is kept by any cache or the browser's history of addresses beyond the
link itself: every answer is `no-store`, sends no Referer outside this site, and
asks not to be indexed; the access log writes paths without their query, so the
key is not in it. Posts are bounded as the application form's are."""

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from directory_site import queries
from directory_site.application_endpoint import (
    NOT_KEPT,
    FormEndpoint,
    not_same_origin,
    read_form,
    same_origin,
)
from directory_site.application_form import Values, choices, said
from directory_site.language_names import NATIVE
from directory_site.messages import translations
from directory_site.pages import Site
from directory_site.update_form import Proposal, filled, programs_in, rows_in

PRIVATE = {
    **NOT_KEPT,
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex",
}
KEY_LONGEST = 100


class UpdateEndpoint(FormEndpoint):
    """The routes of a partner's private link."""

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/update/", self.page, methods=["GET", "POST"]),
            Route("/{language:str}/update/", self.page, methods=["GET", "POST"]),
        ]

    async def page(self, request: Request) -> Response:
        if request.method == "POST" and not same_origin(request):
            return not_same_origin()
        site = self.opened(request)
        if isinstance(site, Response):
            return site
        if request.method == "GET":
            return await self._shown(site, request.query_params.get("key", ""))
        pairs = await read_form(request)
        if isinstance(pairs, Response):
            return pairs
        values = Values.of(pairs)
        if values.one("fax"):  # a program filled in the field people do not see
            return RedirectResponse(f"{site.home}update/thanks/", 303, PRIVATE)
        address = request.client.host if request.client else ""
        return await self._sent(site, values, address)

    async def _shown(self, site: Site, key: str) -> Response:
        """The form for `key`'s record as it stands, or the page saying the link
        opens nothing."""
        visitor = await queries.Visitor.on(self.today())
        record = await self._record(visitor, key)
        if record is None:
            return await self._closed(site, visitor)
        values = filled(record)
        values.given["key"] = [key]
        return await self._form(site, visitor, record, values, {}, 200)

    async def _record(
        self, visitor: queries.Visitor, key: str
    ) -> dict[str, Any] | None:
        if not key or len(key) > KEY_LONGEST or "\x00" in key:
            return None
        found = await queries.partner_link("invitation", visitor, "", key=key)
        record: dict[str, Any] | None = found["invitation"]
        return record

    async def _sent(self, site: Site, values: Values, address: str) -> Response:
        say = translations(site.language).gettext
        visitor = await queries.Visitor.on(self.today())
        key = values.one("key")
        record = await self._record(visitor, key)
        if record is None:
            return await self._closed(site, visitor)
        form = Proposal(values, site.languages, say)
        if values.one("action") == "confirm":
            sent = await queries.partner_link(
                "confirm", visitor, address, key=key,
                name=values.one("your_name"), email=values.one("your_email"),
            )  # fmt: skip
            answer, problems = sent["confirmPartnerRecord"], {}
        else:
            sent = await queries.partner_link(
                "propose", visitor, address, key=key, input=form.input,
                validateOnly=bool(form.problems),
            )  # fmt: skip
            answer, problems = sent["proposeChanges"], dict(form.problems)
        if answer["received"]:
            return RedirectResponse(f"{site.home}update/thanks/", 303, PRIVATE)
        for error in answer["errors"]:
            problems.setdefault(form.field(error["field"]), said(error["message"], say))
        return await self._form(site, visitor, record, values, problems, 400)

    async def _form(
        self,
        site: Site,
        visitor: queries.Visitor,
        record: dict[str, Any],
        values: Values,
        problems: dict[str, str],
        status: int,
    ) -> Response:
        pages = await self._pages(site, visitor)
        key = values.one("key")
        links = [
            (code, f"{site.base}{site.prefix(code)}update/?key={quote(key)}")
            for code in site.languages
        ]  # fmt: skip
        _, html = pages.page(
            "update.html", "update/", title=pages.say("Your listing"),
            section="about", crumbs=[], record=record, form=values,
            errors=problems, programs=programs_in(values),
            rows=[rows_in(values, i) for i in range(programs_in(values))],
            links=links, natives=NATIVE, private=True,
            **choices(pages.directory, pages.say, site.language),
        )  # fmt: skip
        return HTMLResponse(html, status, PRIVATE)

    async def _closed(self, site: Site, visitor: queries.Visitor) -> Response:
        pages = await self._pages(site, visitor)
        _, html = pages.page(
            "update_closed.html", "update/", title=pages.say("This link does not open"),
            section="about", crumbs=[],
        )  # fmt: skip
        return HTMLResponse(html, 404, PRIVATE)
