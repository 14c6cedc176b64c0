"""The tables: models and migrations agree, and migrations make a usable
database."""

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

import models as m
from demo import load_demo
from models.db import (
    MIGRATIONS,
    applied_migrations,
    database,
    migrate,
    tortoise_config,
)
from tests.district import DAY


async def test_migrations_match_the_models(db: TortoiseContext) -> None:
    config = tortoise_config("sqlite://:memory:")
    assert db.apps is not None
    detector = MigrationAutodetector(db.apps, config["apps"])
    writers = await detector.changes()
    pending = [op for writer in writers for op in writer.operations]
    assert pending == [], "models changed: run `make migrations` and commit them"


async def test_migrations_create_a_database_the_models_can_use(
    migrated_url: str,
) -> None:
    await migrate(migrated_url)  # a second run has nothing to do
    async with database(migrated_url):
        assert await applied_migrations() == MIGRATIONS
        summary = await load_demo(partners=20, seed=2, today=DAY)
        assert await m.Listing(DAY).partners().count() == summary.listed > 0


async def test_link_tables_are_read_from_either_side_through_an_index(
    migrated_url: str,
) -> None:
    # migration 0003 indexes each link table from its second column: a school's
    # programs, a category's partners (the listing rule reads those)
    async with database(migrated_url) as ctx:
        connection = ctx.connections.get("default")
        if not migrated_url.startswith("sqlite"):
            rows = await connection.execute_query_dict(
                "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'idx_%_reverse'"
            )
            assert {row["indexname"] for row in rows} == {
                f"idx_{table}_reverse"
                for table in ("partner_category", "program_service_type")
                + ("program_site", "program_language")
            }
            return
        for query, index in [
            (
                m.SchoolSite.filter(id=1).values_list("programs__partner_id"),
                "idx_program_site_reverse",
            ),
            (
                m.Listing(DAY).partners().values_list("id"),
                "idx_partner_category_reverse",
            ),
        ]:
            sql = query.sql()
            plan = await connection.execute_query_dict(
                f"EXPLAIN QUERY PLAN {sql}", [1] * sql.count("?")
            )
            assert any(index in row["detail"] for row in plan), plan


def test_no_model_docstring_has_a_semicolon() -> None:
    """Tortoise writes a model's docstring into its table's comment, and its
    SQLite migrations split statements at every ';' (a migration then fails with
    a syntax error): keep them out."""
    from tortoise.models import Model

    import models as m

    found = [
        name
        for name in dir(m)
        if isinstance(kind := getattr(m, name), type)
        and issubclass(kind, Model)
        and ";" in (kind.__doc__ or "")
    ]
    assert found == []
