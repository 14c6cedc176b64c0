"""Every staff mutation: a valid call, its validation errors, and a failure half-way
that must leave the database as it was."""

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

import models as m
from models import audit
from tests.conftest import TEST_DATABASE_URL
from tests.district import DAY, build_district
from tests.gql import error_messages, post, query

PAYLOAD = "errors { field message }"
CREATE_PARTNER = f"""
mutation C($input: PartnerInput!) {{
  createPartner(input: $input) {{ record {{ slug name status categories {{ slug }} }}
  {PAYLOAD} }}
}}"""
UPDATE_PARTNER = f"""
mutation U($slug: String!, $input: PartnerInput!) {{
  updatePartner(slug: $slug, input: $input) {{ record {{ slug website }} {PAYLOAD} }}
}}"""
SET_STATUS = f"""
mutation S($slug: String!, $status: PartnerStatus!, $reason: String!) {{
  setPartnerStatus(slug: $slug, status: $status, reason: $reason) {{
    record {{ status statusReason listed }} {PAYLOAD} }}
}}"""
CREATE_PROGRAM = f"""
mutation P($partner: String!, $input: ProgramInput!) {{
  createProgram(partner: $partner, input: $input) {{
    record {{ slug timing grades serviceTypes {{ slug }} schoolSites {{ slug }}
              languages {{ code }} }} {PAYLOAD} }}
}}"""
UPDATE_PROGRAM = f"""
mutation P($slug: String!, $input: ProgramInput!) {{
  updateProgram(slug: $slug, input: $input) {{
    record {{ slug timing grades }} {PAYLOAD} }}
}}"""
CREATE_SITE = f"""
mutation S($input: SchoolSiteInput!) {{
  createSchoolSite(input: $input) {{ record {{ slug grades }} {PAYLOAD} }}
}}"""
UPDATE_SITE = f"""
mutation S($slug: String!, $input: SchoolSiteInput!) {{
  updateSchoolSite(slug: $slug, input: $input) {{ record {{ slug name }} {PAYLOAD} }}
}}"""
CREATE_SERVICE = f"""
mutation S($input: ServiceTypeInput!) {{
  createServiceType(input: $input) {{ record {{ slug name }} {PAYLOAD} }}
}}"""
UPDATE_SERVICE = f"""
mutation S($slug: String!, $input: ServiceTypeInput!) {{
  updateServiceType(slug: $slug, input: $input) {{ record {{ slug name }} {PAYLOAD} }}
}}"""
RECORD = f"""
mutation R($partner: String!, $input: AgreementInput!) {{
  recordAgreement(partner: $partner, input: $input) {{
    record {{ id kind status inForce partnerSlug programSlug }} {PAYLOAD} }}
}}"""
RENEW = f"""
mutation R($id: ID!, $endsOn: Date!) {{
  renewAgreement(id: $id, endsOn: $endsOn) {{
    record {{ startsOn endsOn status inForce }} {PAYLOAD} }}
}}"""
END = f"""
mutation E($id: ID!, $reason: String!) {{
  endAgreement(id: $id, reason: $reason) {{ record {{ status inForce }} {PAYLOAD} }}
}}"""
END_AS_OF = f"""
mutation E($id: ID!, $reason: String!, $endsOn: Date) {{
  endAgreement(id: $id, reason: $reason, endsOn: $endsOn) {{
    record {{ status startsOn endsOn inForce }} {PAYLOAD} }}
}}"""
CORRECT = f"""
mutation C($id: ID!, $reason: String!, $startsOn: Date, $endsOn: Date) {{
  correctAgreement(id: $id, reason: $reason, startsOn: $startsOn, endsOn: $endsOn) {{
    record {{ status startsOn endsOn inForce }} {PAYLOAD} }}
}}"""
LISTED = "query L($slug: String!) { partner(slug: $slug) { slug } }"


async def run(
    client: httpx.AsyncClient, token: str, document: str, **variables: Any
) -> dict[str, Any]:
    data = await query(client, document, token, **variables)
    [payload] = data.values()
    result: dict[str, Any] = payload
    return result


