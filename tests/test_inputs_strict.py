"""Values no column could hold are refused where they come in, with an error that
names the argument or parameter: NUL in any HSDS parameter, moments that UTC has
no place for, ids spelled in other scripts' digits or past an integer column, and
public ids of ours for keys no row could have. None reaches the database (where
PostgreSQL would fail on them) or an "Unexpected error."."""

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import httpx
import pytest

import models as m
from api.hsds.endpoint import ALLOWED
from models.changes import ListedPartner
from models.public_ids import Kind, link_key, public_id
from tests.gql import post, query

EDGES = "edges { node { slug } }"
ITEMS = ("organizations", "services", "service_at_locations")
LISTS = (*ITEMS, "taxonomies", "taxonomy_terms", "changes")
FAR_MOMENTS = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]
NOT_IDS = [
    "2147483648",
    "99999999999999999999",
    "9" * 5000,  # longer than int() reads
    "²",
    "１",  # fullwidth 1
    "١",  # Arabic-Indic 1
    "0",
    "-1",
    "+1",
    " 1",
    "1_0",
    "",
]
AGREEMENT_ID = "must be an agreement's id, a whole number from 1 to 2147483647"
END = """mutation E($id: ID!) {
  endAgreement(id: $id, reason: "Closed") { record { status } errors { field message } }
}"""
RENEW = """mutation R($id: ID!) {
  renewAgreement(id: $id, endsOn: "2040-01-01") {
    record { status } errors { field message } }
}"""


@pytest.fixture
def no_internal_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.ERROR, logger="partners.api")
    yield
    assert [r.getMessage() for r in caplog.records if r.name == "partners.api"] == []


async def refused(client: httpx.AsyncClient, path: str, parameter: str) -> str:
    response = await client.get(f"/hsds{path}")
    assert response.status_code == 400, (path, response.text)
    assert response.headers["content-type"] == "application/json"
    found = response.json()
    assert found["parameter"] == parameter, (path, found)
    message: str = found["message"]
    return message


@pytest.mark.parametrize("kind", LISTS)
async def test_hsds_refuses_nul_in_every_parameter(
    client: httpx.AsyncClient, district: date, no_internal_errors: None, kind: str
) -> None:
    for name in ALLOWED[kind]:
        message = await refused(client, f"/{kind}?{name}=a%00b", name)
        assert message == f"{name} contains NUL (\\u0000), which is not text"


@pytest.mark.parametrize("kind", [*ITEMS, "taxonomies", "taxonomy_terms"])
async def test_hsds_refuses_nul_in_ids_and_names(
    client: httpx.AsyncClient, district: date, no_internal_errors: None, kind: str
) -> None:
    await refused(client, f"/{kind}/%00", "id")
    await refused(client, f"/{kind}?per%00page=1", "per\x00page")


@pytest.mark.parametrize("kind", ITEMS)
@pytest.mark.parametrize("moment", FAR_MOMENTS)
async def test_hsds_refuses_moments_utc_has_no_place_for(
    client: httpx.AsyncClient,
    district: date,
    no_internal_errors: None,
    kind: str,
    moment: str,
) -> None:
    path = f"/{kind}?modified_after={moment.replace('+', '%2B')}"
    message = await refused(client, path, "modified_after")
    assert message.startswith("modified_after is out of range")
    # The first and last moments UTC has are fine, and nothing is after the last.
    for edge, count in (("0001-01-01T00:00:00Z", 1), ("9999-12-31T23:59:59Z", 0)):
        response = await client.get(f"/hsds/{kind}?modified_after={edge}")
        assert response.status_code == 200, response.text
        assert min(response.json()["total_items"], 1) == count


@pytest.mark.parametrize("field", ["partners", "programs", "programSites"])
@pytest.mark.parametrize("moment", FAR_MOMENTS)
async def test_graphql_refuses_moments_utc_has_no_place_for(
    client: httpx.AsyncClient,
    district: date,
    no_internal_errors: None,
    field: str,
    moment: str,
) -> None:
    document = (
        f"query Q($since: DateTime!) {{ {field}(filter: {{modifiedAfter: $since}}) "
        "{ totalCount } }"
    )
    answer = await post(client, document, since=moment)
    [error] = answer["errors"]
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "argument": "filter.modifiedAfter",
    }
    assert error["message"].startswith("modifiedAfter is out of range")


