"""Nothing a stranger sends reaches a traceback (issue 22): texts longer than their
column are told by row and column before the ORM sees them, a workbook is held to
what reading it costs before it is read, and a message repeats a long value by
its first characters and its length."""

import argparse
import tracemalloc
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from openpyxl import Workbook

import models as m
import spreadsheet
from cli import commands
from cli.main import _parser
from models.db import database
from spreadsheet.columns import column_names
from spreadsheet.limits import (
    EMPTY_ROWS,
    LENGTHS,
    MAX_COLUMNS,
    MAX_PARTS,
    MAX_SHARED_STRINGS,
    MAX_SHEETS,
    quoted,
)
from spreadsheet.xlsx import read_workbook
from tests.settings_helpers import configured
from tests.test_mutations import snapshot
from tests.test_spreadsheet import problems, run

# A valid row of the partners' table, each column by name.
ROW = {
    "slug": "river-robotics",
    "name": "River Robotics",
    "program": "robot-club",
    "program_name": "Robot Club",
    "grade_min": "6",
    "grade_max": "8",
}


def csv_file(path: Path, rows: Iterable[dict[str, str]]) -> Path:
    import csv

    rows = list(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        names = list(dict.fromkeys(name for row in rows for name in row))
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)
    return path


async def partners_import(url: str, path: Path, *args: str) -> str:
    """`partners import PATH --by Tester ARGS` in this process, on the database at
    `url`: "" when it worked, else the message it prints. Only the errors the
    command means to print are caught; any other is a traceback, and fails."""
    parsed: argparse.Namespace = _parser().parse_args(
        ["import", str(path), "--by", "Tester", *args]
    )
    with configured(database_url=url) as settings:
        try:
            await commands.import_csv(parsed, settings)
        except commands.CommandError as error:
            return str(error)
    return ""


# Texts one character longer than their column -----------------------------


@pytest.mark.parametrize("dry_run", [True, False])
async def test_every_text_too_long_for_its_column_is_told_by_row_and_column(
    db: object, tmp_path: Path, dry_run: bool
) -> None:
    """Each column whose model field has a max_length, one character over it: the
    file's own check tells it, and no ORM validator is reached (a key too long
    for its column reached one in a lookup, as a traceback, dry run or not)."""
    partner_columns = [c for c in LENGTHS if c in column_names()]
    assert {"slug", "name", "program", "program_name", "cost", "city"} <= set(
        partner_columns
    )
    rows = []
    for number, column in enumerate(partner_columns):
        slug = f"partner-{number}"
        row = {**ROW, "slug": slug, "program": f"{slug}-club"}
        row[column] = "a" * (LENGTHS[column] + 1)
        rows.append(row)
    path = csv_file(tmp_path / "office.csv", rows)
    before = await snapshot()
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path, dry_run=dry_run)
    assert problems(error) == [
        f"row {number + 2}, column {column}: is {LENGTHS[column] + 1} characters; "
        f"at most {LENGTHS[column]} (value: {quoted('a' * (LENGTHS[column] + 1))})"
        for number, column in enumerate(partner_columns)
    ]
    assert await snapshot() == before


async def test_a_support_record_naming_a_partner_too_long_is_told(
    db: object, tmp_path: Path
) -> None:
    path = tmp_path / "records.csv"
    path.write_text(
        "partner,kind,held_on,topic,staff\n"
        f"{'p' * 81},evaluation_training,2026-09-15,Logic models,Ana Lopez\n"
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path, dry_run=True)
    assert problems(error) == [
        f"row 2, column partner: is 81 characters; at most 80 (value: {'p' * 60!r}… "
        "(81 characters))"
    ]


