"""Sessions in the office's spreadsheet: a row a session, its program's and
partner's columns repeated; typed as an office types them (US times, days in
words), checked by row and column, replaced whole per program, and kept exactly
by a round trip. A file without the session columns leaves them alone."""

import csv
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

import models as m
import spreadsheet
from models.db import database
from spreadsheet.columns import SESSION_COLUMNS
from tests.district import DAY, build_district
from tests.test_import_limits import csv_file, partners_import
from tests.test_mutations import snapshot
from tests.test_spreadsheet import problems, run

SESSION_NAMES = [c.name for c in SESSION_COLUMNS]
TERM = (date(2030, 9, 9), date(2031, 6, 6))  # around the test district's day


async def meets(program: str) -> list[str]:
    """A program's sessions as the history writes them, in order."""
    rows = await m.Session.filter(program__slug=program).prefetch_related("site")
    return [row.audit_text() for row in rows]


async def everything() -> list[Any]:
    """Every row an import could touch, sessions included."""
    return [*await snapshot(), await m.Session.all().order_by("id").values()]


async def add_sessions() -> None:
    """In place of the district's own sessions: homework club twice a week at its
    school and on Saturdays at the partner's own site; the mentoring circle on
    Monday to Wednesday at one of its two schools."""
    await m.Session.all().delete()
    cedar = await m.SchoolSite.get(slug="cedar-elementary")
    lake = await m.SchoolSite.get(slug="lake-middle")
    club = await m.Program.get(slug="homework-club")
    circle = await m.Program.get(slug="mentoring-circle")
    for program, days, start, end, site in [
        (club, "TU,TH", 15 * 60 + 30, 17 * 60, cedar),
        (club, "SA", 10 * 60, 12 * 60, None),
        (circle, "MO,TU,WE", 14 * 60 + 45, 16 * 60 + 15, lake),
    ]:
        await m.Session.create(
            program=program,
            days=days,
            start_minute=start,
            end_minute=end,
            valid_from=TERM[0],
            valid_until=TERM[1],
            site=site,
        )


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


CLUB = [
    "SA 10:00-12:00 2030-09-09/2031-06-06 at the partner's site",
    "TU,TH 15:30-17:00 2030-09-09/2031-06-06 at cedar-elementary",
]
CIRCLE = ["MO,TU,WE 14:45-16:15 2030-09-09/2031-06-06 at lake-middle"]


async def test_a_csv_round_trip_keeps_sessions_exactly(
    district: date, tmp_path: Path
) -> None:
    await add_sessions()
    path = tmp_path / "export.csv"
    await spreadsheet.export(path)
    rows = read_csv(path)
    header = list(rows[0])
    after = header.index("remove") + 1
    assert header[after : after + 6] == SESSION_NAMES  # then the texts' columns
    club = [r for r in rows if r["program"] == "homework-club"]
    term = ["2030-09-09", "2031-06-06"]
    assert [[r[n] for n in SESSION_NAMES] for r in club] == [
        ["Sat", "10:00 AM", "12:00 PM", *term, "partner"],
        ["Tue; Thu", "3:30 PM", "5:00 PM", *term, "cedar-elementary"],
    ]
    assert club[0]["program_name"] == club[1]["program_name"] == "Homework Club"
    circle = next(r for r in rows if r["program"] == "mentoring-circle")
    assert (circle["days"], circle["where"]) == ("Mon-Wed", "lake-middle")
    studio = [r for r in rows if r["program"] == "saturday-studio"]
    assert len(studio) == 1 and [studio[0][n] for n in SESSION_NAMES] == [""] * 6
    before = await everything()
    summary = await run(path)
    assert (summary.updated, summary.programs_updated, summary.sessions) == (0, 0, [])
    assert await everything() == before  # not one row written, not one entry
    assert await meets("homework-club") == CLUB
    assert await meets("mentoring-circle") == CIRCLE


