"""The Open Referral HSDS 3.0 API under /hsds/, its tabular export, and the
listing's change log: answers checked against the specification's own schemas,
paging, parameters, the listing rule, confidentiality, modified_after, caching,
and a mirror that follows the change log through writes, an import and a lapse."""

import csv
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tortoise.context import TortoiseContext

import models as m
import spreadsheet
from api.app import create_app
from api.hsds import tabular
from api.hsds.ids import derived
from models.changes import ListedPartner
from models.public_ids import Kind, public_id
from tests.district import LISTED, UNLISTED
from tests.gql import query
from tests.hsds_schemas import (
    metadata_problems,
    page_problems,
    problems,
    properties,
    required,
)
from tests.properties import examples

PARTNERS = "{ partners(first: 100) { edges { node { uuid slug } } } }"
LISTS = {
    "organizations": "organization.json",
    "services": "service.json",
    "service_at_locations": "service_at_location.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}


async def get(client: httpx.AsyncClient, path: str, status: int = 200) -> Any:
    response = await client.get(f"/hsds{path}")
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


async def ids(client: httpx.AsyncClient, token: str | None = None) -> dict[str, str]:
    """Listed partners' slugs by their uuid, from the public GraphQL API (as staff
    with `token`: never a cached answer)."""
    edges = (await query(client, PARTNERS, token))["partners"]["edges"]
    return {e["node"]["uuid"]: e["node"]["slug"] for e in edges}


async def test_metadata_follows_the_openapi_description(
    client: httpx.AsyncClient, district: date
) -> None:
    found = await get(client, "/")
    assert metadata_problems(found) == []
    assert found["version"] == "3.0"


@pytest.mark.parametrize("kind", LISTS)
@pytest.mark.parametrize("full", ["false", "true"])
async def test_every_list_and_item_validates(
    client: httpx.AsyncClient, district: date, kind: str, full: str
) -> None:
    extra = f"&full={full}" if kind not in ("taxonomies", "taxonomy_terms") else ""
    found = await get(client, f"/{kind}?per_page=100{extra}")
    assert page_problems(found, LISTS[kind]) == []
    assert found["contents"], kind
    for item in found["contents"]:
        one = await get(client, f"/{kind}/{item['id']}")
        assert problems(LISTS[kind], one) == [], (kind, item["id"])


async def test_organizations_are_exactly_the_listed_partners(
    client: httpx.AsyncClient, district: date
) -> None:
    listed = await ids(client)
    assert sorted(listed.values()) == sorted(LISTED)
    found = await get(client, "/organizations?full=true")
    assert {o["id"] for o in found["contents"]} == set(listed)
    assert found["total_items"] == len(LISTED)
    services = await get(client, "/services?per_page=100")
    assert {s["organization_id"] for s in services["contents"]} == set(listed)
    for slug in UNLISTED:
        partner = await m.Partner.get(slug=slug)
        hidden = public_id(Kind.PARTNER, partner.id)
        await get(client, f"/organizations/{hidden}", 404)
        page = await get(client, f"/services?organization_id={hidden}")
        assert page["contents"] == [] and page["total_items"] == 0


async def test_nothing_staff_only_leaves(
    client: httpx.AsyncClient, district: date
) -> None:
    await m.Partner.filter(slug__in=LISTED).update(
        internal_notes="SECRET-NOTE", status_reason="SECRET-REASON"
    )
    await m.Partner.filter(slug="harbor-counseling").update(street="77 Hidden Way")
    everything = []
    for kind in ("organizations", "services", "service_at_locations"):
        page = await get(client, f"/{kind}?full=true&per_page=100")
        everything.append(json.dumps(page))
        for item in page["contents"]:
            everything.append(json.dumps(await get(client, f"/{kind}/{item['id']}")))
    text = "\n".join(everything)
    for secret in ("SECRET-NOTE", "SECRET-REASON", "77 Hidden Way", "agreement"):
        assert secret not in text
    harbor = next(u for u, s in (await ids(client)).items() if s == "harbor-counseling")
    organization = await get(client, f"/organizations/{harbor}")
    assert organization["locations"] == []


async def test_paging_edges(client: httpx.AsyncClient, district: date) -> None:
    first = await get(client, "/service_at_locations?per_page=2")
    total = first["total_items"]
    assert total == 6  # the listed programs' school sites: 1 + 2 + 1 + 2
    assert (first["page_number"], first["size"], first["total_pages"]) == (1, 2, 3)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    pages = [first] + [
        await get(client, f"/service_at_locations?per_page=2&page={n}") for n in (2, 3)
    ]
    seen = [item["id"] for page in pages for item in page["contents"]]
    assert len(seen) == len(set(seen)) == total
    assert pages[2]["last_page"]
    beyond = await get(client, "/service_at_locations?per_page=2&page=4")
    assert beyond["empty"] and beyond["contents"] == [] and beyond["total_items"] == 6
    assert page_problems(beyond, "service_at_location.json") == []


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/services?page=0", "page"),
        ("/services?page=two", "page"),
        ("/services?per_page=101", "per_page"),
        ("/services?per_page=-1", "per_page"),
        ("/services?full=maybe", "full"),
        ("/services?full=true&minimal=true", "minimal"),
        ("/services?organization_id=42", "organization_id"),
        ("/services?taxonomy_term_id=tutoring", "taxonomy_term_id"),
        ("/services?modified_after=yesterday", "modified_after"),
        ("/services?search=" + "x" * 201, "search"),
        ("/services?format=xml", "format"),
        ("/services?postcode=55401", "postcode"),
        ("/services?page=1&page=2", "page"),
        ("/taxonomies?organization_id=x", "organization_id"),
        ("/organizations/not-a-uuid", "id"),
        ("/changes?after=nonsense", "after"),
    ],
)
async def test_bad_parameters_get_a_400_that_names_them(
    client: httpx.AsyncClient, district: date, path: str, parameter: str
) -> None:
    found = await get(client, path, 400)
    assert found["parameter"] == parameter
    assert parameter in found["message"]


