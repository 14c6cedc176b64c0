"""The physical limit for the API benchmark: the canonical query's answer made by
plain SQL (the same listing rule, four statements) and json.dumps, and Open
Referral's `/hsds/services?per_page=N` made by plain SQL (seven statements) and the
same mapping into HSDS (api/hsds/mapping.py), served by the same server stack.
bench/api.py checks their bytes equal the API's before loading them.

    DATABASE_URL=sqlite://... uvicorn bench.raw:app
"""

import json
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.exchange import encode
from api.hsds import answers as hsds
from api.hsds import mapping
from models.clock import district_today
from models.grades import grade_range
from models.program import Timing
from models.public_ids import Kind, public_id
from models.session import Weekday, clock
from models.settings import current

FIRST = re.compile(r"first:\s*(\d+)")
LISTED = """
SELECT id, slug, name, summary FROM partner
WHERE status = 'approved' AND (
  id NOT IN (SELECT link.partner_id FROM partner_category AS link
             JOIN category ON category.id = link.category_id
             WHERE category.requires_contract)
  OR id IN (SELECT partner_id FROM agreement WHERE kind = 'contract'
            AND status = 'active' AND starts_on <= :day AND ends_on >= :day))
ORDER BY name, id LIMIT :first
"""
CATEGORIES = """
SELECT link.partner_id, category.slug, category.name FROM partner_category AS link
JOIN category ON category.id = link.category_id
WHERE link.partner_id IN ({ids}) ORDER BY category.position, category.id
"""
PROGRAMS = """
SELECT id, partner_id, slug, name, during_school, after_school, summer, weekends,
       grade_min, grade_max
FROM program WHERE partner_id IN ({ids}) ORDER BY name, id
"""
SITES = """
SELECT link.program_id, school_site.slug, school_site.name FROM program_site AS link
JOIN school_site ON school_site.id = link.schoolsite_id
WHERE link.program_id IN ({ids}) ORDER BY school_site.name, school_site.id
"""
LISTED_IDS = LISTED.replace("id, slug, name, summary", "id").replace(
    "ORDER BY name, id LIMIT :first", ""
)
SERVICES = f"""
SELECT id, partner_id, slug, name, description, during_school, after_school, summer,
       weekends, grade_min, grade_max, free, cost
FROM program WHERE partner_id IN ({LISTED_IDS}) ORDER BY name, id LIMIT :first
"""
SERVICE_COUNT = f"SELECT count(*) FROM program WHERE partner_id IN ({LISTED_IDS})"
SERVICE_TYPES = """
SELECT link.program_id, service_type.id, service_type.slug, service_type.name
FROM program_service_type AS link
JOIN service_type ON service_type.id = link.servicetype_id
WHERE link.program_id IN ({ids}) ORDER BY service_type.name, service_type.id
"""
LANGUAGES = """
SELECT link.program_id, language.code, language.name FROM program_language AS link
JOIN language ON language.id = link.language_id
WHERE link.program_id IN ({ids}) ORDER BY language.name, language.id
"""
ORGANIZATIONS = """
SELECT id, slug, name, summary, description, website, email, phone, street, city,
       postal_code, address_confidential, last_verified_on
FROM partner WHERE id IN ({ids})
"""
SESSIONS = """
SELECT program_id, days, start_minute, end_minute, valid_from, valid_until, site_id
FROM program_session WHERE program_id IN ({ids})
ORDER BY program_id, valid_from, start_minute, id
"""
PARTNER_CATEGORIES = """
SELECT link.partner_id, category.id, category.slug, category.name
FROM partner_category AS link JOIN category ON category.id = link.category_id
WHERE link.partner_id IN ({ids}) ORDER BY category.position, category.id
"""
database: aiosqlite.Connection


def _marks(ids: list[int]) -> str:
    return ",".join("?" * len(ids))


async def answer(first: int) -> bytes:
    day = district_today().isoformat()
    partners = await database.execute_fetchall(LISTED, {"day": day, "first": first})
    ids = [row[0] for row in partners]
    categories: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for owner, slug, name in await database.execute_fetchall(
        CATEGORIES.format(ids=_marks(ids)), ids
    ):
        categories[owner].append({"slug": slug, "name": name})
    programs = await database.execute_fetchall(PROGRAMS.format(ids=_marks(ids)), ids)
    program_ids = [row[0] for row in programs]
    sites: dict[int, list[dict[str, Any]]] = {i: [] for i in program_ids}
    for owner, slug, name in await database.execute_fetchall(
        SITES.format(ids=_marks(program_ids)), program_ids
    ):
        sites[owner].append({"slug": slug, "name": name})
    by_partner: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in programs:
        flags = dict(
            zip(
                ("during_school", "after_school", "summer", "weekends"),
                row[4:8],
                strict=True,
            )
        )
        by_partner[row[1]].append(
            {
                "slug": row[2],
                "name": row[3],
                "timing": [t.name for t in Timing if flags[t.value]],
                "grades": grade_range(row[8], row[9]),
                "schoolSites": sites[row[0]],
            }
        )
    edges = [
        {
            "node": {
                "slug": slug,
                "name": name,
                "summary": summary,
                "categories": categories[pid],
                "programs": by_partner[pid],
            }
        }
        for pid, slug, name, summary in partners
    ]
    body = {"data": {"partners": {"edges": edges}}}
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