async def test_keys_no_database_can_hold_are_never_looked_up(
    db: object, tmp_path: Path
) -> None:
    """PostgreSQL refuses a NUL in any text it is sent, a lookup's too: a key that
    is no slug (reported already) is not looked up."""
    path = csv_file(
        tmp_path / "office.csv",
        [
            {**ROW, "slug": "a\x00b", "program": "c\x00d", "remove": ""},
            {**ROW, "slug": "river-robotics", "program": "e\x00f", "remove": "yes"},
        ],
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path, dry_run=True)
    assert [p.split(":")[0] for p in problems(error)] == [
        "row 2, column slug",
        "row 2, column program",
        "row 3, column program",
    ]
    assert "(value: 'a\\x00b')" in problems(error)[0]
    records = tmp_path / "records.csv"
    records.write_text(
        "partner,kind,held_on,topic,staff\n"
        "x\x00y,evaluation_training,2026-09-15,Logic models,Ana Lopez\n"
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(records, dry_run=True)
    assert problems(error) == [
        "row 2, column partner: is not a partner on file (value: 'x\\x00y')"
    ]


async def test_the_command_tells_a_long_slug_or_program_and_writes_nothing(
    migrated_url: str, tmp_path: Path
) -> None:
    """The issue's two files, through `partners import`, with --dry-run and without."""
    slug = csv_file(tmp_path / "slug.csv", [{**ROW, "slug": "s" * 81}])
    program = csv_file(tmp_path / "program.csv", [{**ROW, "program": "p" * 121}])
    for path, column, limit in ((slug, "slug", 80), (program, "program", 120)):
        for args in (["--dry-run"], []):
            said = await partners_import(migrated_url, path, *args)
            assert said.splitlines()[1].startswith(
                f"  row 2, column {column}: is {limit + 1} characters; at most {limit}"
            ), said
    async with database(migrated_url):
        assert not await m.Partner.exists()


# Workbooks that claim more than they hold ---------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{strings}</Types>"
)
STRINGS_TYPE = (
    '<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
    'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Partners" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>{strings}</Relationships>'
)
STRINGS_RELATION = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/sharedStrings" Target="/{part}"/>'
)
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
    b'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="%s"/><sheetData>'
)
SHEET_END = b"</sheetData></worksheet>"


def text_row(number: int, *texts: str, column: int = 1) -> bytes:
    from openpyxl.utils import get_column_letter

    cells = b"".join(
        b'<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>'
        % (get_column_letter(column + i).encode(), number, text.encode())
        for i, text in enumerate(texts)
    )
    return b'<row r="%d">%s</row>' % (number, cells)


def workbook(
    path: Path,
    rows: Iterable[bytes],
    dimension: str = "A1:B2",
    strings: Iterable[bytes] | None = None,
    strings_part: str = "xl/sharedStrings.xml",
    other: tuple[str, Iterable[bytes]] | None = None,
    sheets: str = WORKBOOK,
) -> Path:
    """A workbook written part by part, each part as a compressed stream, so a
    part may be far bigger than the file (and than this test's memory)."""

    def put(book: zipfile.ZipFile, name: str, chunks: Iterable[bytes]) -> None:
        with book.open(name, "w", force_zip64=True) as part:
            for chunk in chunks:
                part.write(chunk)

    shared = strings is not None
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        types = STRINGS_TYPE.format(part=strings_part) if shared else ""
        book.writestr("[Content_Types].xml", CONTENT_TYPES.format(strings=types))
        book.writestr("_rels/.rels", RELS)
        book.writestr("xl/workbook.xml", sheets)
        relation = STRINGS_RELATION.format(part=strings_part) if shared else ""
        book.writestr(
            "xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(strings=relation)
        )
        sheet = [SHEET_START % dimension.encode(), *rows, SHEET_END]
        put(book, "xl/worksheets/sheet1.xml", sheet)
        if strings is not None and strings_part != "xl/worksheets/sheet1.xml":
            put(book, strings_part, strings)
        if other is not None:
            put(book, *other)
    return path


