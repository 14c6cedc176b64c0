from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.schema import schema
from demo import load_demo
from directory_site.build import build
from directory_site.pages import Site
from tests.conftest import StatementLog
from tests.district import DAY, LISTED, UNLISTED
from tests.gql import error_messages, post, query

PARTNERS = """
query Partners($filter: PartnerFilter, $first: Int, $after: String) {
  partners(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { slug name } }
  }
}
"""


async def slugs(client: httpx.AsyncClient, **filter: Any) -> list[str]:
    data = await query(client, PARTNERS, filter=filter, first=100)
    return [edge["node"]["slug"] for edge in data["partners"]["edges"]]


async def test_partners_lists_only_listed_partners_by_name(
    client: httpx.AsyncClient, district: date
) -> None:
    data = await query(client, PARTNERS)
    names = [e["node"]["name"] for e in data["partners"]["edges"]]
    assert names == [
        "Bright Minds Tutoring",
        "City Arts Collective",
        "Harbor Counseling",
        "Mentor Match",
    ]
    assert data["partners"]["totalCount"] == len(LISTED)


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        ({"search": "tutoring"}, ["bright-minds"]),
        ({"search": "HOMEWORK small"}, ["bright-minds"]),
        ({"search": "homework nothing-like-this"}, []),
        ({"search": "   "}, LISTED),
        ({"search": "%"}, []),
        ({"categories": ["contracted-partner"]}, ["bright-minds", "mentor-match"]),
        (
            {"categories": ["mental-health", "community-education"]},
            ["city-arts", "harbor-counseling"],
        ),
        ({"serviceTypes": ["tutoring"]}, ["bright-minds", "mentor-match"]),
        (
            {"serviceTypes": ["arts", "mental-health"]},
            ["city-arts", "harbor-counseling"],
        ),
        ({"schoolSites": ["cedar-elementary"]}, ["bright-minds", "mentor-match"]),
        ({"schoolSites": ["north-high"]}, ["city-arts", "harbor-counseling"]),
        ({"grade": 2}, ["bright-minds"]),
        ({"grade": 7}, ["harbor-counseling", "mentor-match"]),
        ({"grade": 0}, []),
        ({"languages": ["so"]}, ["harbor-counseling"]),
        ({"languages": ["es"]}, ["bright-minds", "mentor-match"]),
        ({"timing": ["AFTER_SCHOOL"]}, ["bright-minds", "mentor-match"]),
        ({"timing": ["SUMMER", "DURING_SCHOOL"]}, ["city-arts", "harbor-counseling"]),
        ({"free": True}, ["bright-minds", "harbor-counseling", "mentor-match"]),
        ({"free": False}, ["city-arts"]),
        (
            {"serviceTypes": ["tutoring"], "schoolSites": ["lake-middle"]},
            ["mentor-match"],
        ),
        ({"categories": ["contracted-partner"], "languages": ["en"]}, ["bright-minds"]),
        # program conditions hold for one program: no program is arts at cedar
        ({"serviceTypes": ["arts"], "schoolSites": ["cedar-elementary"]}, []),
        ({"serviceTypes": ["no-such-service"]}, []),
    ],
)
async def test_filters(
    client: httpx.AsyncClient,
    district: date,
    filter: dict[str, Any],
    expected: list[str],
) -> None:
    assert sorted(await slugs(client, **filter)) == sorted(expected)


async def test_filters_never_reach_unlisted_partners(
    client: httpx.AsyncClient, district: date
) -> None:
    found = await slugs(client, serviceTypes=["tutoring", "mentoring", "arts"])
    assert not set(found) & set(UNLISTED)


async def test_bad_grade_is_a_clear_error(
    client: httpx.AsyncClient, district: date
) -> None:
    answer = await post(client, PARTNERS, filter={"grade": 13})
    assert error_messages(answer) == ["grade must be between -1 (pre-K) and 12, got 13"]
    assert answer["errors"][0]["extensions"]["argument"] == "filter.grade"