async def _grouped(
    sql: str, ids: list[int], make: Any
) -> dict[int, list[dict[str, Any]]]:
    """Rows of `sql` for `ids`, each made into a dict by `make`, by their owner."""
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in await database.execute_fetchall(sql.format(ids=_marks(ids)), ids):
        found[row[0]].append(make(row))
    return found


def _session(row: Any) -> dict[str, Any]:
    """A row of SESSIONS, as GraphQL gives a session."""
    site = row[6]
    return {
        "days": [Weekday(code).name for code in row[1].split(",") if code],
        "startsAt": clock(row[2]).isoformat(),
        "endsAt": clock(row[3]).isoformat(),
        "validFrom": str(row[4]),
        "validUntil": str(row[5]),
        "schoolSite": None
        if site is None
        else {"uuid": str(public_id(Kind.SCHOOL_SITE, site))},
    }


def _program(
    row: Any, kinds: list[Any], spoken: list[Any], sessions: list[Any]
) -> dict[str, Any]:
    flags = dict(
        zip(
            ("during_school", "after_school", "summer", "weekends"),
            row[5:9],
            strict=True,
        )
    )
    return {
        "uuid": str(public_id(Kind.PROGRAM, row[0])),
        "slug": row[2],
        "name": row[3],
        "description": row[4],
        "timing": [t.name for t in Timing if flags[t.value]],
        "gradeMin": row[9],
        "gradeMax": row[10],
        "grades": grade_range(row[9], row[10]),
        "free": bool(row[11]),
        "cost": row[12],
        "serviceTypes": kinds,
        "languages": spoken,
        "sessions": sessions,
    }


def _organization(row: Any, categories: list[Any]) -> dict[str, Any]:
    public = not row[11] and row[8]
    address = {"street": row[8], "city": row[9], "postalCode": row[10]}
    return {
        "uuid": str(public_id(Kind.PARTNER, row[0])),
        **dict(zip(("slug", "name", "summary", "description"), row[1:5], strict=True)),
        **dict(zip(("website", "email", "phone"), row[5:8], strict=True)),
        "address": address if public else None,
        "lastVerifiedOn": row[12],
        "categories": categories,
    }


def _term(kind: Kind) -> Callable[[Any], dict[str, Any]]:
    """A row (owner, id, slug, name) of a vocabulary of `kind`, as GraphQL gives it."""
    return lambda r: {"uuid": str(public_id(kind, r[1])), "slug": r[2], "name": r[3]}


async def services(per_page: int) -> bytes:
    """Open Referral's page of services, as /hsds/services?per_page= answers it."""
    day = {"day": district_today().isoformat()}
    rows = await database.execute_fetchall(SERVICES, {**day, "first": per_page})
    [(total,)] = await database.execute_fetchall(SERVICE_COUNT, day)
    ids = [row[0] for row in rows]
    kinds = await _grouped(SERVICE_TYPES, ids, _term(Kind.SERVICE_TYPE))
    spoken = await _grouped(LANGUAGES, ids, lambda r: {"code": r[1], "name": r[2]})
    sessions = await _grouped(SESSIONS, ids, _session)
    owners = list(dict.fromkeys(row[1] for row in rows))
    categories = await _grouped(PARTNER_CATEGORIES, owners, _term(Kind.CATEGORY))
    partners = {
        row[0]: _organization(row, categories[row[0]])
        for row in await database.execute_fetchall(
            ORGANIZATIONS.format(ids=_marks(owners)), owners
        )
    }
    contents = [
        mapping.service(
            _program(row, kinds[row[0]], spoken[row[0]], sessions[row[0]]),
            partners[row[1]],
        )
        for row in rows
    ]
    return encode(hsds.page(hsds.Ask(per_page=per_page), total, contents))


async def hsds_services(request: Request) -> Response:
    per_page = int(request.query_params.get("per_page", "50"))
    return Response(await services(per_page), media_type="application/json")


async def graphql(request: Request) -> Response:
    query = json.loads(await request.body())["query"]
    found = FIRST.search(query)
    return Response(
        await answer(int(found.group(1)) if found else 20),
        media_type="application/graphql-response+json",
    )


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    global database
    path = current().database_url.removeprefix("sqlite://")
    async with aiosqlite.connect(path) as database:
        yield


app = Starlette(
    routes=[
        Route("/graphql", graphql, methods=["POST"]),
        Route("/hsds/services", hsds_services, methods=["GET"]),
    ],
    lifespan=lifespan,
)
