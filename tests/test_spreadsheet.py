"""The office's spreadsheet: checked, all or nothing, idempotent, and safe to open."""

import csv
import re
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import pytest

import models as m
import spreadsheet
from demo import load_demo
from spreadsheet.columns import PROGRAM_COLUMNS, SESSION_COLUMNS
from tests.conftest import StatementLog
from tests.district import DAY
from tests.test_mutations import snapshot

EXAMPLE = Path(__file__).parent.parent / "examples" / "partners.csv"
HEADER = (
    "slug,name,categories,website,phone,program,program_name,grade_min,grade_max,"
    "services,schools\n"
)


async def run(path: Path, dry_run: bool = False) -> spreadsheet.ImportSummary:
    return await spreadsheet.apply(
        spreadsheet.read(path, today=DAY), "tester", dry_run=dry_run
    )


def problems(error: pytest.ExceptionInfo[spreadsheet.SpreadsheetError]) -> list[str]:
    return [line.strip() for line in str(error.value).splitlines()[1:]]


@pytest.fixture
async def demo(db: object) -> None:
    await load_demo(partners=30, seed=4, today=DAY)


async def test_the_example_file_imports(demo: None) -> None:
    summary = await run(EXAMPLE)
    assert (summary.created, summary.updated, summary.unchanged) == (2, 0, 0)
    assert (summary.programs_created, summary.programs_updated) == (3, 0)
    chess = await m.Partner.get(slug="northstar-chess").prefetch_related("categories")
    assert chess.status == m.PartnerStatus.APPROVED
    assert [c.slug for c in chess.categories] == ["community-education"]
    camp = await m.Program.get(slug="northstar-chess-summer").prefetch_related("sites")
    assert (camp.summer, camp.free, camp.cost) == (
        True,
        False,
        "$40 a week; scholarships available",
    )
    assert [s.slug for s in camp.sites] == ["birchwood-elementary"]
    counseling = await m.Partner.get(slug="riverside-counseling")
    assert counseling.address_confidential is True
    assert counseling.internal_notes == "Waiting on the signed data-sharing agreement."
    entry = await m.AuditEntry.filter(entity_key="northstar-chess").first()
    assert entry is not None and entry.actor == "tester"


async def test_importing_the_same_file_again_changes_nothing(demo: None) -> None:
    await run(EXAMPLE)
    before = await snapshot()
    summary = await run(EXAMPLE)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    assert (summary.programs_created, summary.programs_updated) == (0, 0)
    assert await snapshot() == before


async def test_a_dry_run_counts_and_writes_nothing(demo: None) -> None:
    before = await snapshot()
    summary = await run(EXAMPLE, dry_run=True)
    assert (summary.created, summary.programs_created) == (2, 3)
    assert await snapshot() == before


