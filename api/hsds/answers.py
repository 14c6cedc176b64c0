"""Open Referral answers, made the way the directory is built: the public API's
own queries (queries/*.graphql) run in-process for an anonymous caller, then
mapped (mapping.py). Used by the HTTP endpoints and by the tabular export."""

import math
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from api.context import Context
from api.execution import run
from api.hsds import mapping
from api.pagination import encode_cursor
from models.public_ids import Kind, link_key, link_of, public_id
from models.public_ids import key_of as row_key
from models.validation import is_key

QUERIES = Path(__file__).parent / "queries"
Json = dict[str, Any]


class QueryFailed(Exception):
    """A query of ours failed: our fault, never the caller's."""


class Refused(Exception):
    """The public API refused what was asked (a limit, a value): the caller's to
    change. `argument`: the public API's argument at fault, when it names one."""

    def __init__(self, message: str, argument: str | None = None) -> None:
        super().__init__(message)
        self.argument = argument


@cache
def document(name: str) -> str:
    """queries/NAME.graphql, with the shared fragments it uses (GraphQL refuses a
    document with a fragment it does not use)."""
    text = (QUERIES / f"{name}.graphql").read_text()
    shared = (QUERIES / "fragments.graphql").read_text()
    fragments = {
        part.split()[0]: "fragment " + part
        for part in re.split(r"^fragment ", shared, flags=re.MULTILINE)[1:]
    }
    used = [f for f in fragments if f"...{f}" in text]
    return "\n".join([text, *(fragments[f] for f in used)])


async def ask(context: Context, name: str, **variables: Any) -> Json:
    """Run queries/NAME.graphql. The page size is written into the document, as
    the directory's own query does, so that the public API's cost limit counts
    the page asked for rather than the largest (a variable `first` counts 100)."""
    text = document(name)
    if "first" in variables:
        size = int(variables.pop("first"))
        text = text.replace("$first: Int!", "").replace("$first", str(size))
    result = await run(text, context, variables=variables)
    if result.errors:
        told = [e.extensions or {} for e in result.errors]
        if any(t.get("code") for t in told):
            arguments = (t.get("argument") for t in told)
            raise Refused(
                "; ".join(e.message for e in result.errors),
                next((a for a in arguments if isinstance(a, str)), None),
            )
        raise QueryFailed("; ".join(e.message for e in result.errors))
    assert result.data is not None
    return result.data


@dataclass(frozen=True)
class Ask:
    """One list request, its parameters checked (endpoint.py)."""

    page: int = 1
    per_page: int = 50
    search: str | None = None
    categories: list[str] | None = None
    service_types: list[str] | None = None
    organization: str | None = None
    modified_after: datetime | None = None
    full: bool = False
    minimal: bool = False
    nothing: bool = False  # a term or taxonomy of someone else's: no results

    def variables(self) -> Json:
        found: Json = {}
        if self.search:
            found["search"] = self.search
        if self.categories is not None:
            found["categories"] = self.categories
        if self.service_types is not None:
            found["serviceTypes"] = self.service_types
        if self.organization is not None:
            found["partnerIds"] = [self.organization]
        if self.modified_after is not None:
            found["modifiedAfter"] = self.modified_after.isoformat()
        start = (self.page - 1) * self.per_page
        return {
            "filter": found or None,
            "first": self.per_page,
            "after": encode_cursor(start - 1) if start else None,
            "full": self.full,
        }