async def test_a_workbook_round_trip_keeps_sessions_in_time_and_date_cells(
    district: date, tmp_path: Path
) -> None:
    await add_sessions()
    path = tmp_path / "export.xlsx"
    await spreadsheet.export(path)
    sheet = load_workbook(path)["Partners"]
    names = [c.value for c in sheet[1]]
    club = [
        dict(zip(names, row, strict=True))
        for row in sheet.iter_rows(min_row=2)
        if row[names.index("program")].value == "homework-club"
    ]
    saturday, weekdays = club
    starts = weekdays["starts_at"]
    assert (starts.value, starts.number_format) == (time(15, 30), "h:mm AM/PM")
    assert weekdays["from"].value == datetime(2030, 9, 9)
    assert weekdays["from"].number_format == "yyyy-mm-dd"
    assert (weekdays["days"].value, weekdays["where"].value) == (
        "Tue; Thu",
        "cedar-elementary",
    )
    assert (saturday["days"].value, saturday["where"].value) == ("Sat", "partner")
    comment = sheet.cell(1, names.index("starts_at") + 1).comment
    assert comment is not None and "3:30 PM" in comment.text
    read_me = "\n".join(str(c.value) for c in load_workbook(path)["Read me"]["A"])
    assert "leaves sessions as they are" in read_me
    before = await everything()
    summary = await run(path)
    assert (summary.programs_updated, summary.sessions) == (0, [])
    assert await everything() == before
    # A time typed into a time cell by hand, and one typed as text, read alike.
    book = load_workbook(path)
    sheet = book["Partners"]
    column = {name: i + 1 for i, name in enumerate(names)}
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, column["program"]).value == "mentoring-circle":
            sheet.cell(row, column["starts_at"]).value = time(15, 0)
            sheet.cell(row, column["ends_at"]).value = "4:30 pm"
    book.save(path)
    summary = await run(path)
    assert summary.sessions == ["mentor-match/mentoring-circle"]
    assert await meets("mentoring-circle") == [
        "MO,TU,WE 15:00-16:30 2030-09-09/2031-06-06 at lake-middle"
    ]
    assert await meets("homework-club") == CLUB


async def test_sessions_typed_as_an_office_types_them(
    district: date, tmp_path: Path
) -> None:
    """US times ("3:30 pm", "5 PM", "noon"), days in words or ranges, US dates,
    `where` as a school or the partner's site; a program's rows in any order."""
    await add_sessions()
    base = {
        "slug": "bright-minds",
        "name": "Bright Minds Tutoring",
        "status": "approved",
        "categories": "contracted-partner",
    }
    club = {
        **base,
        "program": "homework-club",
        "program_name": "Homework Club",
        "grade_min": "1",
        "grade_max": "5",
        "schools": "cedar-elementary",
    }
    reading = {**club, "program": "reading-buddies", "program_name": "Reading"}
    path = csv_file(
        tmp_path / "office.csv",
        [
            {**club, "days": "Tuesday and Thursday", "starts_at": "3:30 pm",
             "ends_at": "5 PM", "from": "9/9/2030", "until": "6/6/2031",
             "where": "cedar-elementary"},
            {**reading, "days": "WE", "starts_at": "12:30 PM", "ends_at": "1:15 PM",
             "from": "1/5/2031", "until": "3/27/2031", "where": ""},
            {**club, "days": "Sat.", "starts_at": "10:00 AM", "ends_at": "noon",
             "from": "Sep 9, 2030", "until": "6/6/31", "where": "Partner"},
            {**club, "days": "Mon-Fri", "starts_at": "7:15am", "ends_at": "08:00",
             "from": "2030-09-09", "until": "2031-06-06", "where": ""},
        ],
    )  # fmt: skip
    summary = await run(path)
    assert (summary.programs_created, summary.programs_updated) == (1, 1)
    assert summary.sessions == ["bright-minds/homework-club"]
    assert await meets("homework-club") == [
        "MO,TU,WE,TH,FR 07:15-08:00 2030-09-09/2031-06-06 at the partner's site",
        "SA 10:00-12:00 2030-09-09/2031-06-06 at the partner's site",
        "TU,TH 15:30-17:00 2030-09-09/2031-06-06 at cedar-elementary",
    ]
    assert await meets("reading-buddies") == [  # a new program, with its session
        "WE 12:30-13:15 2031-01-05/2031-03-27 at the partner's site"
    ]
    entry = await m.AuditEntry.get(action="program.import", entity_key="homework-club")
    assert entry.changes["sessions"] == [CLUB, sorted(await meets("homework-club"))]
    # The same file again changes nothing; a program's one row with its session
    # columns empty clears its sessions, with a history entry.
    assert (await run(path)).sessions == []
    rows = read_csv(path)
    write_csv(path, [{**rows[0], **dict.fromkeys(SESSION_NAMES, "")}])
    summary = await run(path)
    assert summary.sessions == ["bright-minds/homework-club"]
    assert await meets("homework-club") == []


