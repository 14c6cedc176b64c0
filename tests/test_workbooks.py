"""Spreadsheets as offices have them: Excel workbooks both ways, files a
spreadsheet program has saved (dates reformatted, rows deleted, columns moved),
and the edges of any file: formulas behind spaces or tabs, oversized cells,
repeated columns."""

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

import models as m
import spreadsheet
from demo import load_demo
from spreadsheet.columns import column_names
from tests.district import DAY
from tests.test_mutations import snapshot
from tests.test_spreadsheet import problems, run


@pytest.fixture
async def demo(db: object) -> None:
    await load_demo(partners=30, seed=4, today=DAY)


async def test_an_exported_workbook_is_ready_to_work_in(
    demo: None, tmp_path: Path
) -> None:
    path = tmp_path / "partners.xlsx"
    rows = await spreadsheet.export(path)
    book = load_workbook(path)
    assert book.sheetnames == ["Partners", "Records", "Lists", "Read me"]
    sheet = book["Partners"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == list(column_names())
    assert sheet.max_row == rows.partners + 1
    assert "stable key" in sheet["A1"].comment.text
    column = {name: i for i, name in enumerate(column_names())}
    dated = [r[column["last_verified_on"]] for r in sheet.iter_rows(min_row=2)]
    assert any(isinstance(c.value, datetime) for c in dated)
    assert all(c.value is None or c.number_format == "yyyy-mm-dd" for c in dated)
    grades = [r[column["grade_min"]].value for r in sheet.iter_rows(min_row=2)]
    assert all(g is None or isinstance(g, int) for g in grades)
    lists = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v
        for v in sheet.data_validations.dataValidation
    }
    status_letter = get_column_letter(column["status"] + 1)
    assert lists[status_letter].type == "list"
    assert lists[status_letter].formula1.startswith("'Lists'!")
    assert book["Lists"].sheet_state == "hidden"
    assert sheet.column_dimensions["A"].width > len("slug")
    assert "remove" in "\n".join(str(c.value) for c in book["Read me"]["A"])


async def test_a_workbook_round_trips_in_meaning(demo: None, tmp_path: Path) -> None:
    await m.Partner.filter(id=1).update(
        summary="-5 for members", phone="+1 320-555-0100"
    )
    path = tmp_path / "partners.xlsx"
    await spreadsheet.export(path)
    before = await snapshot()
    summary = await run(path)
    assert summary.created == summary.updated == summary.programs_updated == 0
    assert summary.removed == []
    assert await snapshot() == before
    cell = load_workbook(path)["Partners"]
    texts = [c.value for row in cell.iter_rows(min_row=2) for c in row]
    assert "-5 for members" in texts  # a text cell, never a formula


async def test_a_file_a_spreadsheet_saved_imports_exactly(
    demo: None, tmp_path: Path
) -> None:
    """Dates reformatted as a US-set spreadsheet writes them, a row deleted, a
    column moved: exact changes, never silent ones."""
    path = tmp_path / "partners.csv"
    await spreadsheet.export(path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    dated = [r for r in rows if r["last_verified_on"]]
    for row in dated:
        day = date.fromisoformat(row["last_verified_on"])
        row["last_verified_on"] = f"{day.month}/{day.day}/{day.year}"
    changed = dated[0]
    for row in rows:
        if row["slug"] == changed["slug"]:
            row["last_verified_on"] = "4/4/26"
    header = list(rows[0])
    header.remove("name")
    header.append("name")  # a column moved to the end
    deleted = rows.pop()  # a row deleted
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    summary = await run(path)
    assert (summary.updated, summary.created, summary.removed) == (1, 0, [])
    partner = await m.Partner.get(slug=changed["slug"])
    assert partner.last_verified_on == date(2026, 4, 4)
    if deleted["program"]:
        assert await m.Program.exists(slug=deleted["program"])  # nothing dropped


async def test_dates_a_spreadsheet_mangled_say_so(db: object, tmp_path: Path) -> None:
    path = tmp_path / "office.csv"
    path.write_text(
        "slug,name,last_verified_on\n"
        "a-org,A,31/4/2026\n"
        "b-org,B,46116\n"
        "c-org,C,######\n"
        "d-org,D,soon\n"
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path)
    found = problems(error)
    assert found[0].startswith("row 2, column last_verified_on: must be a date like")
    assert "looks day-first" in found[0]
    assert "date number (it would be 2026-04-04)" in found[1]
    assert "### when a date does not fit its column" in found[2]
    assert found[3] == (
        "row 5, column last_verified_on: must be a date like 2026-09-15 (or "
        "9/15/2026) (value: 'soon')"
    )


async def test_formula_guards_hold_behind_spaces_and_tabs(
    demo: None, tmp_path: Path
) -> None:
    await m.Partner.filter(id=1).update(description="\tIndented on purpose")
    await m.Partner.filter(id=2).update(summary=" -3 degrees outside")
    path = tmp_path / "export.csv"
    await spreadsheet.export(path)
    with path.open(newline="", encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert "'\tIndented on purpose" in {r["description"] for r in exported}
    assert "' -3 degrees outside" in {r["summary"] for r in exported}
    before = await snapshot()
    summary = await run(path)
    assert summary.updated == 0 and await snapshot() == before  # no permanent '
    hostile = tmp_path / "hostile.csv"
    hostile.write_text('slug,name\nx-org," =HYPERLINK(""http://x"")"\n')
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(hostile)
    assert "must not start with = or @" in problems(error)[0]


async def test_oversized_cells_and_repeated_columns_are_pointed_at(
    db: object, tmp_path: Path
) -> None:
    path = tmp_path / "office.csv"
    path.write_text(
        "slug,name,summary,description\n"
        + "a-org,A,,"
        + "x" * 140_000
        + "\nb-org,B,"
        + "y" * 301
        + ",\n"
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path)
    assert problems(error) == [
        "row 2, column description: holds 140,000 characters; no column takes more "
        "than 20,000",
        "row 3, column summary: is 301 characters; at most 300 (value: "
        f"{'y' * 60!r}… (301 characters))",
    ]
    path.write_text("slug,name,city,name\na-org,A,Riverton,B\n")
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path)
    assert str(error.value) == (
        "office.csv, row 1 (header): column name appears 2 times (columns 2, 4): "
        "keep one"
    )


async def test_a_broken_workbook_gets_a_clear_message(
    db: object, tmp_path: Path
) -> None:
    path = tmp_path / "office.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path)
    assert str(error.value).startswith(
        "office.xlsx is not an Excel workbook (.xlsx) that can be read"
    )
