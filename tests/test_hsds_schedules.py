"""Open Referral schedules from sessions: each session where it meets (on the
service_at_location of its school, on the service for the partner's own site),
exact RFC 5545 fields checked against the official schemas, no address of a
confidential partner, stable ids, the tabular export, the same statements at any
page size; programs without sessions answer as before."""

import csv
import json
from datetime import date, time
from pathlib import Path
from typing import Any

import httpx
import pytest

import models as m
from api.hsds import tabular
from api.hsds.answers import link_id
from api.hsds.schedules import days_text, hours_text
from models.public_ids import Kind, public_id
from models.session import Weekday
from tests.conftest import StatementLog
from tests.hsds_schemas import page_problems, problems
from tests.test_hsds import get
from tests.test_mutations import PAYLOAD, run

SET_SESSIONS = f"""
mutation P($slug: String!, $input: ProgramInput!) {{
  updateProgram(slug: $slug, input: $input) {{ record {{ slug }} {PAYLOAD} }}
}}"""
# A school year across both daylight-saving changes, and a summer inside one.
SCHOOL_YEAR = {"validFrom": "2030-09-02", "validUntil": "2031-06-06"}  # Mon to Fri
SUMMER = {"validFrom": "2031-06-14", "validUntil": "2031-08-09"}  # Sat to Sat
MENTORING = [
    {
        "days": ["TUESDAY", "THURSDAY"],
        "startsAt": "15:30",
        "endsAt": "17:00",
        "schoolSite": "lake-middle",
        **SCHOOL_YEAR,
    },
    {"days": ["SATURDAY"], "startsAt": "10:00", "endsAt": "12:00", **SUMMER},
]
COUNSELING = [
    {"days": ["WEDNESDAY"], "startsAt": "13:00", "endsAt": "14:00", **SCHOOL_YEAR},
    {
        "days": ["MONDAY"],
        "startsAt": "11:00",
        "endsAt": "12:30",
        "schoolSite": "north-high",
        **SCHOOL_YEAR,
    },
]
HIDDEN_STREET = "77 Hidden Way"
NOTES = "Times are local time in America/Chicago."


async def _set(
    client: httpx.AsyncClient, editor: str, slug: str, sessions: Any
) -> None:
    payload = await run(
        client, editor, SET_SESSIONS, slug=slug, input={"sessions": sessions}
    )
    assert payload["errors"] == [], payload


async def _uuid(kind: Kind, model: Any, slug: str) -> str:
    return str(public_id(kind, (await model.get(slug=slug)).id))


@pytest.fixture
async def no_sessions(district: date) -> date:
    """The test district without sessions of its own (before any request reads
    it): the tests here name every session there is."""
    await m.Session.all().delete()
    return district


@pytest.fixture
async def sessions(
    client: httpx.AsyncClient, no_sessions: date, editor: str
) -> dict[str, str]:
    """Mentoring Circle (a public address) and School Counseling (a confidential
    one) meet at a school and at their partner's own site; the ids that matter."""
    await m.Partner.filter(slug="harbor-counseling").update(street=HIDDEN_STREET)
    await _set(client, editor, "mentoring-circle", MENTORING)
    await _set(client, editor, "school-counseling", COUNSELING)
    return {
        "mentoring": await _uuid(Kind.PROGRAM, m.Program, "mentoring-circle"),
        "counseling": await _uuid(Kind.PROGRAM, m.Program, "school-counseling"),
        "homework": await _uuid(Kind.PROGRAM, m.Program, "homework-club"),
        "lake": await _uuid(Kind.SCHOOL_SITE, m.SchoolSite, "lake-middle"),
        "cedar": await _uuid(Kind.SCHOOL_SITE, m.SchoolSite, "cedar-elementary"),
        "north": await _uuid(Kind.SCHOOL_SITE, m.SchoolSite, "north-high"),
        "harbor": await _uuid(Kind.PARTNER, m.Partner, "harbor-counseling"),
    }


def _without_id(schedule: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schedule.items() if k != "id"}