def problems(payload: dict[str, Any]) -> dict[str, str]:
    assert payload["record"] is None
    return {e["field"]: e["message"] for e in payload["errors"]}


async def snapshot() -> list[Any]:
    """Every row that a mutation could touch, to prove nothing changed."""
    rows: list[Any] = []
    for model in (
        m.Partner,
        m.Program,
        m.SchoolSite,
        m.ServiceType,
        m.Agreement,
        m.AuditEntry,
        m.Session,
    ):
        rows.append(await model.all().order_by("id").values())
    rows.append(
        await m.Partner.all().order_by("id").values_list("id", "categories__id")
    )
    rows.append(
        await m.Program.all()
        .order_by("id")
        .values_list("id", "service_types__id", "sites__id")
    )
    return rows


async def test_create_partner_and_its_audit_entry(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    payload = await run(
        client,
        editor,
        CREATE_PARTNER,
        input={
            "slug": "river-robotics",
            "name": "River Robotics",
            "website": "https://river.example.org",
            "categories": ["community-education"],
        },
    )
    assert payload == {
        "record": {
            "slug": "river-robotics",
            "name": "River Robotics",
            "status": "APPLIED",
            "categories": [{"slug": "community-education"}],
        },
        "errors": [],
    }
    [entry] = await m.AuditEntry.all()
    assert (entry.actor, entry.action, entry.entity_key) == (
        "editor-token",
        "partner.create",
        "river-robotics",
    )
    assert entry.changes["name"] == [None, "River Robotics"]
    assert entry.changes["categories"] == [[], ["community-education"]]


async def test_create_partner_reports_every_problem_and_writes_nothing(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    before = await snapshot()
    payload = await run(
        client,
        editor,
        CREATE_PARTNER,
        input={
            "slug": "Bad Slug!",
            "name": "<b>Bold</b> Org",
            "summary": "=HYPERLINK(1)",
            "website": "javascript:alert(1)",
            "email": "not-an-email",
            "phone": "call us",
            "postalCode": "ABCDE",
            "categories": ["contracted-partner", "no-such-kind"],
            "description": "x" * 5001,
        },
    )
    assert problems(payload) == {
        "input.slug": "must be lower-case letters, digits and single hyphens "
        "(e.g. bright-minds), at most 80",
        "input.name": "must be plain text, not HTML",
        "input.summary": "must not start with = or @ (a spreadsheet formula)",
        "input.website": "must be a web address starting with https://",
        "input.email": "must be an e-mail address like info@example.org",
        "input.phone": "must be a phone number like 612-555-0142",
        "input.postalCode": "must be a ZIP code like 55401",
        "input.categories": "unknown: no-such-kind",
        "input.description": "is 5001 characters; at most 5000",
    }
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"name": "No Slug"}, "input.slug", "is required"),
        ({"slug": "no-name"}, "input.name", "is required"),
        (
            {"slug": "city-arts", "name": "Twin"},
            "input.slug",
            "is already used by another partner",
        ),
        (
            {"slug": "x", "name": "y" * 201},
            "input.name",
            "is 201 characters; at most 200",
        ),
        (
            {"slug": "x", "name": "Line\nbreak"},
            "input.name",
            "must be one line, without tabs or line breaks",
        ),
        (
            {"slug": "x", "name": "Bank\u202egnp.exe"},
            "input.name",
            "contains control characters or bidirectional overrides",
        ),
    ],
)
async def test_create_partner_single_problems(
    client: httpx.AsyncClient,
    district: date,
    editor: str,
    given: dict[str, str],
    field: str,
    message: str,
) -> None:
    payload = await run(client, editor, CREATE_PARTNER, input=given)
    assert problems(payload) == {field: message}


