"""Applications to become a partner through the public mutation: what one makes
(an APPLIED partner, never listed until approved), what is refused and where,
the bounds a flood meets, and the office's decision, audited."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

import models as m
from api.app import create_app
from models import reminders
from models.clock import district_zone
from models.settings import Settings, configure, current
from tests.district import DAY
from tests.gql import post, query

APPLY = """
mutation A($input: ApplicationInput!) {
  applyToBecomePartner(input: $input) { received errors { field message } }
}"""
WAITING = """
{ staff { applications { totalCount edges { node {
    id state contactName contactEmail attestations language decidedBy
    partner { slug name status listed categories { slug } }
} } } } }"""
DECIDE = """
mutation D($id: ID!, $decision: ApplicationDecision!, $reason: String!) {
  decideApplication(id: $id, decision: $decision, reason: $reason) {
    record { state decisionReason decidedBy partner { status } }
    errors { field message }
  }
}"""
RECORD = """
mutation R($partner: String!, $input: AgreementInput!) {
  recordAgreement(partner: $partner, input: $input) { errors { field message } }
}"""
PUBLIC = "query P($slug: String!) { partner(slug: $slug) { name } }"


def application(**changes: Any) -> dict[str, Any]:
    given: dict[str, Any] = {
        "organization": "Riverside Chess Club",
        "summary": "Chess after school for beginners and players who compete.",
        "website": "https://chess.example.org",
        "phone": "612-555-0199",
        "email": "play@chess.example.org",
        "contactName": "Ada Ngo",
        "contactEmail": "Ada@Chess.example.org",
        "contactPhone": "612-555-0100",
        "categories": ["extended-learning"],
        "programs": [
            {
                "name": "Chess Club",
                "description": "Openings, tactics and a spring tournament.",
                "serviceTypes": ["mentoring"],
                "gradeMin": 3,
                "gradeMax": 8,
                "languages": ["en", "so"],
                "schoolSites": ["lake-middle"],
                "sessions": [
                    {
                        "days": ["WEDNESDAY"],
                        "startsAt": "15:30:00",
                        "endsAt": "17:00:00",
                        "validFrom": (DAY + timedelta(days=7)).isoformat(),
                        "validUntil": (DAY + timedelta(days=90)).isoformat(),
                        "schoolSite": "lake-middle",
                    }
                ],
            }
        ],
        "attestations": ["insurance", "background_checks"],
        "language": "so",
    }
    given.update(changes)
    return given


async def applied(client: httpx.AsyncClient, **changes: Any) -> dict[str, Any]:
    answer = await post(client, APPLY, input=application(**changes))
    assert "errors" not in answer, answer
    result: dict[str, Any] = answer["data"]["applyToBecomePartner"]
    return result


async def count() -> tuple[int, int, int, int]:
    return (
        await m.Partner.all().count(),
        await m.Program.all().count(),
        await m.Session.all().count(),
        await m.Application.all().count(),
    )


async def test_an_application_makes_an_applied_partner_the_office_sees(
    client: httpx.AsyncClient, district: date, editor: str, tokens: dict[str, str]
) -> None:
    before = await count()
    assert await applied(client) == {"received": True, "errors": []}
    partners, programs, sessions, applications = await count()
    assert (partners, programs, sessions, applications) == (
        before[0] + 1, before[1] + 1, before[2] + 1, before[3] + 1,
    )  # fmt: skip
    # never public until approved
    assert (await query(client, PUBLIC, slug="riverside-chess-club"))["partner"] is None
    # anyone may apply; only staff see applications
    refused = await post(client, WAITING)
    assert refused["data"] is None or refused["data"]["staff"] is None
    seen = (await query(client, WAITING, tokens["viewer"]))["staff"]["applications"]
    assert seen["totalCount"] == 1
    node = seen["edges"][0]["node"]
    assert node["contactEmail"] == "ada@chess.example.org"  # as duplicates are found
    assert node["attestations"] == ["background_checks", "insurance"]
    assert (node["state"], node["language"]) == ("NEW", "so")
    assert node["partner"] == {
        "slug": "riverside-chess-club",
        "name": "Riverside Chess Club",
        "status": "APPLIED",
        "listed": False,
        "categories": [{"slug": "extended-learning"}],
    }
    program = await m.Program.get(partner__slug="riverside-chess-club")
    assert program.slug == "riverside-chess-club-chess-club"
    history = await m.AuditEntry.filter(partner_key=program.partner_id).order_by("id")
    assert [(e.actor, e.action) for e in history] == [
        ("applicant ada@chess.example.org", "partner.apply"),
        ("applicant ada@chess.example.org", "program.apply"),
    ]


async def test_approval_lists_the_partner_once_a_contract_covers_it(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    await applied(client, categories=["contracted-partner"])
    node = (await query(client, WAITING, editor))["staff"]["applications"]["edges"]
    answer = await query(
        client, DECIDE, editor, id=node[0]["node"]["id"], decision="APPROVE",
        reason="Board approved 12/1",
    )  # fmt: skip
    decided = answer["decideApplication"]
    assert decided["errors"] == []
    assert decided["record"] == {
        "state": "APPROVED",
        "decisionReason": "Board approved 12/1",
        "decidedBy": "editor-token",
        "partner": {"status": "APPROVED"},
    }
    slug = "riverside-chess-club"
    assert (await query(client, PUBLIC, slug=slug))["partner"] is None  # no contract
    contract = {
        "kind": "CONTRACT",
        "startsOn": (district - timedelta(days=1)).isoformat(),
        "endsOn": (district + timedelta(days=300)).isoformat(),
    }
    recorded = await query(client, RECORD, editor, partner=slug, input=contract)
    assert recorded["recordAgreement"]["errors"] == []
    partner = await m.Partner.get(slug=slug)
    assert (await query(client, PUBLIC, slug=slug))["partner"] == {
        "name": "Riverside Chess Club"
    }
    actions = await m.AuditEntry.filter(partner_key=partner.id).order_by("id")
    assert [e.action for e in actions][-3:] == [
        "partner.status", "application.approve", "agreement.record",
    ]  # fmt: skip
    assert {e.reason for e in actions[-3:-1]} == {"Board approved 12/1"}
    # decided once: a second decision is refused, and the waiting list is empty
    again = await query(
        client, DECIDE, editor, id=node[0]["node"]["id"], decision="DECLINE",
        reason="second thoughts",
    )  # fmt: skip
    assert again["decideApplication"]["errors"][0]["field"] == "id"
    assert (await query(client, WAITING, editor))["staff"]["applications"][
        "totalCount"
    ] == 0


@pytest.mark.parametrize(
    ("decision", "state", "status"),
    [("ASK_CHANGES", "CHANGES_ASKED", "APPLIED"), ("DECLINE", "DECLINED", "INACTIVE")],
)
async def test_asking_for_changes_or_declining(
    client: httpx.AsyncClient, district: date, editor: str, decision: str, state: str,
    status: str,
) -> None:  # fmt: skip
    await applied(client)
    node = (await query(client, WAITING, editor))["staff"]["applications"]["edges"]
    answer = await query(
        client, DECIDE, editor, id=node[0]["node"]["id"], decision=decision,
        reason="Send the insurance certificate",
    )  # fmt: skip
    record = answer["decideApplication"]["record"]
    assert (record["state"], record["partner"]["status"]) == (state, status)


async def test_deciding_needs_an_editor_and_a_reason(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    await applied(client)
    node = (await query(client, WAITING, tokens["viewer"]))["staff"]["applications"]
    key = node["edges"][0]["node"]["id"]
    viewer = await post(
        client, DECIDE, tokens["viewer"], id=key, decision="APPROVE", reason="ok"
    )
    assert viewer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    blank = await query(
        client, DECIDE, tokens["editor"], id=key, decision="APPROVE", reason=" "
    )
    assert blank["decideApplication"]["errors"] == [
        {"field": "reason", "message": "is required"}
    ]
    nobody = await query(
        client, DECIDE, tokens["editor"], id="999", decision="APPROVE", reason="ok"
    )
    assert nobody["decideApplication"]["errors"][0]["field"] == "id"
    huge = await query(
        client, DECIDE, tokens["editor"], id="9" * 30, decision="APPROVE", reason="ok"
    )  # no column holds it (PostgreSQL would refuse it): no application
    assert huge["decideApplication"]["errors"][0]["field"] == "id"
    assert (await m.Application.get()).state == m.ApplicationState.NEW


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"organization": " "}, "input.organization", "is required"),
        (
            {"organization": "<b>Chess</b> Club"},
            "input.organization",
            "must be plain text, not HTML",
        ),
        ({"contactEmail": "ada at chess"}, "input.contactEmail", "e-mail address"),
        ({"attestations": ["insurance"]}, "input.attestations", "background_checks"),
        ({"categories": ["no-such"]}, "input.categories", "no-such"),
        ({"programs": []}, "input.programs", "1 to 10 programs"),
        ({"language": "fr"}, "input.language", "district's languages"),
        ({"summary": "x" * 301}, "input.summary", "at most 300"),
        ({"contactName": "Ada\x07Ngo"}, "input.contactName", "control characters"),
    ],
)
async def test_a_wrong_field_is_named_and_nothing_is_written(
    client: httpx.AsyncClient, district: date, changes: dict[str, Any], field: str,
    message: str,
) -> None:  # fmt: skip
    before = await count()
    answer = await applied(client, **changes)
    assert answer["received"] is False
    assert any(
        e["field"] == field and message in e["message"] for e in answer["errors"]
    ), answer["errors"]
    assert await count() == before


async def test_a_program_is_checked_as_staff_check_one_and_named_by_its_place(
    client: httpx.AsyncClient, district: date
) -> None:
    program = application()["programs"][0]
    wrong = {**program, "gradeMin": 9, "gradeMax": 2, "schoolSites": ["nowhere"]}
    sessions = [{**program["sessions"][0], "schoolSite": "north-high"}]
    answer = await applied(
        client, programs=[program, wrong, {**program, "sessions": sessions}]
    )
    fields = {e["field"] for e in answer["errors"]}
    assert {"input.programs.1.gradeMax", "input.programs.1.schoolSites"} <= fields
    assert "input.programs.2.sessions.0.schoolSite" in fields
    assert not any(f.startswith("input.programs.0") for f in fields)


async def test_the_same_organization_or_email_within_a_day_is_one_application(
    client: httpx.AsyncClient, district: date
) -> None:
    await applied(client)
    before = await count()
    # the same name, spelled otherwise; then the same e-mail for another name
    assert (await applied(client, organization="riverside  CHESS club!"))["received"]
    assert (await applied(client, organization="Other Club"))["received"]
    assert await count() == before
    other = await applied(
        client, organization="Other Club", contactEmail="someone@else.example.org"
    )
    assert other == {"received": True, "errors": []}
    assert (await count())[3] == before[3] + 1


@pytest.fixture
def bounds() -> Any:
    """Small bounds for this test: 2 an address a day, 3 an hour, 4 waiting."""
    kept = current()
    configure(
        Settings.from_environ(
            {
                "PARTNERS_APPLY_PER_ADDRESS": "2",
                "PARTNERS_APPLY_PER_HOUR": "3",
                "PARTNERS_APPLY_WAITING": "4",
            }
        )
    )
    yield
    configure(kept)


def other(n: int) -> dict[str, Any]:
    return {"organization": f"Club {n}", "contactEmail": f"club{n}@example.org"}


async def test_a_flood_meets_the_bounds_and_writes_nothing_past_them(
    db: object, district: date, bounds: None, tmp_path: Path
) -> None:
    app = create_app(site_dir=str(tmp_path / "no-site"), today=lambda: district)

    def at(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 1234))
        return httpx.AsyncClient(transport=transport, base_url="http://test")

    async with at("10.0.0.1") as one, at("10.0.0.2") as two, at("10.0.0.3") as three:
        assert (await applied(one, **other(1)))["received"]
        assert (await applied(one, **other(2)))["received"]
        before = await count()
        answer = await applied(one, **other(3))  # a third from this address today
        assert (
            "this address has sent 2 applications today"
            in (answer["errors"][0]["message"])
        )
        assert (await applied(two, **other(4)))["received"]
        answer = await applied(two, **other(5))  # a fourth this hour, from anyone
        assert (
            "as many applications as it takes in an hour"
            in (answer["errors"][0]["message"])
        )
        # an hour on, three wait; a fourth may, a fifth may not
        earlier = datetime.now(UTC) - timedelta(hours=2)
        await m.Application.all().update(submitted_at=earlier)
        assert (await applied(three, **other(6)))["received"]
        answer = await applied(three, **other(7))
        assert (
            "as many applications waiting as it can take"
            in (answer["errors"][0]["message"])
        )
    partners, programs, sessions, applications = await count()
    assert applications == before[3] + 2
    assert (partners, programs) == (before[0] + 2, before[1] + 2)


async def test_the_digest_lists_applications_waiting_for_the_office(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    await applied(client)
    await applied(client, **other(1))
    node = (await query(client, WAITING, editor))["staff"]["applications"]["edges"]
    club = next(n["node"] for n in node if n["node"]["partner"]["slug"] == "club-1")
    await query(
        client, DECIDE, editor, id=club["id"], decision="ASK_CHANGES",
        reason="Which schools?",
    )  # fmt: skip
    found = await reminders.digest(district, 30)
    today = datetime.now(district_zone()).date().isoformat()  # when they were sent
    lines = reminders.text(found, "Riverton").splitlines()
    start = lines.index("Applications to become a partner, waiting for the office (2)")
    assert lines[start + 1 : start + 3] == [
        f"- Riverside Chess Club (riverside-chess-club): from Ada Ngo "
        f"<ada@chess.example.org>, {today}",
        f"- Club 1 (club-1): from Ada Ngo <club1@example.org>, {today}; changes asked",
    ]
    assert found.things >= 2