async def test_filters(client: httpx.AsyncClient, district: date) -> None:
    terms = (await get(client, "/taxonomy_terms?per_page=100"))["contents"]
    tutoring = next(t for t in terms if t["code"] == "tutoring")
    found = await get(client, f"/services?taxonomy_term_id={tutoring['id']}")
    names = sorted(s["name"] for s in found["contents"])
    assert names == ["Homework Club", "Mentoring Circle"]
    category = next(t for t in terms if t["code"] == "mental-health")
    assert category["taxonomy_id"] != tutoring["taxonomy_id"]
    found = await get(client, f"/organizations?taxonomy_term_id={category['id']}")
    assert [o["name"] for o in found["contents"]] == ["Harbor Counseling"]
    stranger = "00000000-0000-4000-8000-000000000000"
    for path in (
        f"/services?taxonomy_term_id={stranger}",
        f"/services?taxonomy_id={stranger}",
    ):
        assert (await get(client, path))["total_items"] == 0
    both = f"taxonomy_term_id={tutoring['id']}&taxonomy_id={tutoring['taxonomy_id']}"
    assert (await get(client, f"/services?{both}"))["total_items"] == 2
    other = f"taxonomy_term_id={tutoring['id']}&taxonomy_id={category['taxonomy_id']}"
    assert (await get(client, f"/services?{other}"))["total_items"] == 0
    every = await get(client, f"/services?taxonomy_id={tutoring['taxonomy_id']}")
    assert every["total_items"] == 4  # every listed program has a service type
    only = await get(client, f"/taxonomy_terms?taxonomy_id={tutoring['taxonomy_id']}")
    assert {t["taxonomy_id"] for t in only["contents"]} == {tutoring["taxonomy_id"]}
    assert only["total_items"] == 4
    found = await get(client, "/services?search=homework")
    assert [s["name"] for s in found["contents"]] == ["Homework Club"]
    minimal = await get(client, "/services?minimal=true")
    assert all(set(s) == {"id", "name", "status"} for s in minimal["contents"])