def page(ask_: Ask, total: int, contents: list[Json]) -> Json:
    """HSDS's paged envelope."""
    pages = max(1, math.ceil(total / ask_.per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": ask_.page,
        "size": len(contents),
        "first_page": ask_.page == 1,
        "last_page": ask_.page >= pages,
        "empty": not contents,
        "contents": contents,
    }


def link_id(program: str, site: str) -> str:
    """The id of a program at a school site, from theirs (as ProgramSite.uuid)."""
    p, s = row_key(Kind.PROGRAM, program), row_key(Kind.SCHOOL_SITE, site)
    assert p is not None and s is not None
    return str(public_id(Kind.LINK, link_key(p, s)))


def _at(program: Json, site: Json) -> Json:
    """A service's own service_at_location for `site`."""
    return mapping.service_at_location(
        link_id(program["uuid"], site["uuid"]), program, site
    )


def _minimal(found: Json) -> Json:
    return {key: found[key] for key in ("id", "name", "status") if key in found}


async def organizations(context: Context, ask_: Ask) -> Json:
    if ask_.nothing:
        return page(ask_, 0, [])
    variables = ask_.variables()
    name = "organizations_full" if variables.pop("full") else "organizations"
    answer = (await ask(context, name, **variables))["partners"]
    contents = []
    for edge in answer["edges"]:
        partner = edge["node"]
        services = None
        if ask_.full:
            services = [mapping.service(p, partner, _at) for p in partner["programs"]]
        found = mapping.organization(partner, services)
        contents.append(_minimal(found) if ask_.minimal else found)
    return page(ask_, answer["totalCount"], contents)


async def organization(context: Context, id_: str) -> Json | None:
    one = Ask(per_page=1, organization=id_, full=True)
    found = (await organizations(context, one))["contents"]
    return found[0] if found else None


async def services(context: Context, ask_: Ask) -> Json:
    if ask_.nothing:
        return page(ask_, 0, [])
    answer = (await ask(context, "services", **ask_.variables()))["programs"]
    contents = []
    for edge in answer["edges"]:
        program = edge["node"]
        partner = program["partner"]
        found = mapping.service(program, partner, _at if ask_.full else None)
        contents.append(_minimal(found) if ask_.minimal else found)
    return page(ask_, answer["totalCount"], contents)


async def service(context: Context, id_: str) -> Json | None:
    variables = Ask(per_page=1, full=True).variables()
    variables["filter"] = {"programIds": [id_]}
    answer = (await ask(context, "services", **variables))["programs"]
    if not answer["edges"]:
        return None
    program = answer["edges"][0]["node"]
    return mapping.service(program, program["partner"], _at)


async def service_at_locations(context: Context, ask_: Ask) -> Json:
    if ask_.nothing:
        return page(ask_, 0, [])
    answer = await ask(context, "service_at_locations", **ask_.variables())
    links = answer["programSites"]
    contents = []
    for edge in links["edges"]:
        link = edge["node"]
        program = link["program"]
        partner = program.get("partner") if ask_.full else None
        contents.append(
            mapping.service_at_location(
                link["uuid"], program, link["schoolSite"], partner
            )
        )
    return page(ask_, links["totalCount"], contents)


async def service_at_location(context: Context, id_: str) -> Json | None:
    key = row_key(Kind.LINK, id_)
    if key is None:
        return None
    program, _ = link_of(key)
    if not is_key(program):
        return None  # a link id of ours, for a program no row could be
    variables = Ask(per_page=100, full=True).variables()
    variables["filter"] = {"programIds": [str(public_id(Kind.PROGRAM, program))]}
    answer = await ask(context, "service_at_locations", **variables)
    for edge in answer["programSites"]["edges"]:
        link = edge["node"]
        if link["uuid"] == id_:
            program_ = link["program"]
            return mapping.service_at_location(
                id_, program_, link["schoolSite"], program_["partner"]
            )
    return None


async def vocabulary(context: Context) -> Json:
    return await ask(context, "vocabulary")


def terms(vocabulary_: Json) -> list[Json]:
    """Every term of our taxonomies: categories, then service types."""
    return [
        mapping.taxonomy_term("categories", term) for term in vocabulary_["categories"]
    ] + [
        mapping.taxonomy_term("service_types", term)
        for term in vocabulary_["serviceTypes"]
    ]


async def changes(context: Context, after: str | None, first: int) -> Json:
    answer = await ask(context, "changes", after=after, first=first)
    log = answer["listingChanges"]
    return {
        "contents": [
            {
                "organization_id": change["partnerId"],
                "change": change["kind"].lower(),
                "at": change["at"],
                "day": change["day"],
            }
            for change in log["changes"]
        ],
        "cursor": log["cursor"],
        "has_more": log["hasMore"],
    }