async def test_pages_walk_every_partner_once_in_order(
    client: httpx.AsyncClient, district: date
) -> None:
    first = (await query(client, PARTNERS, first=3))["partners"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert first["totalCount"] == 4
    last = (
        await query(client, PARTNERS, first=3, after=first["pageInfo"]["endCursor"])
    )["partners"]
    assert last["pageInfo"]["hasNextPage"] is False
    assert last["pageInfo"]["hasPreviousPage"] is True
    assert last["totalCount"] == 4
    walked = [e["node"]["slug"] for e in first["edges"] + last["edges"]]
    assert walked == await slugs(client)
    assert len(set(walked)) == 4


async def test_a_page_past_the_end_is_empty(
    client: httpx.AsyncClient, district: date
) -> None:
    everything = (await query(client, PARTNERS, first=4))["partners"]
    beyond = (await query(client, PARTNERS, after=everything["pageInfo"]["endCursor"]))[
        "partners"
    ]
    assert beyond["edges"] == []
    assert beyond["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "startCursor": None,
        "endCursor": None,
    }


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"first": 0}, "first must be between 1 and 100, got 0"),
        ({"first": 101}, "first must be between 1 and 100, got 101"),
        ({"first": -5}, "first must be between 1 and 100, got -5"),
        (
            {"after": "nonsense"},
            "after is not a valid cursor: pass the endCursor of a previous page",
        ),
        (
            {"after": "b2Zmc2V0Oi0x"},
            "after is not a valid cursor: pass the endCursor of a previous page",
        ),  # offset:-1
        (
            {"after": "🙂"},
            "after is not a valid cursor: pass the endCursor of a previous page",
        ),
    ],
)
async def test_page_arguments_give_clear_errors(
    client: httpx.AsyncClient,
    district: date,
    variables: dict[str, Any],
    message: str,
) -> None:
    answer = await post(client, PARTNERS, **variables)
    assert answer["data"] is None
    assert error_messages(answer) == [message]
    assert answer["errors"][0]["path"] == ["partners"]
    assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


PARTNER = """
query One($slug: String!) {
  partner(slug: $slug) {
    id slug name address { street city } addressConfidential
    categories { slug requiresContract }
    programs { slug timing grades free cost serviceTypes { slug }
               schoolSites { slug } languages { code } partner { slug } }
    serviceTypes { slug } schoolSites { slug } languages { code nativeName }
  }
}
"""


async def test_partner_by_slug_with_everything_nested(
    client: httpx.AsyncClient, district: date
) -> None:
    partner = (await query(client, PARTNER, slug="mentor-match"))["partner"]
    assert partner["address"] == {"street": "1 Main St", "city": "Riverton"}
    assert [c["slug"] for c in partner["categories"]] == [
        "contracted-partner",
        "extended-learning",
    ]
    [program] = partner["programs"]
    assert program["timing"] == ["AFTER_SCHOOL"]
    assert program["grades"] == "3–8"
    assert program["partner"] == {"slug": "mentor-match"}
    assert {s["slug"] for s in program["serviceTypes"]} == {"mentoring", "tutoring"}
    assert {s["slug"] for s in partner["schoolSites"]} == {
        "cedar-elementary",
        "lake-middle",
    }
    assert partner["languages"] == [{"code": "es", "nativeName": "Español"}]


async def test_confidential_address_is_never_shown(
    client: httpx.AsyncClient, district: date
) -> None:
    partner = (await query(client, PARTNER, slug="harbor-counseling"))["partner"]
    assert partner["address"] is None
    assert partner["addressConfidential"] is True


@pytest.mark.parametrize("slug", [*UNLISTED, "no-such-partner"])
async def test_unlisted_partners_are_not_found_by_slug(
    client: httpx.AsyncClient, district: date, slug: str
) -> None:
    assert (await query(client, PARTNER, slug=slug))["partner"] is None


NODE = "query N($id: ID!) { node(id: $id) { __typename id ... on Partner { slug } } }"


async def test_node_finds_partners_programs_and_sites_by_global_id(
    client: httpx.AsyncClient, district: date
) -> None:
    partner = (await query(client, PARTNER, slug="city-arts"))["partner"]
    node = (await query(client, NODE, id=partner["id"]))["node"]
    assert node == {"__typename": "Partner", "id": partner["id"], "slug": "city-arts"}
    programs = await query(client, "{ programs { edges { node { id slug } } } }")
    for edge in programs["programs"]["edges"]:
        found = (await query(client, NODE, id=edge["node"]["id"]))["node"]
        assert found["__typename"] == "Program"
    sites = await query(client, "{ schoolSites { id } }")
    for site in sites["schoolSites"]:
        found = (await query(client, NODE, id=site["id"]))["node"]
        assert found["__typename"] == "SchoolSite"


async def test_node_hides_unlisted_partners_and_their_programs(
    client: httpx.AsyncClient, district: date
) -> None:
    import base64

    for type_name, key in [
        ("Partner", "applied-org"),
        ("Program", "no-contract-tutoring"),
    ]:
        global_id = base64.b64encode(f"{type_name}:{key}".encode()).decode()
        assert (await query(client, NODE, id=global_id))["node"] is None