async def test_every_bad_row_is_reported_and_nothing_is_written(
    demo: None, tmp_path: Path
) -> None:
    path = tmp_path / "office.csv"
    path.write_text(
        HEADER
        + "good-org,Good Org,mental-health,https://good.example.org,,,,,,,\n"
        + "Bad Slug,Bad,nope,ftp://bad,call me,p-1,P,9,3,juggling,mars\n"
        + ",,,,,,,,,,\n"  # blank lines are skipped
        + "formula,=cmd|' /C calc'!A0,,,,,,,,,\n"
        + "html,<script>alert(1)</script>,,,,,,,,,\n"
        + "good-org,Good Org Renamed,mental-health,https://good.example.org,,,,,,,\n"
    )
    before = await snapshot()
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path)
    assert str(error.value).startswith(
        "office.csv: 10 problem(s), nothing was imported:"
    )
    assert problems(error) == [
        "row 3, column slug: must be lower-case letters, digits and single hyphens "
        "(e.g. bright-minds), at most 80 (value: 'Bad Slug')",
        "row 3, column website: must be a web address starting with https:// "
        "(value: 'ftp://bad')",
        "row 3, column phone: must be a phone number like 612-555-0142 "
        "(value: 'call me')",
        "row 3, column grade_max: must not be below the lowest grade (value: '3')",
        "row 3, column categories: unknown: nope (value: 'nope')",
        "row 3, column services: unknown: juggling (value: 'juggling')",
        "row 3, column schools: unknown: mars (value: 'mars')",
        "row 5, column name: must not start with = or @ (a spreadsheet formula) "
        "(value: \"=cmd|' /C calc'!A0\")",
        "row 6, column name: must be plain text, not HTML "
        "(value: '<script>alert(1)</script>')",
        "row 7, column slug: repeats partner 'good-org' of row 2 with different "
        "partner columns; they must match",
    ]
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"",
            "office.csv is empty: the first row must name the columns, at least "
            "slug and name",
        ),
        (
            b"  \n\n",
            "office.csv is empty: the first row must name the columns, at "
            "least slug and name",
        ),
        (b"slug,name\n", "office.csv has a header but no rows to import"),
        (
            "slug,name\ncafe,Caf\u00e9 Tutors\n".encode("latin-1"),
            "office.csv is not UTF-8 text (byte 0xe9 on line 2); "
            'save it as "CSV UTF-8" and try again',
        ),
        (
            b"slug,nombre\n",
            "office.csv, row 1 (header): missing required columns: name; "
            "unknown columns: nombre (expected some of slug, name, status, "
            "status_reason, categories, summary, description, website, email, phone, "
            "street, city, postal_code, "
            "address_confidential, last_verified_on, internal_notes, program, "
            "program_name, program_description, services, schools, languages, timing, "
            "grade_min, grade_max, free, cost, remove, days, starts_at, ends_at, "
            "from, until, where, name_es, summary_es, "
            "description_es, name_so, summary_so, description_so, name_hmn, "
            "summary_hmn, description_hmn, program_name_es, program_description_es, "
            "program_name_so, program_description_so, program_name_hmn, "
            "program_description_hmn)",
        ),
    ],
)
async def test_files_that_cannot_be_read_get_a_clear_message(
    db: object, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "office.csv"
    path.write_bytes(content)
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path)
    assert str(error.value) == message


async def test_a_last_verified_day_still_to_come_is_refused_by_row(
    db: object, tmp_path: Path
) -> None:
    path = tmp_path / "office.csv"
    tomorrow, today = DAY + timedelta(days=1), DAY
    path.write_text(
        "slug,name,last_verified_on\n"
        f"soon-org,Soon Org,{tomorrow.month}/{tomorrow.day}/{tomorrow.year}\n"
        f"today-org,Today Org,{today.month}/{today.day}/{today.year}\n"
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path)
    assert problems(error) == [
        f"row 2, column last_verified_on: is after today ({DAY.isoformat()}): the "
        f"day a partner's facts were last checked cannot be still to come (value: "
        f"'{tomorrow.isoformat()}')"
    ]
    assert not await m.Partner.exists(slug="today-org")  # all or nothing
    path.write_text(
        "slug,name,last_verified_on\n"
        f"today-org,Today Org,{today.month}/{today.day}/{today.year}\n"
    )
    assert (await run(path)).created == 1  # today itself is fine
    assert (await m.Partner.get(slug="today-org")).last_verified_on == DAY


async def test_a_utf8_file_with_a_byte_order_mark_imports(
    db: object, tmp_path: Path
) -> None:
    path = tmp_path / "office.csv"
    path.write_bytes("\ufeffslug,name\ncafe-tutors,Café Tutors\n".encode())
    assert (await run(path)).created == 1
    assert (await m.Partner.get(slug="cafe-tutors")).name == "Café Tutors"


async def test_export_then_import_changes_nothing_and_is_safe_to_open(
    demo: None, tmp_path: Path
) -> None:
    await m.Partner.filter(id=1).update(
        phone="+1 320-555-0100", summary="-5 for members"
    )
    path = tmp_path / "export.csv"
    rows = await spreadsheet.export(path)
    with path.open(newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert rows == spreadsheet.Rows(partners=len(exported))
    first = next(r for r in exported if r["phone"].startswith("'"))
    assert first["phone"] == "'+1 320-555-0100"  # a spreadsheet shows it, never runs it
    assert first["summary"] == "'-5 for members"
    before = await snapshot()
    summary = await run(path)
    assert summary.created == summary.updated == summary.programs_updated == 0
    assert await snapshot() == before


async def test_translations_travel_in_their_own_columns(
    district: date, tmp_path: Path
) -> None:
    sheet = tmp_path / "office.csv"
    sheet.write_text(
        "slug,name,status,status_reason,categories,name_es,summary_es,program,"
        "program_name,grade_min,grade_max,program_name_so\n"
        "river-robotics,River Robotics,approved,New partner,community-education,"
        "Robótica del Río,Robots después de clases.,robots,Robot Club,9,12,"
        "Naadiga Robotka\n"
    )
    await run(sheet)
    partner = await m.Partner.get(slug="river-robotics")
    assert partner.translations == {
        "es": {"name": "Robótica del Río", "summary": "Robots después de clases."}
    }
    program = await m.Program.get(slug="robots")
    assert program.translations == {"so": {"name": "Naadiga Robotka"}}
    out = tmp_path / "back.csv"
    await spreadsheet.export(out)
    with out.open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["slug"] == "river-robotics")
    assert (row["name_es"], row["program_name_so"], row["name_hmn"]) == (
        "Robótica del Río",
        "Naadiga Robotka",
        "",
    )


