"""Who may do what: anonymous, viewer, editor, revoked and malformed credentials."""

from datetime import date

import httpx
import pytest

import models as m
from tests.district import LISTED, UNLISTED
from tests.gql import error_messages, post, query

STAFF_PARTNERS = """
{ staff { partners(first: 100) { totalCount edges { node {
    slug status internalNotes address { street } agreements { kind status }
} } } } }
"""
CREATE = """
mutation { createPartner(input: {slug: "new-org", name: "New Org"}) {
  record { slug status } errors { field message } } }
"""


async def test_anonymous_callers_get_no_staff_data(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    answer = await post(client, STAFF_PARTNERS)
    assert answer["data"] == {"staff": None}
    assert error_messages(answer) == [
        "Staff only: send Authorization: Bearer <token> with a staff token"
    ]
    assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_anonymous_callers_cannot_write(
    client: httpx.AsyncClient, district: date
) -> None:
    answer = await post(client, CREATE)
    assert answer["data"] is None
    assert error_messages(answer) == [
        "Editors only: this needs a staff token with the editor role"
    ]
    assert not await m.Partner.exists(slug="new-org")


async def test_viewers_read_everything_the_office_keeps(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    await m.Partner.filter(slug="harbor-counseling").update(
        street="77 Hidden Lane", internal_notes="Call before visiting"
    )
    data = await query(client, STAFF_PARTNERS, tokens["viewer"])
    partners = {
        e["node"]["slug"]: e["node"] for e in data["staff"]["partners"]["edges"]
    }
    assert set(partners) == set(LISTED) | set(UNLISTED)
    harbor = partners["harbor-counseling"]
    assert harbor["address"] == {"street": "77 Hidden Lane"}
    assert harbor["internalNotes"] == "Call before visiting"
    assert partners["pending-contract"]["agreements"] == [
        {"kind": "CONTRACT", "status": "PENDING"}
    ]
    assert partners["applied-org"]["status"] == "APPLIED"


async def test_viewers_cannot_write(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    answer = await post(client, CREATE, tokens["viewer"])
    assert error_messages(answer) == [
        "Editors only: this needs a staff token with the editor role"
    ]
    assert not await m.Partner.exists(slug="new-org")


async def test_editors_write(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    data = await query(client, CREATE, tokens["editor"])
    assert data["createPartner"] == {
        "record": {"slug": "new-org", "status": "APPLIED"},
        "errors": [],
    }


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "Bearer cpd_not-a-real-token",
            "The token is not valid: it is unknown or revoked",
        ),
        ("Bearer ", "Authorization must be 'Bearer <token>' with a staff token"),
        (
            "Basic dXNlcjpwYXNz",
            "Authorization must be 'Bearer <token>' with a staff token",
        ),
        (
            "cpd_token-without-scheme",
            "Authorization must be 'Bearer <token>' with a staff token",
        ),
    ],
)
async def test_a_bad_credential_is_refused_whatever_it_asks(
    client: httpx.AsyncClient, district: date, header: str, message: str
) -> None:
    for document in ("{ categories { slug } }", STAFF_PARTNERS, CREATE):
        response = await client.post(
            "/graphql", json={"query": document}, headers={"authorization": header}
        )
        assert response.status_code == 401
        assert response.json() == {
            "errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]
        }
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert not await m.Partner.exists(slug="new-org")


async def test_a_revoked_token_is_refused_like_an_unknown_one(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": CREATE},
        headers={"authorization": f"Bearer {tokens['revoked']}"},
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == (
        "The token is not valid: it is unknown or revoked"
    )
    assert not await m.Partner.exists(slug="new-org")


async def test_only_a_hash_of_each_token_is_stored(
    db: object, tokens: dict[str, str]
) -> None:
    stored = [row.token_hash for row in await m.StaffToken.all()]
    assert len(stored) == 3
    for secret in tokens.values():
        assert secret not in stored
        assert m.hash_token(secret) in stored
