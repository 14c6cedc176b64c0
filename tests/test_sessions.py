"""Sessions through the API: staff set when and where a program meets, the public
reads them as typed fields, bad sessions are refused field by field with nothing
written, and a page of partners reads every program's sessions in one statement."""

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

import models as m
from models.changes import ChangeKind
from tests.conftest import StatementLog
from tests.gql import query
from tests.test_mutations import PAYLOAD, problems, run, snapshot

SET_SESSIONS = f"""
mutation P($slug: String!, $input: ProgramInput!) {{
  updateProgram(slug: $slug, input: $input) {{
    record {{ slug sessions {{ days startsAt endsAt validFrom validUntil
                               schoolSite {{ slug }} }} }} {PAYLOAD} }}
}}"""
PUBLIC = """
query P($slug: String!) {
  partner(slug: $slug) {
    programs { slug sessions { days startsAt endsAt validFrom validUntil
                               schoolSite { slug name } } }
  }
}"""
AFTER_SCHOOL = {
    "days": ["TUESDAY", "THURSDAY"],
    "startsAt": "15:30",
    "endsAt": "17:00",
    "validFrom": "2026-09-08",
    "validUntil": "2027-05-28",
    "schoolSite": "lake-middle",
}
SATURDAYS = {
    "days": ["SATURDAY"],
    "startsAt": "10:00",
    "endsAt": "12:00",
    "validFrom": "2027-06-15",
    "validUntil": "2027-08-10",
}


async def set_sessions(
    client: httpx.AsyncClient, editor: str, slug: str, **given: Any
) -> dict[str, Any]:
    """updateProgram's payload for `slug` with the input `given`."""
    return await run(client, editor, SET_SESSIONS, slug=slug, input=given)