async def test_a_service_carries_its_sessions_where_they_meet(
    client: httpx.AsyncClient, sessions: dict[str, str]
) -> None:
    service = await get(client, f"/services/{sessions['mentoring']}")
    assert problems("service.json", service) == []
    # At the partner's own site: the service's own schedule, and no timing words.
    assert [_without_id(s) for s in service["schedules"]] == [
        {
            "service_id": sessions["mentoring"],
            "valid_from": "2031-06-14",
            "valid_to": "2031-08-09",
            "dtstart": "2031-06-14",
            "timezone": -5,  # the whole summer is on daylight time
            "until": "2031-08-09",
            "freq": "WEEKLY",
            "byday": "SA",
            "description": "Saturdays 10:00 am–12:00 pm",
            "opens_at": "10:00:00",
            "closes_at": "12:00:00",
            "attending_type": "In person",
            "notes": f"At the organization's own site. {NOTES}",
        }
    ]
    links = {link["location_id"]: link for link in service["service_at_locations"]}
    lake = links[sessions["lake"]]
    assert lake["id"] == link_id(sessions["mentoring"], sessions["lake"])
    assert [_without_id(s) for s in lake["schedules"]] == [
        {
            "service_at_location_id": lake["id"],
            "valid_from": "2030-09-02",
            "valid_to": "2031-06-06",
            "dtstart": "2030-09-03",  # the first Tuesday of the term
            "until": "2031-06-05",  # its last Thursday
            "freq": "WEEKLY",
            "byday": "TU,TH",
            "description": "Tuesdays and Thursdays 3:30–5:00 pm",
            "opens_at": "15:30:00",
            "closes_at": "17:00:00",
            "attending_type": "In person",
            # No timezone: the term crosses both daylight-saving changes.
            "notes": NOTES,
        }
    ]
    assert "schedules" not in links[sessions["cedar"]]  # no session there
    # A location says when the place is open, which a session does not.
    assert "schedules" not in lake["location"]


async def test_every_answer_with_schedules_validates(
    client: httpx.AsyncClient, sessions: dict[str, str]
) -> None:
    items = {
        "organizations": "organization.json",
        "services": "service.json",
        "service_at_locations": "service_at_location.json",
    }
    seen = 0
    for kind, schema in items.items():
        for full in ("false", "true"):
            found = await get(client, f"/{kind}?per_page=100&full={full}")
            assert page_problems(found, schema) == [], kind
            seen += json.dumps(found).count('"byday"')
            for item in found["contents"]:
                one = await get(client, f"/{kind}/{item['id']}")
                assert problems(schema, one) == [], (kind, item["id"])
    assert seen > 0


async def test_the_service_at_location_answers_carry_their_schedules(
    client: httpx.AsyncClient, sessions: dict[str, str]
) -> None:
    link = link_id(sessions["counseling"], sessions["north"])
    one = await get(client, f"/service_at_locations/{link}")
    [schedule] = one["schedules"]
    assert schedule["service_at_location_id"] == link
    assert (schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "MO",
        "11:00:00",
        "12:30:00",
    )
    assert schedule["description"] == "Mondays 11:00 am–12:30 pm"
    listed = await get(client, "/service_at_locations?per_page=100")
    assert next(s for s in listed["contents"] if s["id"] == link) == {
        k: v for k, v in one.items() if k != "service"
    }
    other = link_id(sessions["counseling"], sessions["lake"])
    assert "schedules" not in await get(client, f"/service_at_locations/{other}")


async def test_a_confidential_partners_own_site_gives_no_address_or_location(
    client: httpx.AsyncClient, district: date, sessions: dict[str, str], tmp_path: Path
) -> None:
    service = await get(client, f"/services/{sessions['counseling']}")
    [own] = service["schedules"]
    assert own["service_id"] == sessions["counseling"]
    assert "location_id" not in own and "service_at_location_id" not in own
    assert (own["byday"], own["opens_at"], own["valid_to"]) == (
        "WE",
        "13:00:00",
        "2031-06-06",
    )
    organization = await get(client, f"/organizations/{sessions['harbor']}")
    assert organization["locations"] == []
    located = {
        link["location_id"]
        for s in organization["services"]
        for link in s["service_at_locations"]
    }
    assert located == {sessions["lake"], sessions["north"]}  # its schools only
    answers = [json.dumps(service), json.dumps(organization)]
    for kind in ("organizations", "services", "service_at_locations"):
        answers.append(json.dumps(await get(client, f"/{kind}?full=true&per_page=100")))
    out = tmp_path / "hsds"
    tabular.write(await tabular.collect(district), out, district)
    answers += [p.read_text() for p in out.iterdir()]
    assert all(HIDDEN_STREET not in text for text in answers)
    assert all('"location_id"' not in json.dumps(s) for s in service["schedules"])