async def test_modified_after_finds_what_changed(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    await m.record_listing(m.Listing(district))  # as a build or a write does
    await m.ListingChange.all().update(at=datetime(2000, 1, 1, tzinfo=UTC))
    await ListedPartner.all().update(
        since=datetime(2000, 1, 1, tzinfo=UTC),
        modified=datetime(2000, 1, 1, tzinfo=UTC),
    )
    assert (await get(client, "/organizations?modified_after=2020-01-01T00:00:00Z"))[
        "contents"
    ] == []
    await query(
        client,
        'mutation { updatePartner(slug: "city-arts", input: {summary: "New words."})'
        " { record { slug } } }",
        tokens["editor"],
    )
    found = await get(client, "/organizations?modified_after=2020-01-01T00:00:00Z")
    assert [o["name"] for o in found["contents"]] == ["City Arts Collective"]
    services = await get(client, "/services?modified_after=2020-01-01")
    assert [s["name"] for s in services["contents"]] == ["Saturday Studio"]


async def test_answers_are_cached_with_etags_until_a_write(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    first = await client.get("/hsds/services")
    etag = first.headers["etag"]
    again = await client.get("/hsds/services", headers={"if-none-match": etag})
    assert again.status_code == 304
    await query(
        client,
        'mutation { updatePartner(slug: "city-arts", input: {name: "City Arts"})'
        " { record { slug } } }",
        tokens["editor"],
    )
    after = await client.get("/hsds/services", headers={"if-none-match": etag})
    assert after.status_code == 200 and "City Arts" in after.text
    assert after.headers["etag"] != etag


class Mirror:
    """A 211's copy of the listing, kept by the change log alone."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.cursor: str | None = None
        self.held: dict[str, str] = {}  # uuid: name

    async def sync(self) -> None:
        while True:
            path = "/changes?per_page=3" + (
                f"&after={self.cursor}" if self.cursor else ""
            )
            log = await get(self.client, path)
            for change in log["contents"]:
                key = change["organization_id"]
                if change["change"] == "removed":
                    del self.held[key]
                else:
                    self.held[key] = (await get(self.client, f"/organizations/{key}"))[
                        "name"
                    ]
            self.cursor = log["cursor"]
            if not log["has_more"]:
                return


@pytest.fixture
async def clock_client(
    db: TortoiseContext, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, date]]]:
    from tests.district import DAY, build_district

    await build_district(DAY)
    clock = {"day": DAY}
    app = create_app(site_dir=str(tmp_path / "no-site"), today=lambda: clock["day"])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c, clock


async def test_a_mirror_that_follows_the_change_log_stays_exact(
    clock_client: tuple[httpx.AsyncClient, dict[str, date]],
    tokens: dict[str, str],
    tmp_path: Path,
) -> None:
    client, clock = clock_client
    mirror = Mirror(client)

    async def in_step() -> None:
        await mirror.sync()
        # As staff: never a cached answer (the import wrote behind the API's back).
        listed = "{ partners(first: 100) { edges { node { uuid name } } } }"
        edges = (await query(client, listed, tokens["viewer"]))["partners"]["edges"]
        assert mirror.held == {e["node"]["uuid"]: e["node"]["name"] for e in edges}

    await in_step()
    assert len(mirror.held) == len(LISTED)
    # Writes: a rename, a suspension, an approval.
    editor = tokens["editor"]
    await query(
        client,
        'mutation { updatePartner(slug: "city-arts", input: {name: "Arts Together"})'
        " { record { slug } } }",
        editor,
    )
    for slug, status in (("mentor-match", "SUSPENDED"), ("applied-org", "APPROVED")):
        await query(
            client,
            "mutation S($slug: String!, $status: PartnerStatus!) {"
            ' setPartnerStatus(slug: $slug, status: $status, reason: "Board vote")'
            " { record { slug } } }",
            editor,
            slug=slug,
            status=status,
        )
    await in_step()
    assert "Arts Together" in mirror.held.values()
    # An import: the spreadsheet renames a partner and approves another.
    sheet = tmp_path / "partners.csv"
    await spreadsheet.export(sheet)
    with sheet.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["slug"] == "harbor-counseling":
            row["name"] = "Harbor Counseling Center"
        if row["slug"] == "inactive-org":
            row["status"] = "approved"
            row["status_reason"] = "Reopened for the spring term"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    await spreadsheet.apply(spreadsheet.read(sheet, today=clock["day"]), "office")
    await m.record_listing(m.Listing(clock["day"]))  # as `partners import` does
    await in_step()
    assert "Harbor Counseling Center" in mirror.held.values()
    # A lapse: bright-minds' contract covers only the first day. The publisher
    # records it when the day turns (reads never write).
    clock["day"] += timedelta(days=1)
    await m.record_listing(m.Listing(clock["day"]))
    await in_step()
    assert "Bright Minds Tutoring" not in mirror.held.values()
    log = (await get(client, "/changes?per_page=1000"))["contents"]
    lapse = [c for c in log if c["day"] == clock["day"].isoformat()]
    # bright-minds' contract ended; future-contract's began
    assert sorted(c["change"] for c in lapse) == ["added", "removed"]
    # Dated by the district's midnight, not by when they were seen.
    assert lapse[0]["at"].startswith(f"{clock['day'].isoformat()}T05:00:00")
    # And back: a reader of an earlier day sees the partner again, as added.
    clock["day"] -= timedelta(days=1)
    await m.record_listing(m.Listing(clock["day"]))
    await in_step()


async def test_the_change_log_in_graphql(
    client: httpx.AsyncClient, district: date
) -> None:
    found = await query(
        client,
        "{ listingChanges(first: 2) { cursor hasMore changes { kind partnerId } } }",
    )
    log = found["listingChanges"]
    assert log["hasMore"] and [c["kind"] for c in log["changes"]] == ["ADDED"] * 2
    rest = await query(
        client,
        "query R($after: String) { listingChanges(after: $after, first: 100) {"
        " hasMore changes { partnerId } } }",
        after=log["cursor"],
    )
    seen = {c["partnerId"] for c in log["changes"]} | {
        c["partnerId"] for c in rest["listingChanges"]["changes"]
    }
    assert seen == set(await ids(client)) and not rest["listingChanges"]["hasMore"]


async def test_the_tabular_export(district: date, tmp_path: Path) -> None:
    out = tmp_path / "hsds"
    counts = tabular.write(await tabular.collect(district), out, district)
    assert counts["organizations"] == len(LISTED)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    tabular.write(await tabular.collect(district), out, district)
    assert first == {p.name: p.read_bytes() for p in out.iterdir()}  # deterministic
    package = json.loads((out / "datapackage.json").read_text())
    entity = {
        "organizations": "organization.json",
        "services": "service.json",
        "locations": "location.json",
        "service_at_locations": "service_at_location.json",
        "addresses": "address.json",
        "phones": "phone.json",
        "languages": "language.json",
        "schedules": "schedule.json",
        "cost_options": "cost_option.json",
        "taxonomies": "taxonomy.json",
        "taxonomy_terms": "taxonomy_term.json",
        "attributes": "attribute.json",
    }
    assert [r["name"] for r in package["resources"]] == list(entity)
    ids_by_table: dict[str, set[str]] = {}
    for resource in package["resources"]:
        official = properties(entity[resource["name"]])
        scalar = [
            n
            for n, p in official.items()
            if p.get("type") != "array"
            and "$ref" not in p
            and p.get("type") != "object"
        ]
        columns = [f["name"] for f in resource["schema"]["fields"]]
        assert columns == scalar, resource["name"]
        with (out / resource["path"]).open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            missing = [c for c in required(entity[resource["name"]]) if not row.get(c)]
            assert missing == [], (resource["name"], missing)
        ids_by_table[resource["name"]] = {row["id"] for row in rows}
    with (out / "services.csv").open(newline="", encoding="utf-8") as handle:
        services = list(csv.DictReader(handle))
    assert {s["organization_id"] for s in services} <= ids_by_table["organizations"]
    text = "".join(p.read_text() for p in out.iterdir())
    assert "1 Main St" in text  # public addresses are there
    harbor = await m.Partner.get(slug="harbor-counseling")
    assert harbor.name in text and "Tutoring for everyone" not in text


def test_the_official_schemas_catch_a_broken_answer() -> None:
    """The checks above can fail: a service with a bad id, status and url."""
    broken = {"id": "7", "status": "open", "url": "not a uri"}
    found = problems("service.json", broken)
    assert any("'uuid'" in p for p in found)
    assert any("'name' is a required property" in p for p in found)
    assert any("'open' is not one of" in p for p in found)
    assert page_problems({"total_items": "3", "contents": []}, "service.json")


def test_public_ids_are_stable_uuids_that_read_back() -> None:
    from uuid import UUID

    from models.public_ids import key_of, link_key, link_of

    made = public_id(Kind.PARTNER, 42)
    assert made == public_id(Kind.PARTNER, 42) and made.version == 8
    assert key_of(Kind.PARTNER, str(made)) == 42
    assert key_of(Kind.PROGRAM, str(made)) is None  # another kind's id
    assert key_of(Kind.PARTNER, str(UUID(int=made.int ^ 1 << 100))) is None
    assert key_of(Kind.PARTNER, "not a uuid") is None
    assert link_of(link_key(7, 3)) == (7, 3)


async def test_a_renamed_slug_keeps_its_id(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    before = {s: u for u, s in (await ids(client)).items()}
    await m.Partner.filter(slug="city-arts").update(slug="arts-collective")
    after = {s: u for u, s in (await ids(client, tokens["viewer"])).items()}
    assert after["arts-collective"] == before["city-arts"]


@examples(300)
@given(st.uuids(), st.text(st.characters(exclude_categories=["Cs"])))
def test_derived_ids_are_version_5_uuids_of_their_owner(
    owner: uuid.UUID, what: str
) -> None:
    """The ids of what a record has (its address, phone, schedules) are RFC 9562
    name-based ids, as the uuid module makes them, worked out faster."""
    assert derived(str(owner), what) == str(uuid.uuid5(owner, what))
