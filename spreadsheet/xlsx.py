"""The office's spreadsheet as an Excel workbook (openpyxl): written with a frozen
header that explains each column, widths that fit, real date, time and number
cells and drop-down lists; read back with the same columns as the CSV."""

from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

import models as m
from models.program import Timing
from spreadsheet.columns import (
    NO,
    RECORD_COLUMNS,
    RECORD_NAMES,
    YES,
    Column,
    Rows,
    column_names,
    sheet_columns,
)
from spreadsheet.limits import EMPTY_ROWS, MAX_COLUMNS, shown
from spreadsheet.package import check_package
from spreadsheet.reader import SpreadsheetError
from spreadsheet.sessions import PARTNER_SITE, time_text

SHEET = "Partners"
RECORDS = "Records"
LISTS = "Lists"
README = "Read me"
WIDEST = 60
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "h:mm AM/PM"  # 3:30 PM


# Columns whose cells take one value from a list, and those that take a list of
# them separated by ";" (the drop-down offers one; more may be typed).
def choices(vocabulary: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        "status": [s.value for s in m.PartnerStatus],
        "address_confidential": ["yes", "no"],
        "free": ["yes", "no"],
        "remove": ["yes", "no"],
        "timing": [t.value for t in Timing],
        **vocabulary,
        "where": [PARTNER_SITE, *vocabulary.get("schools", [])],
    }


SEVERAL = {"timing", "categories", "services", "schools", "languages"}
NUMBERS = {"grade_min", "grade_max"}
DATES = {"last_verified_on", "held_on", "from", "until"}
TIMES = {"starts_at", "ends_at"}


async def _vocabulary() -> dict[str, list[str]]:
    return {
        "categories": [c.slug for c in await m.Category.all()],
        "services": [s.slug for s in await m.ServiceType.all()],
        "schools": [s.slug for s in await m.SchoolSite.all()],
        "languages": [lang.code for lang in await m.Language.all()],
    }


async def write_workbook(
    path: Path,
    rows: AsyncIterator[dict[str, object]],
    records: AsyncIterator[dict[str, object]],
) -> Rows:
    """Write the partners' rows and the support records to a new workbook at
    `path`; returns how many of each."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    count = await _fill(sheet, sheet_columns(), rows)
    _drop_downs(book, sheet, await _vocabulary(), max(count, 1000) + 1)
    kept = book.create_sheet(RECORDS, 1)
    written = await _fill(kept, RECORD_COLUMNS, records)
    _record_drop_downs(kept, max(written, 1000) + 1)
    _read_me(book)
    book.save(path)
    return Rows(partners=count, records=written)


async def _fill(
    sheet: Worksheet,
    columns: tuple[Column, ...],
    rows: AsyncIterator[dict[str, object]],
) -> int:
    """The header and the rows, typed; returns the rows written."""
    names = [c.name for c in columns]
    _header(sheet, columns)
    widths = [len(name) + 2 for name in names]
    count = 0
    async for cells in rows:
        count += 1
        for column, name in enumerate(names, start=1):
            value = cells.get(name)
            cell = sheet.cell(row=count + 1, column=column)
            if value is None or value == "":
                continue
            if name in DATES and isinstance(value, date):
                cell.value = value
                cell.number_format = DATE_FORMAT
            elif name in TIMES and isinstance(value, time):
                cell.value = value
                cell.number_format = TIME_FORMAT
            elif name in NUMBERS and isinstance(value, int):
                cell.value = value
            else:
                cell.value = str(value)
                cell.data_type = "s"  # text, never a formula, whatever it starts with
            shown = time_text(value) if isinstance(value, time) else str(value)
            widths[column - 1] = max(widths[column - 1], min(len(shown), WIDEST))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width, WIDEST)
    return count


def _header(sheet: Worksheet, columns: tuple[Column, ...]) -> None:
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F0")
    for column, spec in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=column, value=spec.name)
        cell.font, cell.fill = bold, fill
        note = spec.help + (" (required)" if spec.required else "")
        cell.comment = Comment(note, "partners export")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"


def _drop_downs(
    book: Workbook, sheet: Worksheet, vocabulary: dict[str, list[str]], last: int
) -> None:
    """A drop-down list on each column with choices, its values on a hidden sheet
    (an inline list may not pass 255 characters)."""
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    for place, (name, offered) in enumerate(choices(vocabulary).items(), start=1):
        letter = get_column_letter(place)
        lists.cell(row=1, column=place, value=name)
        for row, choice in enumerate(offered, start=2):
            lists.cell(row=row, column=place, value=choice).data_type = "s"
        source = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(offered) + 1}"
        several = name in SEVERAL
        check = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=not several,
            errorStyle="stop",
            error=f"Choose a value from the list for {name}.",
        )
        if several:
            check.prompt = "Pick one, or type several separated by ;"
            check.showInputMessage = True
        column = get_column_letter(column_names().index(name) + 1)
        check.add(f"{column}2:{column}{last}")
        sheet.add_data_validation(check)


def _record_drop_downs(sheet: Worksheet, last: int) -> None:
    for name, offered in (
        ("kind", [k.value for k in m.SupportKind]),
        ("remove", ["yes", "no"]),
    ):
        check = DataValidation(
            type="list",
            formula1='"' + ",".join(offered) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            error=f"Choose a value from the list for {name}.",
        )
        column = get_column_letter(RECORD_NAMES.index(name) + 1)
        check.add(f"{column}2:{column}{last}")
        sheet.add_data_validation(check)


def _read_me(book: Workbook) -> None:
    sheet = book.create_sheet(README)
    lines = [
        'How this workbook imports (partners import FILE.xlsx --by "Your Name")',
        "",
        "One row per session of a program, with the program's and its partner's "
        "columns repeated (they must agree); a program without sessions has one "
        "row, its session columns (days, starts_at, ends_at, from, until, where) "
        "empty.",
        "Importing replaces each program's sessions with the file's. A file "
        "without the session columns leaves sessions as they are.",
        "Partners are matched by slug and programs by program: importing the same "
        "file again changes nothing.",
        "Deleting a row removes no program. To remove a program, put yes in its "
        "row's remove column, or import with --remove-missing; a --dry-run lists "
        "what would go. Deleting one of a program's rows removes that session; the "
        "import names each program whose sessions change.",
        "A row that approves or suspends a partner needs a status_reason.",
        "Dates may be real date cells or typed as 2026-09-15 or 9/15/2026; times "
        "real time cells or typed as 3:30 PM or 15:30.",
        f"The {RECORDS} sheet holds evaluation training and technical assistance, a "
        "row a record, matched by partner, kind, held_on and topic.",
        "",
        f"Columns of {SHEET}:",
        *(f"{c.name}: {c.help}" for c in sheet_columns()),
        "",
        f"Columns of {RECORDS}:",
        *(f"{c.name}: {c.help}" for c in RECORD_COLUMNS),
    ]
    for row, line in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=line).data_type = "s"
    sheet.column_dimensions["A"].width = 110


def _opened(path: Path) -> Workbook:
    """The workbook, to read, once its parts' sizes are checked (package.py)."""
    check_package(path)
    # keep_links=False: a link to another workbook is a part read whole, for nothing
    return load_workbook(path, read_only=True, data_only=True, keep_links=False)


