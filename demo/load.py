"""Demo data: an invented district with its schools and partners, written in one
transaction so the API and the directory have something believable to show."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from pypika_tortoise.queries import Table
from pypika_tortoise.terms import Parameter
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model
from tortoise.transactions import in_transaction

from demo.district import Batch, District
from demo.text import APPROVED_REASONS, OFFICE_STAFF, SUPPORT
from models.agreement import Agreement
from models.audit import AuditEntry
from models.changes import record_listing
from models.clock import district_today
from models.listing import Listing
from models.partner import Partner, PartnerStatus
from models.program import Program
from models.school import SchoolSite
from models.session import Session
from models.support import SupportKind, SupportRecord
from models.taxonomy import Category, Language, ServiceType

# Partners are generated and written this many at a time, and progress is reported
# after each batch.
BATCH = 500
# Parents before children, so foreign keys always point at rows already written.
TABLES: tuple[type[Model], ...] = (
    Category,
    ServiceType,
    Language,
    SchoolSite,
    Partner,
    Program,
    Session,
    Agreement,
)
# (model, many-to-many field): the link tables, filled without reading rows back.
LINKS: tuple[tuple[type[Model], str], ...] = (
    (Partner, "categories"),
    (Program, "service_types"),
    (Program, "sites"),
    (Program, "languages"),
)


class Link(NamedTuple):
    """A many-to-many field's link table and its two columns."""

    through: str
    backward_key: str
    forward_key: str


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind the demo wrote, and how many partners are listed."""

    categories: int
    service_types: int
    languages: int
    school_sites: int
    partners: int
    programs: int
    sessions: int
    agreements: int
    listed: int


class DatabaseNotEmpty(Exception):
    """The database already holds records, and the demo was not told to replace them."""


async def load_demo(
    partners: int = 200,
    seed: int = 1,
    replace: bool = False,
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
) -> DemoSummary:
    """Fill the open database with a fictional district: the same seed always gives
    the same rows, and agreement dates and session terms are relative to `today`.
    All or nothing."""
    if partners < 0:
        raise ValueError(f"partners must be zero or more, got {partners}")
    day = today or district_today()
    district = District(seed, day)
    base = district.taxonomy_and_schools()
    written_partners = written_programs = written_sessions = written_agreements = 0
    async with in_transaction() as connection:
        if replace:
            await _delete_everything(connection)
        else:
            await _refuse_if_not_empty(connection)
        await _write(connection, base, day)
        for start in range(0, partners, BATCH):
            batch = district.partners(
                range(start + 1, min(start + BATCH, partners) + 1)
            )
            await _write(connection, batch, day)
            written_partners += len(batch.partners)
            written_programs += len(batch.programs)
            written_sessions += len(batch.sessions)
            written_agreements += len(batch.agreements)
            if progress:
                progress(written_partners, partners)
        if progress and not partners:
            progress(0, 0)
        if connection.capabilities.dialect == "postgres":
            await _reset_sequences(connection)
        listed = await Listing(day).partners().using_db(connection).count()
        # Every write leaves an audit entry; caches of public answers key on them.
        await AuditEntry.create(
            actor="partners demo",
            action="demo.load",
            entity="Database",
            entity_key="demo",
            changes={"partners": [None, written_partners]},
            reason=f"seed {seed}" + (", replacing every record" if replace else ""),
            using_db=connection,
        )
    await record_listing(Listing(day))  # the change log, as every write keeps it
    return DemoSummary(
        categories=len(base.categories),
        service_types=len(base.service_types),
        languages=len(base.languages),
        school_sites=len(base.sites),
        partners=written_partners,
        programs=written_programs,
        sessions=written_sessions,
        agreements=written_agreements,
        listed=listed,
    )


async def _refuse_if_not_empty(connection: BaseDBAsyncClient) -> None:
    found = []
    models: tuple[type[Model], ...] = (*TABLES, SupportRecord)
    for model in models:
        if count := await model.all().using_db(connection).count():
            found.append(f"{count:,} {_table(model).replace('_', ' ')} rows")
    if found:
        raise DatabaseNotEmpty(
            f"The database already has records ({', '.join(found)}). Pass"
            " replace=True (--replace on the command line) to delete them all and"
            " load the demo data in their place."
        )


async def _delete_everything(connection: BaseDBAsyncClient) -> None:
    await SupportRecord.all().using_db(connection).delete()
    for model, field in LINKS:
        through = Table(_link_field(model, field).through)
        await connection.execute_query(
            str(connection.query_class.from_(through).delete())
        )
    for model in reversed(TABLES):
        await model.all().using_db(connection).delete()


async def _write(connection: BaseDBAsyncClient, batch: Batch, day: date) -> None:
    rows: Sequence[Sequence[Model]] = (
        batch.categories,
        batch.service_types,
        batch.languages,
        batch.sites,
        batch.partners,
        batch.programs,
        batch.sessions,
        batch.agreements,
    )
    for partner in batch.partners:  # every decided status has its reason
        if partner.status is not PartnerStatus.APPLIED and not partner.status_reason:
            partner.status_reason = APPROVED_REASONS[partner.id % len(APPROVED_REASONS)]
    for model, objects in zip(TABLES, rows, strict=True):
        if objects:
            await model.bulk_create(objects, batch_size=1000, using_db=connection)
    # Who decided each partner's status, and why, as the office would have it.
    decisions = [
        AuditEntry(
            actor="partners demo",
            action="partner.status",
            entity="Partner",
            entity_key=partner.slug,
            partner_key=partner.id,
            changes={"status": [None, partner.status.value]},
            reason=partner.status_reason,
        )
        for partner in batch.partners
        if partner.status is not PartnerStatus.APPLIED
    ]
    await AuditEntry.bulk_create(decisions, batch_size=1000, using_db=connection)
    await _support(connection, batch, day)
    links = (
        batch.partner_categories,
        batch.program_service_types,
        batch.program_sites,
        batch.program_languages,
    )
    for (model, field), pairs in zip(LINKS, links, strict=True):
        if pairs:
            await _insert_links(connection, _link_field(model, field), pairs)


async def _support(connection: BaseDBAsyncClient, batch: Batch, day: date) -> None:
    """Evaluation training and technical assistance for half the approved
    partners, as the office would have recorded them (with their history)."""
    records = []
    for partner in batch.partners:
        if partner.status is not PartnerStatus.APPROVED or partner.id % 2:
            continue
        for step in range(1 + partner.id % 3):
            kind, topic = SUPPORT[(partner.id + step) % len(SUPPORT)]
            records.append(
                SupportRecord(
                    partner_id=partner.id,
                    kind=SupportKind(kind),
                    held_on=day
                    - timedelta(days=20 + (partner.id * 37 + step * 90) % 330),
                    topic=topic,
                    staff=OFFICE_STAFF[(partner.id + step) % len(OFFICE_STAFF)],
                )
            )
    await SupportRecord.bulk_create(records, batch_size=1000, using_db=connection)
    entries = [
        AuditEntry(
            actor="partners demo",
            action="support.record",
            entity="SupportRecord",
            entity_key=f"{r.kind.value} {r.held_on.isoformat()}",
            partner_key=r.partner_id,
            changes={"topic": [None, r.topic], "staff": [None, r.staff]},
        )
        for r in records
    ]
    await AuditEntry.bulk_create(entries, batch_size=1000, using_db=connection)


def _table(model: type[Model]) -> str:
    table: str = model.describe(serializable=True)["table"]
    return table


def _link_field(model: type[Model], name: str) -> Link:
    """The link table of `model`'s many-to-many field `name`, as Tortoise
    describes it."""
    for field in model.describe(serializable=True)["m2m_fields"]:
        if field["name"] == name:
            return Link(field["through"], field["backward_key"], field["forward_key"])
    raise KeyError(f"{model.__name__} has no many-to-many field {name!r}")


async def _insert_links(
    connection: BaseDBAsyncClient,
    field: Link,
    pairs: list[tuple[int, int]],
) -> None:
    # The link tables have no model to bulk_create with; the column names come from
    # the field, as Tortoise's own ManyToManyRelation.add() does.
    query = (
        connection.query_class.into(Table(field.through))
        .columns(field.backward_key, field.forward_key)
        .insert(Parameter(idx=1), Parameter(idx=2))
    )
    await connection.execute_many(str(query), [list(pair) for pair in pairs])


async def _reset_sequences(connection: BaseDBAsyncClient) -> None:
    # Rows were written with explicit ids, which PostgreSQL's id sequences do not
    # see; move each sequence past the largest id so later inserts don't collide.
    for model in TABLES:
        table = _table(model)
        await connection.execute_query(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f' COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "{table}"'
        )