async def test_bad_session_cells_are_told_by_row_and_column_and_nothing_is_written(
    district: date, tmp_path: Path
) -> None:
    await add_sessions()
    club = {
        "slug": "bright-minds",
        "name": "Bright Minds Tutoring",
        "program": "homework-club",
        "program_name": "Homework Club",
        "grade_min": "1",
        "grade_max": "5",
        "schools": "cedar-elementary",
    }
    good = {
        "days": "Tue; Thu",
        "starts_at": "3:30 PM",
        "ends_at": "5:00 PM",
        "from": "9/9/2030",
        "until": "6/6/2031",
        "where": "cedar-elementary",
    }
    path = csv_file(
        tmp_path / "office.csv",
        [
            {**club, **good},
            {**club, **good, "starts_at": "half past three"},
            {**club, **good, "starts_at": "5:00 PM", "ends_at": "3:30 PM"},
            {**club, **good, "days": "Tue; Funday"},
            {**club, **good, "where": "north-high"},
            {**club, **good, "until": "12/31/2031"},
            {**club, **good, "from": "", "ends_at": "4"},
            {**club, **dict.fromkeys(SESSION_NAMES, "")},
            {**club, **good, "program_name": "Homework Klub"},
            {**club, **good, "program": "", "where": ""},
            {**club, **good, "until": "9/1/2030", "starts_at": "0.6458333"},
            {**club, **good, "slug": "city-arts", "name": "City Arts Collective"},
            {**club, **good, "starts_at": "3:30", "ends_at": "17:00"},
        ],
    )
    before = await everything()
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path)
    assert problems(error) == [
        "row 3, column starts_at: must be a time like 3:30 PM "
        "(value: 'half past three')",
        "row 4, column ends_at: must be after the start time (value: '3:30 PM')",
        "row 5, column days: must be days of the week like Tue; Thu, Tuesday and "
        "Thursday, or Mon-Fri (value: 'Tue; Funday')",
        "row 6, column where: must be one of the program's schools (add the school "
        "to the program first), or empty for the partner's own site "
        "(value: 'north-high')",
        "row 7, column until: makes a term of 478 days; at most 400 "
        "(value: '2031-12-31')",
        "row 8, column ends_at: must be a time like 3:30 PM: add AM or PM (4 could "
        "be either) (value: '4')",
        "row 8, column from: is required: the term's first and last days",
        "row 9, column days: is required: program 'homework-club' is on more than "
        "one row, and each of its rows is one of its sessions (a program without "
        "sessions has one row, its session columns empty)",
        "row 10, column program_name: differs from row 2, which holds program "
        "'homework-club' too: a program's columns must match on each of its rows "
        "(one a session)",
        "row 11, column days: gives a session, and this row names no program: a "
        "session is the program's of its row",
        "row 12, column starts_at: must be a time like 3:30 PM; this looks like a "
        "spreadsheet's time number (it would be 3:30 PM): format the column as a "
        "time, or type the time (value: '0.6458333')",
        "row 12, column until: must be on or after the from date (2030-09-09) "
        "(value: '2030-09-01')",
        "row 13, column slug: differs from row 2, which holds program "
        "'homework-club' too: a program belongs to one partner",
        "row 14, column starts_at: must be a time like 3:30 PM: add AM or PM (3:30 "
        "could be either) (value: '3:30')",
    ]
    assert await everything() == before
    assert await meets("homework-club") == CLUB