async def test_modified_after_compares_moments_not_their_spelling(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    await client.get("/hsds/changes")  # the recorder has seen the listing
    await ListedPartner.all().update(modified=datetime(2000, 1, 1, tzinfo=UTC))
    await query(
        client,
        'mutation { updatePartner(slug: "city-arts", input: {summary: "New."}) '
        "{ record { slug } } }",
        tokens["editor"],
    )
    await m.record_listing(m.Listing(district))
    key = (await m.Partner.get(slug="city-arts")).id
    written = (await ListedPartner.get(partner_key=key)).modified
    east, west = timezone(timedelta(hours=10)), timezone(timedelta(hours=-10))
    document = (
        "query C($since: DateTime!) { partners(filter: {modifiedAfter: $since}) "
        f"{{ {EDGES} }} }}"
    )
    for since, found in (
        # Written later in the day than the write, an hour before it.
        ((written - timedelta(hours=1)).astimezone(east), ["city-arts"]),
        # Written earlier in the day than the write, an hour after it.
        ((written + timedelta(hours=1)).astimezone(west), []),
    ):
        edges = (await query(client, document, since=since.isoformat()))["partners"][
            "edges"
        ]
        assert [e["node"]["slug"] for e in edges] == found, since
        hsds = await client.get(
            "/hsds/organizations", params={"modified_after": since.isoformat()}
        )
        assert len(hsds.json()["contents"]) == len(found), since


async def test_agreement_ids_are_ascii_digits_within_an_integer_column(
    client: httpx.AsyncClient,
    district: date,
    tokens: dict[str, str],
    no_internal_errors: None,
) -> None:
    assert await m.Agreement.exists(id=1)  # what "１" and "١" were taken for
    before = await m.Agreement.all().order_by("id").values()
    for id_ in NOT_IDS:
        for document in (END, RENEW):
            data = await query(client, document, tokens["editor"], id=id_)
            [payload] = data.values()
            assert payload == {
                "record": None,
                "errors": [{"field": "id", "message": AGREEMENT_ID}],
            }, id_
    assert await m.Agreement.all().order_by("id").values() == before
    assert not await m.AuditEntry.exists()


async def test_public_ids_of_keys_no_row_could_have_match_nothing(
    client: httpx.AsyncClient, district: date, no_internal_errors: None
) -> None:
    partner, program = public_id(Kind.PARTNER, 2**31), public_id(Kind.PROGRAM, 2**40)
    link = public_id(Kind.LINK, link_key(2**32 - 1, 1))
    for path in (
        f"/organizations/{partner}",
        f"/services/{program}",
        f"/service_at_locations/{link}",
    ):
        response = await client.get(f"/hsds{path}")
        assert response.status_code == 404, (path, response.text)
    for kind in ("services", "service_at_locations"):
        found = await client.get(f"/hsds/{kind}?organization_id={partner}")
        assert found.status_code == 200, found.text
        assert found.json()["contents"] == []
    document = (
        "query P($ids: [UUID!]) { partners(filter: {partnerIds: $ids}) { totalCount }"
        " programs(filter: {programIds: $ids}) { totalCount } }"
    )
    data = await query(client, document, ids=[str(partner), str(program)])
    assert data == {"partners": {"totalCount": 0}, "programs": {"totalCount": 0}}


NUMBERS = [
    *(
        (f"/organizations?{name}={digits}", name)
        for name in ("page", "per_page")
        for digits in ("١", "１", "²", "%2B1", "%201", "1_0", "99999999999999999999")
    ),
    ("/changes?per_page=١", "per_page"),
    # Past where the public API's cursors end, not a 400 about its cursor.
    ("/services?page=1000000000&per_page=100", "page"),
    ("/taxonomies?page=2147483647", "page"),
    # The public API's refusal, reported on the parameter that carried it.
    ("/services?search=" + "+".join("abcdefghijk"), "search"),
]


async def test_hsds_numbers_are_ascii_digits_and_refusals_name_the_parameter(
    client: httpx.AsyncClient, district: date, no_internal_errors: None
) -> None:
    for path, parameter in NUMBERS:
        message = await refused(client, path, parameter)
        assert "per_page" not in message or parameter == "per_page", message


async def test_every_hsds_answer_is_json(
    client: httpx.AsyncClient, district: date
) -> None:
    for path in (
        "/nope",
        "/organizations/a/b",
        "/organizations/a%2Fb",
        "/services/..%2F..%2Fx",
    ):
        response = await client.get(f"/hsds{path}")
        assert response.status_code in (400, 404), response.text
        assert response.headers["content-type"] == "application/json"
        assert response.json()["message"]


async def test_a_list_with_a_trailing_slash_is_redirected(
    client: httpx.AsyncClient, district: date
) -> None:
    response = await client.get("/hsds/organizations/?per_page=1")
    assert response.status_code == 307
    assert response.headers["location"] == "http://test/hsds/organizations?per_page=1"


def test_a_slug_email_or_phone_is_checked_whole_not_up_to_a_line_break() -> None:
    from models.validation import Checker

    checker = Checker()
    checker.slug("slug", "bright-minds\n")
    checker.email("email", "office@example.org\n")
    checker.phone("phone", "612-555-0100\n")
    assert [p.field for p in checker.problems] == ["slug", "email", "phone"]
    fine = Checker()
    fine.slug("slug", "bright-minds")
    fine.email("email", "office@example.org")
    fine.phone("phone", "612-555-0100")
    assert fine.problems == []