async def test_staff_set_sessions_and_the_public_reads_them(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    payload = await set_sessions(
        client, editor, "mentoring-circle", sessions=[SATURDAYS, AFTER_SCHOOL]
    )
    assert payload["errors"] == []
    after_school = {
        "days": ["TUESDAY", "THURSDAY"],
        "startsAt": "15:30:00",
        "endsAt": "17:00:00",
        "validFrom": "2026-09-08",
        "validUntil": "2027-05-28",
    }
    saturdays = {
        "days": ["SATURDAY"],
        "startsAt": "10:00:00",
        "endsAt": "12:00:00",
        "validFrom": "2027-06-15",
        "validUntil": "2027-08-10",
        "schoolSite": None,
    }
    # In term order, whatever order they were given in.
    assert payload["record"]["sessions"] == [
        {**after_school, "schoolSite": {"slug": "lake-middle"}},
        saturdays,
    ]
    data = await query(client, PUBLIC, slug="mentor-match")
    [program] = data["partner"]["programs"]
    assert program["sessions"] == [
        {**after_school, "schoolSite": {"slug": "lake-middle", "name": "Lake Middle"}},
        saturdays,
    ]
    entry = await m.AuditEntry.filter(action="program.update").first()
    assert entry is not None
    old, new = entry.changes["sessions"]
    assert old == []
    assert new == [
        "SA 10:00-12:00 2027-06-15/2027-08-10 at the partner's site",
        "TU,TH 15:30-17:00 2026-09-08/2027-05-28 at lake-middle",
    ]
    # Left out, they stay; an empty list removes them.
    kept = await run(
        client, editor, SET_SESSIONS, slug="mentoring-circle", input={"cost": "Free"}
    )
    assert len(kept["record"]["sessions"]) == 2
    gone = await set_sessions(client, editor, "mentoring-circle", sessions=[])
    assert gone["record"]["sessions"] == []
    assert not await m.Session.filter(program__slug="mentoring-circle").exists()


async def test_the_same_sessions_again_write_nothing(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    given = {"sessions": [AFTER_SCHOOL]}
    await run(client, editor, SET_SESSIONS, slug="mentoring-circle", input=given)
    before = await snapshot(), await m.Session.all().values()
    again = await run(
        client, editor, SET_SESSIONS, slug="mentoring-circle", input=given
    )
    assert again["errors"] == []
    assert (await snapshot(), await m.Session.all().values()) == before


@pytest.mark.parametrize(
    ("session", "expected"),
    [
        (
            {**AFTER_SCHOOL, "endsAt": "15:00"},
            {"input.sessions.0.endsAt": "must be after the start time"},
        ),
        (
            {**AFTER_SCHOOL, "days": []},
            {
                "input.sessions.0.days": "is required: the weekdays it meets, "
                "e.g. Tue; Thu"
            },
        ),
        (
            {**AFTER_SCHOOL, "schoolSite": "north-high"},
            {
                "input.sessions.0.schoolSite": "must be one of the program's schools "
                "(add the school to the program first), or empty for the partner's "
                "own site"
            },
        ),
        (
            {**AFTER_SCHOOL, "validUntil": "2028-05-28"},
            {"input.sessions.0.validUntil": "makes a term of 628 days; at most 400"},
        ),
        (
            {**AFTER_SCHOOL, "validUntil": "2026-09-01"},
            {
                "input.sessions.0.validUntil": "must be on or after input.sessions.0."
                "validFrom (2026-09-08)"
            },
        ),
    ],
)
async def test_bad_sessions_are_refused_by_field_and_nothing_is_written(
    client: httpx.AsyncClient,
    district: date,
    editor: str,
    session: dict[str, Any],
    expected: dict[str, str],
) -> None:
    before = await snapshot(), await m.Session.all().values()
    payload = await set_sessions(
        client, editor, "mentoring-circle", sessions=[SATURDAYS, session], cost="$5"
    )
    renamed = {
        k.replace(".0.", ".1."): v.replace(".0.", ".1.") for k, v in expected.items()
    }
    assert problems(payload) == renamed
    assert (await snapshot(), await m.Session.all().values()) == before


async def test_too_many_sessions_are_refused(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    payload = await set_sessions(
        client,
        editor,
        "mentoring-circle",
        sessions=[SATURDAYS] * (m.session.MAX_SESSIONS + 1),
    )
    assert problems(payload) == {"input.sessions": "are 21; at most 20"}


async def test_a_session_may_name_a_school_the_same_write_adds(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    payload = await run(
        client,
        editor,
        SET_SESSIONS,
        slug="mentoring-circle",
        input={
            "schoolSites": ["north-high"],
            "sessions": [{**AFTER_SCHOOL, "schoolSite": "north-high"}],
        },
    )
    assert payload["errors"] == []
    assert payload["record"]["sessions"][0]["schoolSite"] == {"slug": "north-high"}


async def test_a_new_session_is_an_update_in_the_listing_change_log(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    await query(client, "{ listingChanges { changes { kind } } }")
    newest = await m.ListingChange.all().order_by("-id").first()
    await set_sessions(client, editor, "mentoring-circle", sessions=[SATURDAYS])
    changes = m.ListingChange.filter(id__gt=newest.id if newest else 0)
    mentor = await m.Partner.get(slug="mentor-match")
    assert await changes.values_list("partner_key", "kind") == [
        (mentor.id, ChangeKind.UPDATED)
    ]


async def test_a_page_reads_every_programs_sessions_in_one_statement(
    client: httpx.AsyncClient, district: date, editor: str, sql_log: StatementLog
) -> None:
    for slug in ("mentoring-circle", "homework-club", "school-counseling"):
        await set_sessions(client, editor, slug, sessions=[SATURDAYS])
    document = "{ partners { edges { node { programs { slug %s } } } } }"
    counts = []
    await query(client, "{ __typename }")  # what a worker reads once per revision
    for selected in ("", "sessions { days startsAt schoolSite { slug } }"):
        sql_log.statements.clear()
        data = await query(client, document % selected)
        counts.append(len([s for s in sql_log.statements if "audit_entry" not in s]))
    sessions = [
        program["sessions"]
        for edge in data["partners"]["edges"]
        for program in edge["node"]["programs"]
    ]
    # the three set here, and the district's at City Arts (tests/district.py)
    assert sum(len(found) for found in sessions) == 5
    assert counts[1] == counts[0] + 1, sql_log.statements
    assert sum("program_session" in s for s in sql_log.statements) == 1


async def test_sessions_expire_with_nothing_but_the_term(
    district: date,
) -> None:
    """A session knows the days it meets: its weekdays within its term."""
    session = m.Session(
        days="TU,TH",
        start_minute=930,
        end_minute=1020,
        valid_from=date(2026, 9, 8),
        valid_until=date(2027, 5, 28),
    )
    tuesday = date(2026, 9, 8)
    assert session.meets_on(tuesday)
    assert not session.meets_on(tuesday + timedelta(days=1))
    assert session.meets_on(tuesday + timedelta(days=2))
    assert not session.meets_on(tuesday - timedelta(days=7))
    assert not session.meets_on(date(2027, 6, 1))


async def test_partners_by_the_days_and_hours_their_programs_meet(
    client: httpx.AsyncClient, district: date, editor: str, day: date
) -> None:
    await m.Session.all().delete()  # the district's own: only these here
    term = {"validFrom": day.isoformat(), "validUntil": (day + ONE_TERM).isoformat()}
    ended = {
        "validFrom": (day - ONE_TERM).isoformat(),
        "validUntil": (day - timedelta(days=1)).isoformat(),
    }
    tuesday_afternoon = {**AFTER_SCHOOL, **term, "days": ["TUESDAY"]}
    await set_sessions(client, editor, "mentoring-circle", sessions=[tuesday_afternoon])
    saturday_morning = {**SATURDAYS, **term}
    await set_sessions(client, editor, "school-counseling", sessions=[saturday_morning])
    # A Wednesday session whose term has ended finds nobody.
    wednesday = {**SATURDAYS, **ended, "days": ["WEDNESDAY"]}
    await set_sessions(client, editor, "homework-club", sessions=[wednesday])

    async def found(**conditions: Any) -> set[str]:
        data = await query(client, FILTERED, filter=conditions)
        return {edge["node"]["slug"] for edge in data["partners"]["edges"]}

    assert await found(days=["TUESDAY", "SATURDAY"]) == {
        "mentor-match",
        "harbor-counseling",
    }
    assert await found(days=["WEDNESDAY"]) == set()
    assert await found(days=[]) == set()  # as schoolSites: [] finds none
    assert await found(startsFrom="15:00") == {"mentor-match"}
    # One and the same session: the Saturday one starts before 3 pm.
    assert await found(days=["SATURDAY"], startsFrom="15:00") == set()
    assert await found(days=["SATURDAY"], startsFrom="10:00") == {"harbor-counseling"}


FILTERED = """
query F($filter: PartnerFilter!) {
  partners(filter: $filter) { edges { node { slug } } }
}"""
ONE_TERM = timedelta(days=120)


async def test_a_school_with_sessions_leaves_only_with_them(
    client: httpx.AsyncClient, district: date, editor: str
) -> None:
    await set_sessions(client, editor, "mentoring-circle", sessions=[AFTER_SCHOOL])
    payload = await set_sessions(
        client, editor, "mentoring-circle", schoolSites=["cedar-elementary"]
    )
    assert problems(payload) == {
        "input.schoolSites": "leaves out lake-middle, where sessions of this "
        "program meet: give its sessions in the same change"
    }
    moved = {**AFTER_SCHOOL, "schoolSite": "cedar-elementary"}
    payload = await set_sessions(
        client,
        editor,
        "mentoring-circle",
        schoolSites=["cedar-elementary"],
        sessions=[moved],
    )
    assert payload["record"]["sessions"][0]["schoolSite"] == {
        "slug": "cedar-elementary"
    }


async def test_a_terms_first_and_day_after_its_last_change_the_listing(
    district: date, day: date
) -> None:
    """The directory shows a term ahead as "from …" and leaves out an ended one:
    both days are when the listing changes by date, so the publisher rebuilds
    and a cached answer's validUntil ends there."""
    await m.Agreement.all().delete()  # only the session's dates here
    await m.Session.all().delete()
    program = await m.Program.get(slug="saturday-studio")  # needs no contract
    await m.Partner.filter(id=program.partner_id).update(status="approved")
    first, last = day + timedelta(days=10), day + timedelta(days=20)
    await m.Session.create(
        program=program,
        days="TU",
        start_minute=900,
        end_minute=960,
        valid_from=first,
        valid_until=last,
    )
    listing = m.Listing(day)
    assert await listing.next_change() == first
    assert await m.Listing(first).next_change() == last + timedelta(days=1)
    assert await m.Listing(first + timedelta(days=2)).changed_on() == first
    assert await m.Listing(last + timedelta(days=3)).changed_on() == last + timedelta(
        days=1
    )
    # A hidden partner's sessions say nothing about when the listing changes.
    await m.Partner.filter(id=program.partner_id).update(status="suspended")
    assert await listing.next_change() is None