def sheet_names(path: Path) -> list[str]:
    book = _opened(path)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def read_workbook(path: Path, name: str | None = None) -> Iterator[list[str]]:
    """A sheet's rows (`name`, or the partners' sheet) as text, as a CSV would hold
    them: dates as 2026-09-15, whole numbers without a decimal point, yes/no for
    true/false. Only the first MAX_COLUMNS columns are read, and reading stops
    after EMPTY_ROWS empty rows (limits.py): a sheet that goes on after them is
    refused."""
    book = _opened(path)
    try:
        if not book.sheetnames:
            raise SpreadsheetError(f"{path.name} has no sheets")
        wanted = name or (SHEET if SHEET in book.sheetnames else book.sheetnames[0])
        sheet = book[wanted]
        # The sheet's own claim of its size (<dimension>) is not taken: rows come
        # as they are in the file, each as wide as its last cell.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        try:
            yield from _bounded(path, wanted, rows)
        finally:
            rows.close()  # its part of the zip, which book.close() leaves open
    finally:
        book.close()


def _bounded(
    path: Path, sheet: str, rows: Iterator[tuple[Any, ...]]
) -> Iterator[list[str]]:
    """The rows as text, their first MAX_COLUMNS cells, up to EMPTY_ROWS empty
    rows in a row."""
    empty = 0
    for number, values in enumerate(rows, start=1):
        far = values[MAX_COLUMNS:]
        if far.count(None) != len(far):
            raise SpreadsheetError(
                f"{path.name}, sheet {shown(sheet)}, row {number:,}: has a value past "
                f"column {MAX_COLUMNS} ({get_column_letter(MAX_COLUMNS)}), where the "
                "import has no column; delete it and save again"
            )
        cells = [_text(value) for value in values[:MAX_COLUMNS]]
        empty = 0 if any(cell.strip() for cell in cells) else empty + 1
        if empty > EMPTY_ROWS:
            first = number - EMPTY_ROWS
            raise SpreadsheetError(
                f"{path.name}, sheet {shown(sheet)}: rows {first:,} to {number - 1:,} "
                "are empty and the sheet goes on after them; a sheet is read up to "
                f"{EMPTY_ROWS:,} empty rows in a row: delete the empty rows (or "
                "what is below them) and save again"
            )
        yield cells


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES[0] if value else NO[0]
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, time):  # a time cell: as the sheet writes it, 3:30 PM
        exact = value.second == value.microsecond == 0
        return time_text(value) if exact else value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