async def test_programs_without_sessions_answer_as_before(
    client: httpx.AsyncClient, no_sessions: date, editor: str
) -> None:
    homework = await _uuid(Kind.PROGRAM, m.Program, "homework-club")
    mentoring = await _uuid(Kind.PROGRAM, m.Program, "mentoring-circle")
    before = await get(client, f"/services/{homework}")
    words = await get(client, f"/services/{mentoring}")
    assert [s["description"] for s in words["schedules"]] == ["After school"]
    assert all("schedules" not in s for s in words["service_at_locations"])
    await _set(client, editor, "mentoring-circle", MENTORING)
    assert await get(client, f"/services/{homework}") == before
    # Sessions say what the timing words said roughly, and take their place.
    after = await get(client, f"/services/{mentoring}")
    assert [s["byday"] for s in after["schedules"]] == ["SA"]
    await _set(client, editor, "mentoring-circle", [])
    assert await get(client, f"/services/{mentoring}") == words


async def test_schedule_ids_are_stable_while_the_session_says_the_same(
    client: httpx.AsyncClient, sessions: dict[str, str], editor: str
) -> None:
    async def ids() -> dict[str, str]:
        service = await get(client, f"/services/{sessions['mentoring']}")
        found = {s["byday"]: s["id"] for s in service["schedules"]}
        for link in service["service_at_locations"]:
            found |= {s["byday"]: s["id"] for s in link.get("schedules", [])}
        return found

    first = await ids()
    assert set(first) == {"SA", "TU,TH"}
    # Staff rewrite the sessions (new rows, in another order): the same ids.
    await _set(client, editor, "mentoring-circle", [])
    await _set(client, editor, "mentoring-circle", MENTORING[::-1])
    assert await ids() == first
    # A session that changes is another schedule; the other keeps its id.
    later = [MENTORING[0], {**MENTORING[1], "endsAt": "12:30"}]
    await _set(client, editor, "mentoring-circle", later)
    changed = await ids()
    assert changed["TU,TH"] == first["TU,TH"] and changed["SA"] != first["SA"]


async def test_two_sessions_that_say_the_same_are_one_schedule(
    client: httpx.AsyncClient, sessions: dict[str, str], editor: str
) -> None:
    await _set(client, editor, "mentoring-circle", [MENTORING[1], MENTORING[1]])
    service = await get(client, f"/services/{sessions['mentoring']}")
    assert [s["byday"] for s in service["schedules"]] == ["SA"]


async def test_a_session_at_a_school_the_program_left_leaves_nothing_dangling(
    client: httpx.AsyncClient, sessions: dict[str, str]
) -> None:
    """Staff cannot name a school the program is not at (tests/test_sessions.py);
    a row that says so anyway (written behind the API's back) has no
    service_at_location to go on, and goes nowhere."""
    program = await m.Program.get(slug="mentoring-circle")
    north = await m.SchoolSite.get(slug="north-high")
    await m.Session.create(
        program=program,
        site=north,
        days="FR",
        start_minute=900,
        end_minute=960,
        valid_from=date(2030, 9, 2),
        valid_until=date(2031, 6, 6),
    )
    found = await get(client, "/services?full=true&per_page=100")
    assert "FR" not in json.dumps(found)
    links = {
        link["id"] for s in found["contents"] for link in s["service_at_locations"]
    }
    for service in found["contents"]:
        for link in service["service_at_locations"]:
            assert all(
                s["service_at_location_id"] in links for s in link.get("schedules", [])
            )


