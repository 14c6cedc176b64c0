"""The Open Referral tabular export: a data package (`datapackage.json`) and one
CSV per HSDS table, made from the same answers as the /hsds/ endpoints (the
public API's queries, for an anonymous caller, on one day), so it holds exactly
what the public sees. Rows are sorted by id and columns are in HSDS's order: the
same data gives the same bytes."""

import csv
import json
import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from api.bounds import read_bounds
from api.context import Context
from api.engine import Engine
from api.hsds import answers, mapping
from api.hsds.answers import Ask, Json
from api.schema import schema
from api.vocabulary import read_vocabulary
from models.listing import Listing
from models.settings import current

PAGE = 20  # partners a query, in full: well inside the public API's cost limit

# HSDS 3.0's tables and their columns (the scalar fields of each object), in the
# specification's order; a column we have no data for is there, empty.
TABLES: dict[str, tuple[str, ...]] = {
    "organizations": (
        "id", "name", "alternate_name", "description", "email", "website",
        "tax_status", "tax_id", "year_incorporated", "legal_status", "logo", "uri",
        "parent_organization_id",
    ),
    "services": (
        "id", "organization_id", "program_id", "name", "alternate_name",
        "description", "url", "email", "status", "interpretation_services",
        "application_process", "fees_description", "wait_time", "fees",
        "accreditations", "eligibility_description", "minimum_age", "maximum_age",
        "assured_date", "assurer_email", "licenses", "alert", "last_modified",
    ),
    "locations": (
        "id", "location_type", "url", "organization_id", "name", "alternate_name",
        "description", "transportation", "latitude", "longitude",
        "external_identifier", "external_identifier_type",
    ),
    "service_at_locations": ("id", "service_id", "location_id", "description"),
    "addresses": (
        "id", "location_id", "attention", "address_1", "address_2", "city",
        "region", "state_province", "postal_code", "country", "address_type",
    ),
    "phones": (
        "id", "location_id", "service_id", "organization_id", "contact_id",
        "service_at_location_id", "number", "extension", "type", "description",
    ),
    "languages": (
        "id", "service_id", "location_id", "phone_id", "name", "code", "note",
    ),
    "schedules": (
        "id", "service_id", "location_id", "service_at_location_id", "valid_from",
        "valid_to", "dtstart", "timezone", "until", "count", "wkst", "freq",
        "interval", "byday", "byweekno", "bymonthday", "byyearday", "description",
        "opens_at", "closes_at", "schedule_link", "attending_type", "notes",
    ),
    "cost_options": (
        "id", "service_id", "valid_from", "valid_to", "option", "currency",
        "amount", "amount_description",
    ),
    "taxonomies": ("id", "name", "description", "uri", "version"),
    "taxonomy_terms": (
        "id", "code", "name", "description", "parent_id", "taxonomy", "language",
        "taxonomy_id", "term_uri",
    ),
    "attributes": (
        "id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value",
    ),
}  # fmt: skip
NUMBERS = {"year_incorporated", "minimum_age", "maximum_age", "latitude", "longitude",
           "amount", "count", "interval", "timezone"}  # fmt: skip


class Tables:
    """Rows by table, each id once."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Json]] = {name: {} for name in TABLES}

    def add(self, table: str, row: Json, **links: str) -> None:
        self.rows[table][row["id"]] = {**row, **links}

    def organization(self, found: Json) -> None:
        self.add("organizations", found)
        for phone in found.get("phones", []):
            self.add("phones", phone)
        for place in found.get("locations", []):
            self.location(place)
        self.attributes(found)
        for offered in found.get("services", []):
            self.service(offered)

    def location(self, place: Json) -> None:
        self.add("locations", place)
        for address in place.get("addresses", []):
            self.add("addresses", address)
        for phone in place.get("phones", []):
            self.add("phones", phone)

    def service(self, offered: Json) -> None:
        self.add("services", offered)
        for table in ("languages", "cost_options", "schedules"):
            for row in offered.get(table, []):
                self.add(table, row)
        self.attributes(offered)
        for link in offered.get("service_at_locations", []):
            self.add("service_at_locations", link)
            for schedule in link.get("schedules", []):
                self.add("schedules", schedule)
            self.location(link["location"])

    def attributes(self, owner: Json) -> None:
        for attribute in owner.get("attributes", []):
            self.add("attributes", attribute)


def _cell(value: Any) -> str:
    if value is None or isinstance(value, list | dict):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _resource(table: str) -> Json:
    fields = [
        {"name": column, "type": "number" if column in NUMBERS else "string"}
        for column in TABLES[table]
    ]
    return {
        "name": table,
        "path": f"{table}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields, "primaryKey": ["id"]},
    }


async def collect(day: date) -> Tables:
    """Every listed partner on `day`, in full, with the taxonomies."""
    engine = Engine.configured(schema)
    context = Context(
        listing=Listing(day),
        bounds=await read_bounds(engine.graphql),
        vocabulary=await read_vocabulary(),
        engine=engine,
    )
    tables = Tables()
    page = 1
    while True:
        found = await answers.organizations(
            context, Ask(page=page, per_page=PAGE, full=True)
        )
        for organization in found["contents"]:
            tables.organization(organization)
        if found["last_page"]:
            break
        page += 1
    for key in mapping.TAXONOMY_KEYS:
        tables.add("taxonomies", mapping.taxonomy(key))
    for term in answers.terms(await answers.vocabulary(context)):
        tables.add("taxonomy_terms", term)
    return tables


def write(
    tables: Tables,
    out: Path,
    day: date,
    guard: Callable[[str], str] | None = None,
) -> dict[str, int]:
    """The data package in `out` (made if missing); returns rows per table.
    `guard` makes each cell's text safe to open in a spreadsheet: `partners
    export` passes the office export's own (spreadsheet.exporter.guarded, which
    this package may not import)."""
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table, columns in TABLES.items():
        rows = [tables.rows[table][key] for key in sorted(tables.rows[table])]
        _atomic(out / f"{table}.csv", _csv(columns, rows, guard or str))
        counts[table] = len(rows)
    package = {
        "name": "community-partners",
        "title": f"{current().district_name}: community partners",
        "description": "The district's publicly listed community partners on "
        f"{day.isoformat()}, in Open Referral HSDS {mapping.HSDS_VERSION} tabular "
        "form.",
        "profile": "tabular-data-package",
        "version": mapping.HSDS_VERSION,
        "created": day.isoformat(),
        "resources": [_resource(table) for table in TABLES],
    }
    text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    _atomic(out / "datapackage.json", text)
    return counts


def _csv(columns: Iterable[str], rows: list[Json], guard: Callable[[str], str]) -> str:
    from io import StringIO

    buffer = StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([guard(_cell(row.get(column))) for column in columns])
    return buffer.getvalue()


def _atomic(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