async def test_sessions_come_in_all_six_columns_and_twenty_at_most(
    district: date, tmp_path: Path
) -> None:
    await add_sessions()
    path = csv_file(
        tmp_path / "office.csv",
        [{"slug": "bright-minds", "name": "Bright Minds", "program": "homework-club",
          "days": "Tue", "starts_at": "3:30 PM"}],
    )  # fmt: skip
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path)
    assert str(error.value) == (
        "office.csv, row 1 (header): missing ends_at, from, until, where, schools: "
        "sessions take the columns days, starts_at, ends_at, from, until, where "
        "together, with program and schools (or none of the six, to leave sessions "
        "as they are)"
    )
    club = {
        "slug": "bright-minds",
        "name": "Bright Minds Tutoring",
        "program": "homework-club",
        "program_name": "Homework Club",
        "grade_min": "1",
        "grade_max": "5",
        "schools": "cedar-elementary",
        "from": "9/9/2030",
        "until": "6/6/2031",
        "where": "",
    }
    rows = [
        {**club, "days": day, "starts_at": f"{hour}:00 PM", "ends_at": f"{hour}:30 PM"}
        for day in ("Mon", "Tue", "Wed", "Thu", "Fri")
        for hour in (1, 2, 3, 4, 5)
    ]
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(csv_file(path, rows))
    assert problems(error) == [
        "row 22, column program: gives program 'homework-club' more than 20 "
        "sessions; a program has at most 20"
    ]
    assert await meets("homework-club") == CLUB


async def test_a_file_without_session_columns_leaves_sessions_as_they_are(
    district: date, tmp_path: Path
) -> None:
    await add_sessions()
    club = {
        "slug": "bright-minds",
        "name": "Bright Minds Tutoring",
        "status": "approved",
        "categories": "contracted-partner",
        "program": "homework-club",
        "program_name": "Homework Club After School",
        "grade_min": "1",
        "grade_max": "5",
        "services": "tutoring",
        "schools": "cedar-elementary",
        "languages": "en;es",
        "timing": "after_school",
    }
    ids = await m.Session.all().order_by("id").values_list("id", flat=True)
    summary = await run(csv_file(tmp_path / "old.csv", [club]))
    assert (summary.programs_updated, summary.sessions) == (1, [])
    assert (await m.Program.get(slug="homework-club")).name == (
        "Homework Club After School"
    )
    assert await meets("homework-club") == CLUB
    assert await m.Session.all().order_by("id").values_list("id", flat=True) == ids
    # ...but it may not take away a school where the program meets.
    path = csv_file(tmp_path / "old.csv", [{**club, "schools": "lake-middle"}])
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path)
    assert problems(error) == [
        "row 2, column schools: leaves out cedar-elementary, where the program "
        "meets (its sessions): keep the school, or give the file the session "
        "columns to change the sessions too"
    ]
    # ...and a program is still on one row there.
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(csv_file(path, [club, club]))
    assert problems(error) == ["row 3, column program: repeats the program of row 2"]
    assert await meets("homework-club") == CLUB


async def test_a_dry_run_names_the_programs_whose_sessions_would_change(
    migrated_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Deleting a session's row removes the session: never silently."""
    path = tmp_path / "export.csv"
    async with database(migrated_url):
        await build_district(DAY)
        await add_sessions()
        await spreadsheet.export(path)
        before = await everything()
    rows = read_csv(path)
    rows.remove(next(r for r in rows if r["program"] == "homework-club"))
    write_csv(path, rows)
    assert await partners_import(migrated_url, path, "--dry-run") == ""
    said = capsys.readouterr().out.splitlines()
    assert said[0].endswith("0 programs created, 1 updated, 0 removed.")
    assert said[1:] == [
        "Would change the sessions of these programs: bright-minds/homework-club."
    ]
    async with database(migrated_url):
        assert await everything() == before
    assert await partners_import(migrated_url, path) == ""
    async with database(migrated_url):
        assert await meets("homework-club") == CLUB[1:]
        assert await meets("mentoring-circle") == CIRCLE