async def test_approving_from_the_sheet_needs_a_reason_and_is_recorded(
    district: date, tmp_path: Path
) -> None:
    sheet = tmp_path / "office.csv"
    sheet.write_text("slug,name,status\napplied-org,Applied Org,approved\n")
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(sheet)
    assert problems(error) == [
        "row 2, column status_reason: says why the partner is approved: a status of "
        "approved needs a reason"
    ]
    assert (await m.Partner.get(slug="applied-org")).status == m.PartnerStatus.APPLIED
    sheet.write_text(
        "slug,name,status,status_reason\n"
        "applied-org,Applied Org,approved,Board vote 3/4\n"
    )
    await spreadsheet.apply(
        spreadsheet.read(sheet, today=DAY), "Ana Lopez (import office.csv)"
    )
    partner = await m.Partner.get(slug="applied-org")
    [entry] = await m.AuditEntry.filter(partner_key=partner.id)
    assert (entry.actor, entry.reason) == (
        "Ana Lopez (import office.csv)",
        "Board vote 3/4",
    )
    assert entry.changes["status"] == ["applied", "approved"]
    # the same file again: nothing changes, and no reason is needed any more
    sheet.write_text("slug,name,status\napplied-org,Applied Org,approved\n")
    await run(sheet)


async def test_removing_a_program_is_said_in_the_file_never_silent(
    district: date, tmp_path: Path
) -> None:
    sheet = tmp_path / "office.csv"
    await spreadsheet.export(sheet)
    with sheet.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    assert "remove" in header

    def write(chosen: list[dict[str, str]]) -> None:
        with sheet.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(chosen)

    # Clearing a program's cells changes nothing: the program stays.
    program_columns = [c.name for c in PROGRAM_COLUMNS + SESSION_COLUMNS]
    kept = [
        {**r, **dict.fromkeys(program_columns, "")}
        if r["program"] == "saturday-studio"
        else r
        for r in rows
    ]
    write(kept)
    summary = await run(sheet)
    assert summary.removed == [] and await m.Program.exists(slug="saturday-studio")
    assert summary.kept == ["city-arts/saturday-studio"]  # and the summary says so
    # ...unless asked: --remove-missing (shown here by a dry run).
    plan = spreadsheet.read(sheet, today=DAY)
    dry = await spreadsheet.apply(plan, "tester", dry_run=True, remove_missing=True)
    assert dry.removed == ["city-arts/saturday-studio"] and dry.kept == []
    assert await m.Program.exists(slug="saturday-studio")
    # A row that says remove=yes removes its program, with a history entry.
    for row in rows:
        if row["program"] == "saturday-studio":
            row["remove"] = "yes"
    write(rows)
    done = await run(sheet)
    assert done.removed == ["city-arts/saturday-studio"]
    assert not await m.Program.exists(slug="saturday-studio")
    arts = await m.Partner.get(slug="city-arts")
    entry = await m.AuditEntry.get(action="program.remove")
    assert (entry.partner_key, entry.entity_key) == (arts.id, "saturday-studio")
    # Removing what is not there, or a partner, is an error by row and column.
    write([{**rows[0], "program": "", "remove": "yes"}])
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(sheet)
    assert problems(error)[0].startswith("row 2, column remove: removes the program")
    write([{**rows[0], "program": "no-such-program", "remove": "yes"}])
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(sheet)
    assert problems(error) == [
        "row 2, column program: is not a program on file: nothing to remove"
    ]


