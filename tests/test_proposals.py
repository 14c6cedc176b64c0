"""Partners keep their own record through the API: the office's private link (one
partner, one write, expiring), what the link reads (that partner's public facts
only), a proposal kept as a draft until an editor decides, shown field by field,
and the history naming who proposed and who approved."""

import json
from datetime import date, timedelta
from typing import Any

import httpx
import time_machine

import models as m
from models import reminders
from models.staff import hash_token
from tests.gql import post, query

INVITE = """
mutation I($partner: String!, $days: Int! = 14) {
  invitePartner(partner: $partner, days: $days) {
    record { link expiresAt partner { slug } } errors { field message }
  }
}"""
READ = """
query R($key: String!) { invitation(key: $key) {
  slug name summary phone email website
  translations { language summary description }
  programs { slug name description schoolSites languages
    sessions { days startsAt endsAt validFrom validUntil schoolSite } }
} }"""
PROPOSE = """
mutation P($key: String!, $input: ProposalInput!, $only: Boolean! = false) {
  proposeChanges(key: $key, input: $input, validateOnly: $only) {
    received errors { field message }
  }
}"""
CONFIRM = """
mutation C($key: String!) {
  confirmPartnerRecord(
    key: $key, name: "Dana Reyes", email: "dana@bright.example.org"
  ) {
    received errors { field message }
  }
}"""
WAITING = """
query W($states: [ProposalState!]) { staff { proposals(states: $states) {
  totalCount edges { node {
    id state proposedBy partner { slug } decidedBy decisionReason
    differences { field before after } problems { field message }
} } } } }"""
DECIDE = """
mutation D($id: ID!, $decision: ProposalDecision!) {
  decideProposal(id: $id, decision: $decision, reason: "Checked with the partner") {
    record { state decidedBy } errors { field message }
  }
}"""
PUBLIC = """
query P($slug: String!) { partner(slug: $slug, language: "es") {
  phone summary
  programs { slug sessions { days startsAt schoolSite { slug } } }
} }"""


async def invited(client: httpx.AsyncClient, editor: str, slug: str) -> str:
    """A new link's key for the partner `slug`."""
    answer = await query(client, INVITE, editor, partner=slug)
    assert answer["invitePartner"]["errors"] == []
    link: str = answer["invitePartner"]["record"]["link"]
    assert link.startswith("http://127.0.0.1:8000/update/?key=cpi_")
    return link.split("key=", 1)[1]


def proposal(**changes: Any) -> dict[str, Any]:
    given: dict[str, Any] = {
        "proposerName": "Dana Reyes",
        "proposerEmail": "Dana@Bright.example.org",
        "phone": "612-555-0177",
        "translations": [
            {"language": "es", "summary": "Ayuda con tareas, ahora también los lunes."}
        ],
        "programs": [
            {
                "slug": "homework-club",
                "sessions": [
                    {
                        "days": ["MONDAY", "THURSDAY"],
                        "startsAt": "15:45:00",
                        "endsAt": "17:15:00",
                        "validFrom": "2026-09-08",
                        "validUntil": "2027-05-28",
                        "schoolSite": "cedar-elementary",
                    }
                ],
            }
        ],
    }
    given.update(changes)
    return given


async def proposed(
    client: httpx.AsyncClient, key: str, **changes: Any
) -> dict[str, Any]:
    answer = await query(client, PROPOSE, key=key, input=proposal(**changes))
    result: dict[str, Any] = answer["proposeChanges"]
    return result