def repeated(piece: bytes, size: int) -> Iterable[bytes]:
    """`size` bytes of `piece` over and over, a megabyte at a time."""
    block = piece * ((1 << 20) // len(piece))
    while size > 0:
        yield block[:size]
        size -= len(block)


async def test_a_workbook_claiming_a_million_rows_is_read_no_further_than_it_holds(
    db: object, tmp_path: Path
) -> None:
    """The issue's file: a 1.6 KB workbook whose only far cell is XFD1048576 (and
    whose <dimension> says so) was read for 48 minutes, every empty row padded to
    16,384 columns. Rows are now as wide as their last cell, at most MAX_COLUMNS
    of them are read, and reading stops after EMPTY_ROWS empty rows: the sheet
    goes on after them, so it is refused, saying where."""
    far = (
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    path = workbook(
        tmp_path / "far.xlsx",
        [text_row(1, "slug", "name"), text_row(2, "far-org", "Far"), far],
        dimension="A1:XFD1048576",
    )
    assert path.stat().st_size < 2_000
    read = 0
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        for row in read_workbook(path):
            read += 1
            assert len(row) <= MAX_COLUMNS
            assert read <= EMPTY_ROWS + 2, "read on past the empty rows"
    assert read == EMPTY_ROWS + 2  # the header, a row, then the empty ones
    assert str(error.value) == (
        "far.xlsx, sheet Partners: rows 3 to 1,002 are empty and the sheet goes on "
        "after them; a sheet is read up to 1,000 empty rows in a row: delete the "
        "empty rows (or what is below them) and save again"
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path, dry_run=True)
    assert str(error.value).startswith("far.xlsx, sheet Partners: rows 3 to 1,002")


async def test_empty_rows_short_of_the_stretch_and_a_dimension_that_lies_are_fine(
    db: object, tmp_path: Path
) -> None:
    last = 8 + EMPTY_ROWS  # after a gap of EMPTY_ROWS empty rows
    styled = [  # empty rows a spreadsheet keeps for their formatting, at the end
        b'<row r="%d"><c r="A%d" s="1"/><c r="ZZ%d" s="1"/></row>' % (n, n, n)
        for n in range(last + 1, last + EMPTY_ROWS)
    ]
    path = workbook(
        tmp_path / "gaps.xlsx",
        [
            text_row(1, "slug", "name"),
            text_row(2, "first-org", "First"),
            text_row(7, "second-org", "Second"),  # four blank rows before it
            text_row(last, "third-org", "Third"),
            *styled,
        ],
        dimension="A1:ZZ5000",  # a claim the sheet does not bear out
    )
    summary = await run(path)
    assert summary.created == 3
    assert await m.Partner.filter(slug="third-org").exists()


async def test_a_value_past_the_last_column_read_is_refused(
    db: object, tmp_path: Path
) -> None:
    path = workbook(
        tmp_path / "wide.xlsx",
        [
            text_row(1, "slug", "name"),
            text_row(2, "wide-org", "Wide"),
            text_row(3, "note", column=MAX_COLUMNS + 1),
        ],
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path, dry_run=True)
    assert str(error.value) == (
        f"wide.xlsx, sheet Partners, row 3: has a value past column {MAX_COLUMNS} "
        "(IV), where the import has no column; delete it and save again"
    )


# Workbooks bigger inside than reading them may cost -----------------------


async def test_a_huge_shared_string_is_refused_before_it_is_read(
    db: object, tmp_path: Path
) -> None:
    """The issue's 390 KB workbook held one 400 MB shared string, and reading it
    took 1.24 GB before it was refused. Here one just over the bound: refused from
    the zip's directory, with little more memory than a few parts' names."""
    size = MAX_SHARED_STRINGS
    path = workbook(
        tmp_path / "strings.xlsx",
        [b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'],
        strings=[
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<si><t>",
            *repeated(b"x", size),
            b"</t></si></sst>",
        ],
    )
    assert path.stat().st_size < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(spreadsheet.SpreadsheetError) as error:
            await run(path, dry_run=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4_000_000, peak
    assert str(error.value) == (
        "strings.xlsx is too big to read: its shared strings take 32.0 MB unpacked "
        "(the largest, xl/sharedStrings.xml, 32.0 MB); a workbook's may take at "
        "most 32.0 MB: save the sheet as CSV UTF-8 and import that instead"
    )


async def test_shared_strings_are_bounded_wherever_the_workbook_puts_them(
    db: object, tmp_path: Path
) -> None:
    """A part is allowed a sheet's size only when nothing else reads it: shared
    strings in a part named like a sheet are held to the shared strings' bound."""
    path = workbook(
        tmp_path / "hidden.xlsx",
        [
            b"<si><t>",  # the sheet's part, declared as shared strings too
            *repeated(b"y", MAX_SHARED_STRINGS),
            b"</t></si>",
        ],
        strings=[],
        strings_part="xl/worksheets/sheet1.xml",
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path, dry_run=True)
    assert "its shared strings take 32.0 MB" in str(error.value)


async def test_sheets_and_other_parts_too_big_are_refused(
    db: object, tmp_path: Path
) -> None:
    sheet = workbook(
        tmp_path / "sheet.xlsx",
        [text_row(1, "slug", "name"), *repeated(b"<row/>", MAX_SHEETS)],
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(sheet, dry_run=True)
    assert str(error.value).startswith(
        "sheet.xlsx is too big to read: its sheets take 256.0 MB unpacked (the "
        "largest, xl/worksheets/sheet1.xml, 256.0 MB); a workbook's may take at "
        "most 256.0 MB"
    )
    styles = workbook(
        tmp_path / "styles.xlsx",
        [text_row(1, "slug", "name")],
        other=("xl/styles.xml", repeated(b" ", MAX_PARTS)),
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(styles, dry_run=True)
    assert "its parts other than sheets take 16.0 MB" in str(error.value)


async def test_a_workbook_within_its_bounds_reads_as_before(
    db: object, tmp_path: Path
) -> None:
    path = workbook(
        tmp_path / "small.xlsx",
        [
            b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
            b'</row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v>'
            b"</c></row>"
        ],
        strings=[
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<si><t>slug</t></si><si><t>name</t></si><si><t>small-org</t></si>"
            b"<si><t>Small</t></si></sst>"
        ],
    )
    assert (await run(path)).created == 1


@pytest.mark.parametrize(
    "rows",
    [
        [b'<row r="1"><c r="A1" t="inlineStr"><is><t>slug</t></is></c>'],  # no end
        [text_row(1, "slug", "name"), b'<row r="2"><c r="A2"><v>1' + b"0" * 5000],
        [text_row(1, "slug", "name"), b'<row r="2"><c r="A2"><v>9' * 2 + b"</row>"],
    ],
)
async def test_a_damaged_sheet_gets_a_clear_message(
    db: object, tmp_path: Path, rows: list[bytes]
) -> None:
    """openpyxl raises what its parser meets (ParseError, a SyntaxError; TypeError;
    IndexError; zlib.error): each is the same message to the office."""
    path = workbook(tmp_path / "damaged.xlsx", rows, dimension="A1:B2")
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path, dry_run=True)
    assert str(error.value).startswith(
        "damaged.xlsx is not an Excel workbook (.xlsx) that can be read: "
    )


async def test_a_workbook_without_a_sheet_of_rows_says_so(
    db: object, tmp_path: Path
) -> None:
    empty = workbook(
        tmp_path / "empty.xlsx",
        [],
        sheets=WORKBOOK.replace('<sheet name="Partners" sheetId="1" r:id="rId1"/>', ""),
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(empty, dry_run=True)
    assert str(error.value) == "empty.xlsx has no sheets"
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    book.create_chartsheet("Partners")
    book.save(tmp_path / "chart.xlsx")
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(tmp_path / "chart.xlsx", dry_run=True)
    assert str(error.value).startswith(  # openpyxl's own reader fails on it
        "chart.xlsx is not an Excel workbook (.xlsx) that can be read: "
    )


# Messages repeat a long value by its start and its length -----------------


async def test_a_five_megabyte_header_cell_is_named_not_echoed(
    db: object, tmp_path: Path
) -> None:
    path = tmp_path / "office.csv"
    path.write_text("slug,name," + "h" * 5_000_000 + "\nx-org,X,\n")
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path)
    message = str(error.value)
    assert len(message) < 1_500
    assert message.startswith(
        f"office.csv, row 1 (header): unknown columns: {'h' * 60}… (5,000,000 "
        "characters) (expected some of slug, name,"
    )


async def test_a_header_of_many_columns_is_told_briefly(
    db: object, tmp_path: Path
) -> None:
    """Unknown and repeated columns, 10,000 of each: named ten at a time, and
    counted in one pass over the header (not one pass a column)."""
    path = tmp_path / "office.csv"
    path.write_text(
        "slug,name,"
        + ",".join(f"c{n}" for n in range(10_000))
        + ","
        + ",".join(["city"] * 10_000)
        + "\n"
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path)
    message = str(error.value)
    assert len(message) < 2_000
    assert "unknown columns: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 and 9,990 more" in (
        message
    )
    assert "column city appears 10,000 times (columns 10003, 10004," in message
    assert "and 9,990 more): keep one" in message


async def test_values_in_problems_are_shortened_and_escaped(
    db: object, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path / "office.csv",
        [{**ROW, "categories": "c" * 10_000, "timing": "\x1b[31m" + "t" * 100}],
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as error:
        await run(path, dry_run=True)
    message = str(error.value)
    assert "\x1b" not in message and len(message) < 1_000
    assert problems(error) == [
        f"row 2, column timing: unknown: \\x1b[31m{'t' * 55}… (105 characters) "
        "(use during_school, after_school, summer, weekends) (value: "
        f"'\\x1b[31m{'t' * 55}'… (105 characters))",
        f"row 2, column categories: unknown: {'c' * 60}… (10,000 characters) "
        f"(value: {'c' * 60!r}… (10,000 characters))",
    ]