async def test_programs_belong_to_listed_partners_only(
    client: httpx.AsyncClient, district: date
) -> None:
    data = await query(
        client, "{ programs(first: 100) { totalCount edges { node { slug } } } }"
    )
    assert sorted(e["node"]["slug"] for e in data["programs"]["edges"]) == [
        "homework-club",
        "mentoring-circle",
        "saturday-studio",
        "school-counseling",
    ]
    assert data["programs"]["totalCount"] == 4


async def test_taxonomies_count_listed_partners_only(
    client: httpx.AsyncClient, district: date
) -> None:
    data = await query(
        client,
        "{ categories { slug partnerCount } serviceTypes { slug partnerCount }"
        "  languages { code } }",
    )
    assert {c["slug"]: c["partnerCount"] for c in data["categories"]} == {
        "contracted-partner": 2,
        "community-education": 1,
        "extended-learning": 1,
        "mental-health": 1,
    }
    assert {s["slug"]: s["partnerCount"] for s in data["serviceTypes"]} == {
        "tutoring": 2,
        "mentoring": 1,
        "arts": 1,
        "mental-health": 1,
    }
    assert [lang["code"] for lang in data["languages"]] == ["en", "so", "es"]


async def test_school_site_lists_its_listed_partners(
    client: httpx.AsyncClient, district: date
) -> None:
    data = await query(
        client,
        '{ schoolSite(slug: "cedar-elementary") { name grades level'
        "  partners { totalCount edges { node { slug } } } } }",
    )
    assert data["schoolSite"] == {
        "name": "Cedar Elementary",
        "grades": "K–5",
        "level": "ELEMENTARY",
        "partners": {
            "totalCount": 2,
            "edges": [
                {"node": {"slug": "bright-minds"}},
                {"node": {"slug": "mentor-match"}},
            ],
        },
    }
    missing = await query(client, '{ schoolSite(slug: "nowhere") { name } }')
    assert missing["schoolSite"] is None


async def test_public_types_carry_no_staff_only_fields(
    client: httpx.AsyncClient, db: object
) -> None:
    fields = {}
    for name in ("Partner", "Program", "SchoolSite", "Category", "ServiceType"):
        answer = await query(
            client,
            "query T($n: String!) { __type(name: $n) { fields { name } } }",
            n=name,
        )
        fields[name] = {f["name"] for f in answer["__type"]["fields"]}
    staff_only = {"status", "statusReason", "internalNotes", "agreements", "history"}
    for name, found in fields.items():
        assert not found & staff_only, name


def test_schema_file_matches_the_live_schema() -> None:
    committed = Path(__file__).parent.parent / "schema.graphql"
    assert committed.read_text() == str(schema) + "\n", (
        "schema.graphql is stale: run `make schema` and commit it"
    )


NESTED = """
query Page($first: Int!) {
  partners(first: $first) {
    totalCount
    edges { node {
      slug categories { slug partnerCount }
      serviceTypes { slug } schoolSites { slug } languages { code }
      programs { slug serviceTypes { slug } languages { code }
                 schoolSites { slug name } partner { slug } }
    } }
  }
}
"""


async def test_nested_query_costs_the_same_statements_at_any_page_size(
    client: httpx.AsyncClient, db: object, sql_log: StatementLog
) -> None:
    await load_demo(partners=300, seed=3, today=DAY)
    # what a worker reads once per data revision (list bounds, the vocabulary)
    await query(client, "{ __typename }")
    counts = {}
    for first in (20, 100):
        sql_log.statements.clear()
        data = await query(client, NESTED, first=first)
        assert len(data["partners"]["edges"]) == first
        # the answer cache's revision check (on audit_entry) is not the query's cost
        counts[first] = len([s for s in sql_log.statements if "audit_entry" not in s])
    assert counts[20] == counts[100], sql_log.statements
    assert counts[20] <= 20  # one statement per list, whatever the page size


async def test_the_app_serves_the_built_directory_compressed(
    district: date, tmp_path: Path
) -> None:
    await build(tmp_path / "site", Site(district="D", base="/", url="http://t/"), DAY)
    app = create_app(site_dir=str(tmp_path / "site"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        home = await c.get("/", headers={"accept-encoding": "gzip"})
        assert home.status_code == 200
        assert home.headers["content-encoding"] == "gzip"
        assert "Find a community partner" in home.text
        partner = await c.get("/partners/city-arts/")
        assert "City Arts Collective" in partner.text
        missing = await c.get("/partners/applied-org/")
        assert missing.status_code == 404
        assert "We could not find that page" in missing.text
        graphql = await c.post("/graphql", json={"query": "{ categories { slug } }"})
        assert graphql.status_code == 200