async def test_update_partner_changes_only_what_is_given(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    payload = await run(
        client,
        editor,
        UPDATE_PARTNER,
        slug="city-arts",
        input={"website": "https://arts.example.org"},
    )
    assert payload == {
        "record": {"slug": "city-arts", "website": "https://arts.example.org"},
        "errors": [],
    }
    partner = await m.Partner.get(slug="city-arts")
    assert partner.name == "City Arts Collective"
    [entry] = await m.AuditEntry.filter(action="partner.update")
    assert entry.changes == {"website": ["", "https://arts.example.org"]}


@pytest.mark.parametrize(
    ("slug", "given", "field", "message"),
    [
        ("nobody", {"name": "X"}, "slug", "no partner 'nobody'"),
        (
            "city-arts",
            {"status": "APPROVED"},
            "input.status",
            "use setPartnerStatus, which records a reason",
        ),
        (
            "city-arts",
            {"slug": "mentor-match"},
            "input.slug",
            "is already used by another partner",
        ),
        ("city-arts", {"name": ""}, "input.name", "is required"),
        (
            "city-arts",
            {"website": "www.example.org"},
            "input.website",
            "must be a web address starting with https://",
        ),
    ],
)
async def test_update_partner_problems(
    client: httpx.AsyncClient,
    district: date,
    editor: str,
    slug: str,
    given: dict[str, str],
    field: str,
    message: str,
) -> None:
    before = await snapshot()
    assert problems(
        await run(client, editor, UPDATE_PARTNER, slug=slug, input=given)
    ) == {field: message}
    assert await snapshot() == before


async def test_last_verified_may_be_today_but_not_a_day_to_come(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    before = await snapshot()
    tomorrow = (district + timedelta(days=1)).isoformat()
    payload = await run(
        client, editor, UPDATE_PARTNER, slug="city-arts",
        input={"lastVerifiedOn": tomorrow},
    )  # fmt: skip
    assert problems(payload) == {
        "input.lastVerifiedOn": f"is after today ({district.isoformat()}): the day "
        "a partner's facts were last checked cannot be still to come"
    }
    assert await snapshot() == before
    payload = await run(
        client, editor, UPDATE_PARTNER, slug="city-arts",
        input={"lastVerifiedOn": district.isoformat()},
    )  # fmt: skip
    assert payload["errors"] == []
    assert (await m.Partner.get(slug="city-arts")).last_verified_on == district


async def test_setting_status_lists_and_unlists_a_partner(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    assert (await query(client, LISTED, slug="applied-org"))["partner"] is None
    payload = await run(
        client,
        editor,
        SET_STATUS,
        slug="applied-org",
        status="APPROVED",
        reason="Board approved on 11/20",
    )
    assert payload["record"] == {
        "status": "APPROVED",
        "statusReason": "Board approved on 11/20",
        "listed": True,
    }
    assert (await query(client, LISTED, slug="applied-org"))["partner"] is not None
    await run(
        client,
        editor,
        SET_STATUS,
        slug="applied-org",
        status="SUSPENDED",
        reason="Insurance lapsed",
    )
    assert (await query(client, LISTED, slug="applied-org"))["partner"] is None
    entries = await m.AuditEntry.filter(entity_key="applied-org").order_by("id")
    assert [e.reason for e in entries] == [
        "Board approved on 11/20",
        "Insurance lapsed",
    ]
    assert entries[1].changes["status"] == ["approved", "suspended"]


@pytest.mark.parametrize(
    ("slug", "reason", "field", "message"),
    [
        ("applied-org", "  ", "reason", "is required"),
        ("nobody", "why", "slug", "no partner 'nobody'"),
    ],
)
async def test_set_status_problems(
    client: httpx.AsyncClient,
    district: date,
    editor: str,
    slug: str,
    reason: str,
    field: str,
    message: str,
) -> None:
    before = await snapshot()
    payload = await run(
        client, editor, SET_STATUS, slug=slug, status="APPROVED", reason=reason
    )
    assert problems(payload) == {field: message}
    assert await snapshot() == before


PROGRAM = {
    "slug": "chess-club",
    "name": "Chess Club",
    "gradeMin": 3,
    "gradeMax": 8,
    "serviceTypes": ["mentoring"],
    "schoolSites": ["lake-middle"],
    "languages": ["es"],
    "timing": ["AFTER_SCHOOL", "WEEKENDS"],
}


async def test_create_and_update_program(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    payload = await run(
        client, editor, CREATE_PROGRAM, partner="city-arts", input=PROGRAM
    )
    assert payload == {
        "record": {
            "slug": "chess-club",
            "timing": ["AFTER_SCHOOL", "WEEKENDS"],
            "grades": "3–8",
            "serviceTypes": [{"slug": "mentoring"}],
            "schoolSites": [{"slug": "lake-middle"}],
            "languages": [{"code": "es"}],
        },
        "errors": [],
    }
    found = await query(
        client,
        '{ partners(filter: {schoolSites: ["lake-middle"], '
        'serviceTypes: ["mentoring"], grade: 3}) { edges { node { slug } } } }',
    )
    assert {e["node"]["slug"] for e in found["partners"]["edges"]} == {
        "city-arts",
        "mentor-match",
    }
    payload = await run(
        client,
        editor,
        UPDATE_PROGRAM,
        slug="chess-club",
        input={"timing": ["SUMMER"], "gradeMax": 5},
    )
    assert payload["record"] == {
        "slug": "chess-club",
        "timing": ["SUMMER"],
        "grades": "3–5",
    }


@pytest.mark.parametrize(
    ("partner", "given", "expected"),
    [
        ("nobody", PROGRAM, {"partner": "no partner 'nobody'"}),
        (
            "city-arts",
            {**PROGRAM, "gradeMin": 9, "gradeMax": 4},
            {"input.gradeMax": "must not be below the lowest grade"},
        ),
        (
            "city-arts",
            {**PROGRAM, "gradeMin": -2},
            {"input.gradeMin": "must be -1 (pre-K), 0 (K) or 1 to 12"},
        ),
        (
            "city-arts",
            {
                **PROGRAM,
                "serviceTypes": ["juggling"],
                "schoolSites": ["mars"],
                "languages": ["xx"],
            },
            {
                "input.serviceTypes": "unknown: juggling",
                "input.schoolSites": "unknown: mars",
                "input.languages": "unknown: xx",
            },
        ),
        (
            "city-arts",
            {**PROGRAM, "slug": "homework-club"},
            {"input.slug": "is already used by another program"},
        ),
        (
            "city-arts",
            {"slug": "bare"},
            {
                "input.name": "is required",
                "input.gradeMin": "is required",
                "input.gradeMax": "is required",
            },
        ),
    ],
)
async def test_create_program_problems(
    client: httpx.AsyncClient,
    district: date,
    editor: str,
    partner: str,
    given: dict[str, Any],
    expected: dict[str, str],
) -> None:
    before = await snapshot()
    payload = await run(client, editor, CREATE_PROGRAM, partner=partner, input=given)
    assert problems(payload) == expected
    assert await snapshot() == before


async def test_update_program_problems(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    before = await snapshot()
    payload = await run(
        client, editor, UPDATE_PROGRAM, slug="homework-club", input={"gradeMin": 7}
    )  # the program runs grades 1 to 5
    assert problems(payload) == {"input.gradeMax": "must not be below the lowest grade"}
    payload = await run(client, editor, UPDATE_PROGRAM, slug="nothing", input={})
    assert problems(payload) == {"slug": "no program 'nothing'"}
    assert await snapshot() == before


SITE = {
    "slug": "pine-elementary",
    "name": "Pine Elementary",
    "level": "ELEMENTARY",
    "gradeMin": 0,
    "gradeMax": 5,
    "street": "9 Pine St",
    "city": "Riverton",
    "postalCode": "55409",
}


async def test_school_sites(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    payload = await run(client, editor, CREATE_SITE, input=SITE)
    assert payload == {
        "record": {"slug": "pine-elementary", "grades": "K–5"},
        "errors": [],
    }
    payload = await run(
        client,
        editor,
        UPDATE_SITE,
        slug="pine-elementary",
        input={"name": "Pine Grove Elementary"},
    )
    assert payload["record"] == {
        "slug": "pine-elementary",
        "name": "Pine Grove Elementary",
    }
    before = await snapshot()
    payload = await run(
        client,
        editor,
        CREATE_SITE,
        input={**SITE, "slug": "cedar-elementary", "phone": "x", "postalCode": "1"},
    )
    assert problems(payload) == {
        "input.slug": "is already used by another school site",
        "input.phone": "must be a phone number like 612-555-0142",
        "input.postalCode": "must be a ZIP code like 55401",
    }
    payload = await run(
        client, editor, CREATE_SITE, input={"slug": "half", "name": "H"}
    )
    assert set(problems(payload)) == {
        "input.level",
        "input.gradeMin",
        "input.gradeMax",
        "input.street",
        "input.city",
        "input.postalCode",
    }
    payload = await run(
        client, editor, UPDATE_SITE, slug="lake-middle", input={"gradeMax": 5}
    )
    assert problems(payload) == {"input.gradeMax": "must not be below the lowest grade"}
    assert await snapshot() == before


async def test_service_types(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    payload = await run(
        client, editor, CREATE_SERVICE, input={"slug": "robotics", "name": "Robotics"}
    )
    assert payload == {"record": {"slug": "robotics", "name": "Robotics"}, "errors": []}
    payload = await run(
        client,
        editor,
        UPDATE_SERVICE,
        slug="robotics",
        input={"name": "Robotics & coding"},
    )
    assert payload["record"] == {"slug": "robotics", "name": "Robotics & coding"}
    before = await snapshot()
    payload = await run(
        client, editor, CREATE_SERVICE, input={"slug": "arts", "name": ""}
    )
    assert problems(payload) == {
        "input.slug": "is already used by another service type",
        "input.name": "is required",
    }
    payload = await run(
        client, editor, UPDATE_SERVICE, slug="nope", input={"name": "N"}
    )
    assert problems(payload) == {"slug": "no service type 'nope'"}
    assert await snapshot() == before


async def test_a_recorded_contract_lists_a_contracted_partner(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    assert (await query(client, LISTED, slug="no-contract"))["partner"] is None
    payload = await run(
        client,
        editor,
        RECORD,
        partner="no-contract",
        input={
            "kind": "CONTRACT",
            "startsOn": (district - timedelta(days=90)).isoformat(),
            "endsOn": (district + timedelta(days=200)).isoformat(),
            "program": "no-contract-tutoring",
            "reference": "C-2026-0001",
        },
    )
    record = payload["record"]
    assert (record["kind"], record["status"], record["inForce"]) == (
        "CONTRACT",
        "ACTIVE",
        True,
    )
    assert record["programSlug"] == "no-contract-tutoring"
    assert (await query(client, LISTED, slug="no-contract"))["partner"] is not None


async def test_record_agreement_problems(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    before = await snapshot()
    payload = await run(
        client,
        editor,
        RECORD,
        partner="no-contract",
        input={
            "startsOn": "2027-01-01",
            "endsOn": "2026-01-01",
            "program": "homework-club",
            "reference": "=cmd|' /C calc'!A0",
        },
    )
    assert problems(payload) == {
        "input.kind": "is required",
        "input.endsOn": "must be on or after input.startsOn (2027-01-01)",
        "input.program": "no-contract has no program 'homework-club'",
        "input.reference": "must not start with = or @ (a spreadsheet formula)",
    }
    payload = await run(client, editor, RECORD, partner="nobody", input={})
    assert problems(payload) == {"partner": "no partner 'nobody'"}
    assert await snapshot() == before


async def test_renewing_keeps_a_partner_listed_past_its_contract(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    # bright-minds' contract ends today (see tests/district.py)
    contract = await m.Agreement.get(partner__slug="bright-minds")
    tomorrow = m.Listing(district + timedelta(days=1))
    assert "bright-minds" not in [p.slug for p in await tomorrow.partners()]
    in_a_year = (district + timedelta(days=365)).isoformat()
    payload = await run(client, editor, RENEW, id=str(contract.id), endsOn=in_a_year)
    assert payload["record"] == {
        "startsOn": tomorrow.day.isoformat(),
        "endsOn": in_a_year,
        "status": "ACTIVE",
        "inForce": False,
    }
    assert "bright-minds" in [p.slug for p in await tomorrow.partners()]
    before = await snapshot()
    last_year = (district - timedelta(days=365)).isoformat()
    payload = await run(client, editor, RENEW, id=str(contract.id), endsOn=last_year)
    assert problems(payload) == {
        "endsOn": f"must be on or after startsOn ({tomorrow.day.isoformat()})"
    }
    payload = await run(client, editor, RENEW, id="999999", endsOn="2027-01-01")
    assert problems(payload) == {"id": "no agreement '999999'"}
    assert await snapshot() == before


async def test_ending_a_contract_unlists_the_partner(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    contract = await m.Agreement.get(partner__slug="mentor-match")
    payload = await run(
        client, editor, END, id=str(contract.id), reason="Program closed"
    )
    assert payload["record"] == {"status": "ENDED", "inForce": False}
    assert (await query(client, LISTED, slug="mentor-match"))["partner"] is None
    before = await snapshot()
    payload = await run(client, editor, END, id=str(contract.id), reason="again")
    assert problems(payload) == {"id": "has already ended"}
    payload = await run(client, editor, END, id="x", reason="")
    assert problems(payload) == {
        "id": "must be an agreement's id, a whole number from 1 to 2147483647"
    }
    assert await snapshot() == before


async def test_an_agreement_ended_as_of_a_past_day_records_that_day(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    contract = await m.Agreement.get(partner__slug="mentor-match")
    key = str(contract.id)
    before = await snapshot()
    # not a day to come, nor one before it started
    tomorrow = district + timedelta(days=1)
    payload = await run(
        client, editor, END_AS_OF, id=key, reason="x", endsOn=tomorrow.isoformat()
    )
    assert problems(payload) == {
        "endsOn": f"is after today ({district.isoformat()}): the day it ended "
        "cannot be still to come"
    }
    early = contract.starts_on - timedelta(days=1)
    payload = await run(
        client, editor, END_AS_OF, id=key, reason="x", endsOn=early.isoformat()
    )
    assert problems(payload) == {
        "endsOn": f"must be on or after startsOn ({contract.starts_on.isoformat()})"
    }
    # nor one after its last day: ending early never runs it longer
    await m.Agreement.filter(id=contract.id).update(
        ends_on=district - timedelta(days=3)
    )
    payload = await run(
        client, editor, END_AS_OF, id=key, reason="x", endsOn=district.isoformat()
    )
    last = (district - timedelta(days=3)).isoformat()
    assert problems(payload) == {
        "endsOn": f"is after its last day ({last}): correctAgreement changes that"
    }
    await m.Agreement.filter(id=contract.id).update(ends_on=contract.ends_on)
    assert await snapshot() == before
    # "ended as of last Friday"
    friday = district - timedelta(days=(district.weekday() - 4) % 7 or 7)
    payload = await run(
        client, editor, END_AS_OF, id=key, reason="Closed last Friday",
        endsOn=friday.isoformat(),
    )  # fmt: skip
    assert payload["errors"] == []
    assert payload["record"] == {
        "status": "ENDED",
        "startsOn": contract.starts_on.isoformat(),
        "endsOn": friday.isoformat(),
        "inForce": False,
    }
    assert (await query(client, LISTED, slug="mentor-match"))["partner"] is None
    entry = await m.AuditEntry.get(action="agreement.end")
    assert entry.reason == "Closed last Friday"
    assert entry.changes["ends_on"] == [
        contract.ends_on.isoformat(),
        friday.isoformat(),
    ]


async def test_a_mistyped_end_is_corrected_with_a_reason_and_listed_again(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    # a contract typed as ending yesterday, which should have run to next June
    contract = await m.Agreement.get(partner__slug="mentor-match")
    yesterday = district - timedelta(days=1)
    await m.Agreement.filter(id=contract.id).update(ends_on=yesterday)
    assert (await query(client, LISTED, slug="mentor-match"))["partner"] is None
    key, before = str(contract.id), await snapshot()
    for variables, errors in [
        ({"reason": "", "endsOn": "2031-06-30"}, {"reason": "is required"}),
        ({"reason": "typo"}, {"id": "give startsOn, endsOn or reference to correct"}),
        (
            {"reason": "typo", "endsOn": "1999-01-01"},
            {"endsOn": f"must be on or after startsOn ({contract.starts_on})"},
        ),
    ]:
        payload = await run(client, editor, CORRECT, id=key, **variables)
        assert problems(payload) == errors, variables
    assert await snapshot() == before
    june = date(district.year + 1, 6, 30)
    payload = await run(
        client, editor, CORRECT, id=key, reason="Typed 2030 for 2031",
        endsOn=june.isoformat(),
    )  # fmt: skip
    assert payload["errors"] == []
    assert payload["record"]["endsOn"] == june.isoformat()
    assert payload["record"]["status"] == "ACTIVE" and payload["record"]["inForce"]
    assert (await query(client, LISTED, slug="mentor-match"))["partner"] is not None
    entry = await m.AuditEntry.get(action="agreement.correct")
    assert (entry.reason, entry.changes["ends_on"]) == (
        "Typed 2030 for 2031",
        [yesterday.isoformat(), june.isoformat()],
    )


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (
            CREATE_PARTNER,
            {
                "input": {
                    "slug": "half-made",
                    "name": "Half Made",
                    "categories": ["mental-health"],
                }
            },
        ),
        (
            UPDATE_PARTNER,
            {
                "slug": "city-arts",
                "input": {"name": "Renamed", "categories": ["mental-health"]},
            },
        ),
        (SET_STATUS, {"slug": "applied-org", "status": "APPROVED", "reason": "ok"}),
        (CREATE_PROGRAM, {"partner": "city-arts", "input": PROGRAM}),
        (
            UPDATE_PROGRAM,
            {
                "slug": "homework-club",
                "input": {
                    "timing": ["SUMMER"],
                    "schoolSites": ["north-high"],
                    "sessions": [],
                },
            },
        ),
        (CREATE_SITE, {"input": SITE}),
        (UPDATE_SITE, {"slug": "lake-middle", "input": {"name": "Lake"}}),
        (CREATE_SERVICE, {"input": {"slug": "robotics", "name": "Robotics"}}),
        (UPDATE_SERVICE, {"slug": "arts", "input": {"name": "Art"}}),
        (
            RECORD,
            {
                "partner": "no-contract",
                "input": {
                    "kind": "CONTRACT",
                    "startsOn": "2026-01-01",
                    "endsOn": "2027-01-01",
                },
            },
        ),
        (RENEW, {"id": "1", "endsOn": "2099-12-31"}),
        (END, {"id": "1", "reason": "closing"}),
    ],
)
async def test_a_failure_half_way_leaves_nothing_written(
    client: httpx.AsyncClient,
    district: date,
    editor: str,
    monkeypatch: pytest.MonkeyPatch,
    document: str,
    variables: dict[str, Any],
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full while writing the audit trail")

    before = await snapshot()
    monkeypatch.setattr(audit, "record", broken)
    answer = await post(client, document, editor, **variables)
    assert error_messages(answer) == ["Unexpected error."]
    assert "disk full" not in json.dumps(answer)
    assert await snapshot() == before


async def test_the_audit_trail_is_readable_by_staff(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    await run(
        client,
        tokens["editor"],
        SET_STATUS,
        slug="city-arts",
        status="SUSPENDED",
        reason="Complaint under review",
    )
    data = await query(
        client,
        """{ staff {
        auditLog(first: 5) { edges { node { actor action entityKey changes reason } } }
        partner(slug: "city-arts") { history { action actor } listed }
    } }""",
        tokens["viewer"],
    )
    [edge] = data["staff"]["auditLog"]["edges"]
    assert edge["node"]["actor"] == "editor-token"
    assert json.loads(edge["node"]["changes"]) == {
        "status": ["approved", "suspended"],
        "status_reason": ["", "Complaint under review"],
    }
    assert data["staff"]["partner"] == {
        "history": [{"action": "partner.status", "actor": "editor-token"}],
        "listed": False,
    }


async def test_expiring_agreements_and_lapsing_partners(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    data = await query(
        client,
        """{ staff {
        expiringAgreements(withinDays: 1) { partnerSlug daysLeft }
        lapsingPartners(withinDays: 1) { slug }
        later: lapsingPartners(withinDays: 366) { slug }
    } }""",
        tokens["viewer"],
    )
    assert data["staff"]["expiringAgreements"] == [
        {"partnerSlug": "bright-minds", "daysLeft": 0}
    ]
    assert data["staff"]["lapsingPartners"] == [{"slug": "bright-minds"}]
    assert {p["slug"] for p in data["staff"]["later"]} == {
        "bright-minds",
        "mentor-match",
    }
    answer = await post(
        client,
        "{ staff { lapsingPartners(withinDays: 0) { slug } } }",
        tokens["viewer"],
    )
    assert error_messages(answer) == ["withinDays must be between 1 and 366, got 0"]


async def test_a_partners_history_tells_the_whole_story(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    """Agreement, program and status changes, with who and why, in the partner's
    history and named in the audit log; a new slug keeps the past."""
    editor = tokens["editor"]
    recorded = await run(
        client,
        editor,
        RECORD,
        partner="no-contract",
        input={
            "kind": "CONTRACT",
            "startsOn": district.isoformat(),
            "endsOn": (district + timedelta(days=200)).isoformat(),
        },
    )
    await run(client, editor, END, id=recorded["record"]["id"], reason="Lost funding")
    await run(
        client,
        editor,
        UPDATE_PROGRAM,
        slug="no-contract-tutoring",
        input={"gradeMin": 2},
    )
    await run(
        client,
        editor,
        SET_STATUS,
        slug="no-contract",
        status="SUSPENDED",
        reason="Contract ended",
    )
    await run(
        client,
        editor,
        UPDATE_PARTNER,
        slug="no-contract",
        input={"slug": "renamed-org"},
    )
    data = await query(
        client,
        """{ staff {
        partner(slug: "renamed-org") { history { action entity actor reason partner } }
        auditLog(partner: "renamed-org", entity: "Agreement") {
          edges { node { action partner } } }
    } }""",
        tokens["viewer"],
    )
    history = data["staff"]["partner"]["history"]
    assert [(h["action"], h["entity"]) for h in history] == [
        ("partner.update", "Partner"),
        ("partner.status", "Partner"),
        ("program.update", "Program"),
        ("agreement.end", "Agreement"),
        ("agreement.record", "Agreement"),
    ]
    assert {h["actor"] for h in history} == {"editor-token"}
    assert {h["partner"] for h in history} == {"renamed-org"}
    assert [h["reason"] for h in history[1::2]] == ["Contract ended", "Lost funding"]
    log = data["staff"]["auditLog"]["edges"]
    assert [e["node"]["action"] for e in log] == ["agreement.end", "agreement.record"]
    assert {e["node"]["partner"] for e in log} == {"renamed-org"}


@pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("sqlite"),
    reason="SQLite's one-writer lock; PostgreSQL locks the rows an import writes",
)
async def test_a_write_while_an_import_holds_sqlite_says_so(
    migrated_url: str, tmp_path: Path
) -> None:
    import sqlite3

    from api.app import create_app
    from models.db import database

    async with database(migrated_url):
        await build_district(DAY)
        secret = m.new_token()
        await m.StaffToken.create(
            name="editor-token", role=m.Role.EDITOR, token_hash=m.hash_token(secret)
        )
        holder = sqlite3.connect(migrated_url.removeprefix("sqlite://"))
        holder.execute("BEGIN IMMEDIATE")  # as a long import does
        try:
            app = create_app(
                database_url=migrated_url,
                site_dir=str(tmp_path / "no-site"),
                today=lambda: DAY,
            )
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://test"
            ) as client:
                answer = await post(
                    client,
                    'mutation { updatePartner(slug: "city-arts", input: '
                    '{summary: "New"}) { record { slug } } }',
                    secret,
                )
        finally:
            holder.rollback()
            holder.close()
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "DATABASE_BUSY"
    assert error["message"].startswith("The database is busy with another write")
