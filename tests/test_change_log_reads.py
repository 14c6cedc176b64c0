"""Reading the listing's change log never writes: right after a write, while
another writer holds the database, `/hsds/changes`, `modified_after` and their
GraphQL fields answer at once, and correctly."""

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg  # no stubs
import httpx

import models as m
from api.app import create_app
from models.changes import ListedPartner
from models.db import database
from models.public_ids import Kind, public_id
from tests.district import DAY, build_district
from tests.gql import query

CHANGES = "{ listingChanges(first: 1000) { changes { kind partnerId } } }"
CHANGED = """query C($since: DateTime!) {
  partners(filter: {modifiedAfter: $since}) { edges { node { slug } } }
}"""


@asynccontextmanager
async def writer_holding(url: str) -> AsyncIterator[None]:
    """Another connection in the middle of a write, as a long import is: SQLite's
    one write lock taken; on PostgreSQL, the change log's tables locked against
    any write (reads go on)."""
    if url.startswith("sqlite"):
        holder = sqlite3.connect(url.removeprefix("sqlite://"))
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.rollback()
            holder.close()
        return
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://"))
    try:
        async with connection.transaction():
            await connection.execute(
                "LOCK TABLE listing_record, listed_partner, listing_change "
                "IN EXCLUSIVE MODE"
            )
            yield
    finally:
        await connection.close()


async def get(client: httpx.AsyncClient, path: str) -> Any:
    response = await client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


async def test_change_log_reads_after_a_write_do_not_wait_for_another_writer(
    migrated_url: str, tmp_path: Path
) -> None:
    async with database(migrated_url):
        await build_district(DAY)
        await m.record_listing(m.Listing(DAY))  # as the publisher does
        await ListedPartner.all().update(modified=datetime(2000, 1, 1, tzinfo=UTC))
        secret = m.new_token()
        await m.StaffToken.create(
            name="editor-token", role=m.Role.EDITOR, token_hash=m.hash_token(secret)
        )
        app = create_app(
            database_url=migrated_url,
            site_dir=str(tmp_path / "no-site"),
            today=lambda: DAY,
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            await query(
                c,
                'mutation { updatePartner(slug: "city-arts", input: '
                '{summary: "Murals with the whole block"}) { record { slug } } }',
                secret,
            )
            row = await m.Partner.get(slug="city-arts")
            city_arts = str(public_id(Kind.PARTNER, row.id))
            since = "2020-01-01T00:00:00Z"
            async with writer_holding(migrated_url):
                log = (await get(c, "/hsds/changes?per_page=1000"))["contents"]
                assert log[-1]["organization_id"] == city_arts
                assert log[-1]["change"] == "updated"
                changed = await get(c, f"/hsds/organizations?modified_after={since}")
                assert [o["id"] for o in changed["contents"]] == [city_arts]
                found = (await query(c, CHANGES))["listingChanges"]["changes"]
                assert found[-1] == {"kind": "UPDATED", "partnerId": city_arts}
                edges = (await query(c, CHANGED, since=since))["partners"]["edges"]
                assert [e["node"]["slug"] for e in edges] == ["city-arts"]