async def test_a_proposal_waits_for_an_editor_then_is_public_and_audited(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    before = await query(client, PUBLIC, slug="bright-minds")
    key = await invited(client, editor, "bright-minds")
    record = (await query(client, READ, key=key))["invitation"]
    assert (
        record["slug"] == "bright-minds"
        and record["phone"] == before["partner"]["phone"]
    )
    assert [p["slug"] for p in record["programs"]] == ["homework-club"]
    assert record["programs"][0]["sessions"][0]["days"] == ["TUESDAY", "THURSDAY"]
    assert await proposed(client, key) == {"received": True, "errors": []}
    # a draft: the public sees nothing of it
    assert await query(client, PUBLIC, slug="bright-minds") == before
    # the link is used up
    assert (await query(client, READ, key=key))["invitation"] is None
    again = await proposed(client, key)
    assert again["received"] is False and again["errors"][0]["field"] == "key"

    waiting = (await query(client, WAITING, editor))["staff"]["proposals"]
    assert waiting["totalCount"] == 1
    node = waiting["edges"][0]["node"]
    assert node["proposedBy"] == "Dana Reyes <dana@bright.example.org>"
    assert node["problems"] == []
    fields = {d["field"]: (d["before"], d["after"]) for d in node["differences"]}
    assert set(fields) == {
        "phone",
        "translations.es.summary",
        "programs.homework-club.sessions",
    }
    assert fields["phone"] == (before["partner"]["phone"], "612-555-0177")
    assert fields["translations.es.summary"] == (
        "Ayuda con tareas en grupos pequeños.",
        "Ayuda con tareas, ahora también los lunes.",
    )
    assert "MO,TH 15:45-17:15" in fields["programs.homework-club.sessions"][1]

    decided = await query(client, DECIDE, editor, id=node["id"], decision="APPROVE")
    assert decided["decideProposal"] == {
        "record": {"state": "APPROVED", "decidedBy": "editor-token"},
        "errors": [],
    }
    after = (await query(client, PUBLIC, slug="bright-minds"))["partner"]
    assert after["phone"] == "612-555-0177"
    assert after["summary"] == "Ayuda con tareas, ahora también los lunes."
    sessions = after["programs"][0]["sessions"]
    assert [(s["days"], s["startsAt"]) for s in sessions] == [
        (["MONDAY", "THURSDAY"], "15:45:00")
    ]
    partner = await m.Partner.get(slug="bright-minds")
    assert partner.last_verified_on == district
    history = await m.AuditEntry.filter(partner_key=partner.pk).order_by("id")
    steps = [(e.actor, e.action) for e in history][-5:]
    assert steps == [
        ("editor-token", "invitation.create"),
        ("Dana Reyes <dana@bright.example.org>", "proposal.submit"),
        ("editor-token", "partner.update"),
        ("editor-token", "program.update"),
        ("editor-token", "proposal.approve"),
    ]
    assert "by Dana Reyes <dana@bright.example.org>" in history[-3].reason
    # decided once
    twice = await query(client, DECIDE, editor, id=node["id"], decision="REJECT")
    assert twice["decideProposal"]["errors"][0]["field"] == "id"


async def test_a_link_reads_nothing_staff_only_and_reaches_no_other_partner(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    await m.Partner.filter(slug="harbor-counseling").update(
        internal_notes="Invoice dispute: do not renew", street="12 Hidden Lane"
    )
    key = await invited(client, editor, "harbor-counseling")
    answer = await post(client, READ, key=key)
    text = json.dumps(answer)
    assert "Invoice dispute" not in text and "Hidden Lane" not in text
    assert "bright-minds" not in text  # nor any other partner
    # a field a staff type has is no field of the link's
    for field in ("internalNotes", "street", "agreements", "status"):
        leaked = await post(client, f'{{ invitation(key: "{key}") {{ {field} }} }}')
        assert "errors" in leaked, field
    # another partner's program is refused, and nothing is written
    before = await m.AuditEntry.all().count()
    answer = await post(
        client,
        PROPOSE,
        key=key,
        input=proposal(programs=[{"slug": "homework-club", "description": "Mine"}]),
    )
    sent = answer["data"]["proposeChanges"]
    assert sent["received"] is False
    assert {e["field"] for e in sent["errors"]} == {"input.programs.0.slug"}
    assert await m.AuditEntry.all().count() == before
    assert await m.Proposal.all().count() == 0
    # the answer for a key is kept by no cache
    response = await client.post(
        "/graphql", json={"query": READ, "variables": {"key": key}}
    )
    assert "public" not in response.headers.get("cache-control", "")


async def test_an_unknown_expired_or_forged_key_opens_nothing(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    key = await invited(client, editor, "bright-minds")
    forged = key[:-1] + ("A" if key[-1] != "A" else "B")
    nul = await post(client, READ, key="cpi_\x00" + key[5:])
    assert "NUL" in nul["errors"][0]["message"]
    for wrong in (forged, "cpi_", "", key + "x", "x" * 5000):
        assert (await query(client, READ, key=wrong))["invitation"] is None
        sent = await proposed(client, wrong)
        assert sent["received"] is False and sent["errors"][0]["field"] == "key"
    row = await m.Invitation.get(key_hash=hash_token(key))
    assert row.expires_at - row.created_at == timedelta(days=14)
    with time_machine.travel(row.expires_at + timedelta(seconds=1), tick=False):
        assert (await query(client, READ, key=key))["invitation"] is None
        assert (await proposed(client, key))["received"] is False
    with time_machine.travel(row.expires_at - timedelta(seconds=1), tick=False):
        assert (await query(client, READ, key=key))["invitation"] is not None


async def test_only_editors_invite_and_decide(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    for token in (None, tokens["viewer"], tokens["revoked"]):
        answer = await post(client, INVITE, token, partner="bright-minds")
        assert answer.get("data") is None or answer["data"]["invitePartner"] is None
    assert await m.Invitation.all().count() == 0
    refused = await post(client, WAITING)
    assert "errors" in refused and (refused.get("data") or {}).get("staff") is None
    wrong = await query(client, INVITE, tokens["editor"], partner="nobody", days=14)
    assert wrong["invitePartner"]["errors"][0]["field"] == "partner"
    days = await query(client, INVITE, tokens["editor"], partner="city-arts", days=91)
    assert days["invitePartner"]["errors"][0]["field"] == "days"


async def test_problems_are_named_and_nothing_is_kept(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    key = await invited(client, editor, "bright-minds")
    bad = await proposed(
        client,
        key,
        proposerEmail="not an address",
        website="javascript:alert(1)",
        summary="<script>alert(1)</script>",
        translations=[{"language": "es", "name": "Otro nombre"}],
        programs=[{"slug": "homework-club", "schoolSites": ["atlantis"]}],
    )
    assert bad["received"] is False
    assert {e["field"] for e in bad["errors"]} >= {
        "input.proposerEmail",
        "input.website",
        "input.summary",
        "input.translations.0.name",
        "input.programs.0.schoolSites",
    }
    phone = (await m.Partner.get(slug="bright-minds")).phone
    same = await query(
        client,
        PROPOSE,
        key=key,
        input={
            "proposerName": "Dana",
            "proposerEmail": "d@example.org",
            "phone": phone,
        },
    )  # nothing differs from the record
    same = same["proposeChanges"]
    assert (
        same["received"] is False and "changes nothing" in same["errors"][0]["message"]
    )
    checked = await query(
        client, PROPOSE, key=key, input=proposal(), only=True
    )  # validateOnly: checked, not kept, the link still open
    assert checked["proposeChanges"] == {"received": False, "errors": []}
    assert await m.Proposal.all().count() == 0
    assert (await query(client, READ, key=key))["invitation"] is not None


async def test_confirming_sets_last_verified_and_rejecting_changes_nothing(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    key = await invited(client, editor, "mentor-match")
    assert (await query(client, CONFIRM, key=key))["confirmPartnerRecord"] == {
        "received": True,
        "errors": [],
    }
    partner = await m.Partner.get(slug="mentor-match")
    assert partner.last_verified_on == district
    assert (await query(client, CONFIRM, key=key))["confirmPartnerRecord"][
        "received"
    ] is False
    key = await invited(client, editor, "bright-minds")
    await proposed(client, key)
    before = await query(client, PUBLIC, slug="bright-minds")
    node = (await query(client, WAITING, editor))["staff"]["proposals"]["edges"][0]
    decided = await query(
        client, DECIDE, editor, id=node["node"]["id"], decision="REJECT"
    )
    assert decided["decideProposal"]["record"]["state"] == "REJECTED"
    assert await query(client, PUBLIC, slug="bright-minds") == before
    done = await query(client, WAITING, editor, states=["REJECTED"])
    rejected = done["staff"]["proposals"]["edges"][0]["node"]
    assert rejected["decisionReason"] == "Checked with the partner"
    assert rejected["differences"] == []


async def test_a_proposal_the_record_outgrew_is_refused_with_its_problem(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    """The office took the school away after the partner proposed a session
    there: approving says so, and writes nothing."""
    key = await invited(client, editor, "bright-minds")
    await proposed(client, key)
    program = await m.Program.get(slug="homework-club")
    await m.Session.filter(program_id=program.pk).delete()
    await program.sites.clear()
    node = (await query(client, WAITING, editor))["staff"]["proposals"]["edges"][0]
    assert node["node"]["problems"][0]["field"].startswith("input.programs.0.sessions")
    written = await m.AuditEntry.all().count()
    decided = await query(
        client, DECIDE, editor, id=node["node"]["id"], decision="APPROVE"
    )
    assert decided["decideProposal"]["record"] is None
    assert (await m.Proposal.get()).state is m.ProposalState.PENDING
    assert await m.Session.filter(program_id=program.pk).count() == 0
    assert await m.AuditEntry.all().count() == written


async def test_the_digest_lists_the_proposals_waiting(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    key = await invited(client, editor, "bright-minds")
    await proposed(client, key)
    found = await reminders.digest(district, 30)
    text = reminders.text(found, "Riverton")
    number = (await m.Proposal.get()).pk
    assert (
        "Changes partners proposed, waiting for an editor (1)\n"
        f"- Bright Minds Tutoring (bright-minds): proposal {number}, from "
        "Dana Reyes <dana@bright.example.org>, "
    ) in text
