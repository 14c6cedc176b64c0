"""The physical limit for the API benchmark: the canonical query's answer made by
plain SQL (the same listing rule, four statements) and json.dumps, served by the
same server stack. bench/api.py checks its bytes equal the API's before loading it.

    DATABASE_URL=sqlite://... uvicorn bench.raw:app
"""

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from models.clock import district_today
from models.grades import grade_range
from models.program import Timing
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
    routes=[Route("/graphql", graphql, methods=["POST"])], lifespan=lifespan
)