async def test_checking_reads_in_chunks_and_writes_nothing(
    demo: None, tmp_path: Path, sql_log: StatementLog
) -> None:
    """A dry run, and the rows of a real import that change nothing, cost no
    write; lookups go a chunk of keys at a time, whatever the file's size."""
    sheet = tmp_path / "everything.csv"
    await spreadsheet.export(sheet)
    with sheet.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    many = [
        {
            **row,
            "slug": f"{row['slug']}-{n}",
            "program": f"{row['program']}-{n}" if row["program"] else "",
        }
        for n in range(25)
        for row in rows
    ]
    assert len(many) > 1000
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows + many)
    sql_log.statements.clear()
    summary = await run(sheet, dry_run=True)
    assert summary.created == len({r["slug"] for r in many})
    writes = [
        s for s in sql_log.statements if not s.lstrip().upper().startswith("SELECT")
    ]
    assert writes == []
    assert len(sql_log.statements) < 60  # chunks of 500 keys, not a query a row
    # and no statement near a database's parameter limit (PostgreSQL: 32,767)
    placeholders = [
        max(s.count("?"), len(re.findall(r"\$\d+", s))) for s in sql_log.statements
    ]
    assert 100 < max(placeholders) <= 500, max(placeholders)
    sql_log.statements.clear()
    again = await run(EXAMPLE)  # the example file; then the same again
    sql_log.statements.clear()
    same = await run(EXAMPLE)
    assert same.unchanged == again.created + again.unchanged
    writes = [
        s for s in sql_log.statements if not s.lstrip().upper().startswith("SELECT")
    ]
    assert writes == []


async def test_a_file_changed_between_check_and_write_writes_nothing(
    demo: None, tmp_path: Path
) -> None:
    """The import checks the file, then reads it again a chunk at a time to write
    (only keys stay in memory); a file changed in between is refused whole."""
    sheet = tmp_path / "office.csv"
    sheet.write_text(EXAMPLE.read_text())
    plan = spreadsheet.read(sheet, today=DAY)
    sheet.write_text(EXAMPLE.read_text().replace("Northstar", "Southstar"))
    before = await snapshot()
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await spreadsheet.apply(plan, "tester")
    assert str(error.value) == (
        "office.csv changed while it was being imported; nothing was written: "
        "import it again"
    )
    assert await snapshot() == before


async def test_checking_a_file_takes_memory_that_does_not_grow_with_it(
    demo: None, tmp_path: Path
) -> None:
    """Only a chunk of rows is in memory at a time: the keys the checks need of the
    whole file wait on disk (spreadsheet.keys). Python's peak allocation for a
    file four times longer stays within 400 kB (3,000 rows more; keeping keys in
    memory took about 700 bytes a row, 2 MB here)."""
    with EXAMPLE.open(newline="") as handle:
        template = list(csv.DictReader(handle))[0]

    def file(rows: int) -> Path:
        path = tmp_path / f"{rows}.csv"
        with path.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(template))
            writer.writeheader()
            for n in range(rows):
                slug = f"partner-{n // 2}"
                writer.writerow({**template, "slug": slug, "program": f"{slug}-{n}"})
        return path

    async def peak(rows: int) -> int:
        path = file(rows)
        tracemalloc.start()
        try:
            plan = spreadsheet.read(path, today=DAY)
            summary = await spreadsheet.apply(plan, "tester", dry_run=True)
            plan.close()
            used = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert (summary.created, summary.programs_created) == (rows // 2, rows)
        return used

    await peak(1000)  # what the first import allocates once (imports, caches)
    small, large = await peak(1000), await peak(4000)
    assert large - small < 400_000, (small, large)


async def test_a_file_wrong_on_every_row_lists_the_first_problems_and_counts_the_rest(
    demo: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spreadsheet.reader, "SHOWN", 3)
    sheet = tmp_path / "office.csv"
    rows = "".join(f"p-{n},Name {n},,nowhere,,,,,,,\n" for n in range(5))
    sheet.write_text(HEADER + rows)
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(sheet)
    lines = str(error.value).splitlines()
    assert lines[0] == "office.csv: 5 problem(s), nothing was imported:"
    assert [line.split(":")[0].strip() for line in lines[1:4]] == [
        "row 2, column website",
        "row 3, column website",
        "row 4, column website",
    ]
    assert lines[4:] == ["  ...and 2 more after these: fix them too"]