async def test_the_tabular_export_has_the_schedules(
    district: date, sessions: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "hsds"
    tabular.write(await tabular.collect(district), out, district)

    def rows(table: str) -> list[dict[str, str]]:
        with (out / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    schedules = {
        (s["service_at_location_id"] or s["service_id"], s["byday"]): s
        for s in rows("schedules")
    }
    lake = link_id(sessions["mentoring"], sessions["lake"])
    school = schedules[(lake, "TU,TH")]
    assert (school["service_id"], school["opens_at"]) == ("", "15:30:00")
    assert (school["valid_from"], school["valid_to"]) == ("2030-09-02", "2031-06-06")
    assert (school["dtstart"], school["until"], school["timezone"]) == (
        "2030-09-03",
        "2031-06-05",
        "",
    )
    summer = schedules[(sessions["mentoring"], "SA")]
    assert (summer["timezone"], summer["opens_at"], summer["closes_at"]) == (
        "-5",
        "10:00:00",
        "12:00:00",
    )
    own = schedules[(sessions["counseling"], "WE")]
    assert (own["location_id"], own["opens_at"]) == ("", "13:00:00")
    north = link_id(sessions["counseling"], sessions["north"])
    assert schedules[(north, "MO")]["closes_at"] == "12:30:00"
    # Sessions take the place of the timing words; other programs keep theirs.
    words = {s["service_id"] for s in rows("schedules") if not s["opens_at"]}
    assert words.isdisjoint({sessions["mentoring"], sessions["counseling"]}) and words
    # Every schedule hangs on a row of the export, and none on a location.
    links = {r["id"] for r in rows("service_at_locations")}
    services = {r["id"] for r in rows("services")}
    for schedule in rows("schedules"):
        assert schedule["location_id"] == ""
        assert (schedule["service_at_location_id"] or None) in links | {None}
        assert (schedule["service_id"] or None) in services | {None}
        assert bool(schedule["service_id"]) != bool(schedule["service_at_location_id"])
    package = json.loads((out / "datapackage.json").read_text())
    [resource] = [r for r in package["resources"] if r["name"] == "schedules"]
    types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
    assert types["timezone"] == "number"  # as the official schema types it


async def test_pages_cost_the_same_statements_at_any_size(
    client: httpx.AsyncClient, sessions: dict[str, str], sql_log: StatementLog
) -> None:
    """Sessions come with a page's programs in one statement, however many."""
    for path in (
        "/services?full=true",
        "/services?full=false",
        "/service_at_locations?full=false",
        "/organizations?full=true",
    ):
        await get(client, f"{path}&per_page=3")  # what is read once per revision
        counts = []
        for size in (1, 2, 100):
            sql_log.statements.clear()
            await get(client, f"{path}&per_page={size}")
            counts.append(
                len([s for s in sql_log.statements if "audit_entry" not in s])
            )
        assert counts[0] == counts[1] == counts[2], (path, sql_log.statements)
        assert any("program_session" in s for s in sql_log.statements), path


@pytest.mark.parametrize(
    ("days", "text"),
    [
        ("TU", "Tuesdays"),
        ("TU,TH", "Tuesdays and Thursdays"),
        ("MO,WE,FR", "Mondays, Wednesdays and Fridays"),
        ("MO,TU,WE,TH,FR", "Monday to Friday"),
        ("SA,SU", "Saturdays and Sundays"),
        ("MO,TU,WE,TH,FR,SA,SU", "Every day"),
    ],
)
def test_days_read_as_people_say_them(days: str, text: str) -> None:
    assert days_text(Weekday.listed(days)) == text


@pytest.mark.parametrize(
    ("opens", "closes", "text"),
    [
        ("15:30", "17:00", "3:30–5:00 pm"),
        ("09:00", "11:30", "9:00–11:30 am"),
        ("11:00", "12:30", "11:00 am–12:30 pm"),
        ("12:00", "13:15", "12:00–1:15 pm"),
        ("00:30", "01:00", "12:30–1:00 am"),
    ],
)
def test_hours_read_as_people_say_them(opens: str, closes: str, text: str) -> None:
    assert hours_text(time.fromisoformat(opens), time.fromisoformat(closes)) == text
