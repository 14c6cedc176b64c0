"""What a spreadsheet may hold before anything else is checked, and how much of a
value an error message repeats. Files come from anywhere: these bounds keep a
file's size, and what a message prints, from growing with what was sent."""

from collections.abc import Iterable
from typing import Any

import models as m
from spreadsheet.columns import PARTNER_COLUMNS, PROGRAM_COLUMNS, RECORD_COLUMNS


def _lengths(
    model: Any, columns: Iterable[str], stored_as: dict[str, str] | None = None
) -> dict[str, int]:
    """The longest text each of `columns` may hold: its model field's max_length
    (the field of the column's name, or as `stored_as` says)."""
    fields = model.describe(serializable=False)["data_fields"]
    limits = {f["name"]: f["constraints"].get("max_length") for f in fields}
    found: dict[str, int] = {}
    for column in columns:
        limit = limits.get((stored_as or {}).get(column, column))
        if isinstance(limit, int):
            found[column] = limit
    return found


# The longest text of each column stored in a column of limited length, in
# characters, from the models themselves. A cell longer than that is reported by
# row and column before any other check of its row, so that nothing reaches the
# ORM that its validators would refuse. Both tables' columns: a name means one
# thing in either.
LENGTHS = {
    **_lengths(m.Partner, (c.name for c in PARTNER_COLUMNS)),
    **_lengths(
        m.Program,
        (c.name for c in PROGRAM_COLUMNS),
        {"program": "slug", "program_name": "name"},
    ),
    **_lengths(m.SupportRecord, (c.name for c in RECORD_COLUMNS)),
    **_lengths(m.Partner, ["partner"], {"partner": "slug"}),
}

# The longest text any column takes is 5,000 characters; a cell far past that is
# a mistake (a pasted document, a broken quote) reported by row and column.
MAX_CELL = 20_000

# A workbook's sheet says how far it reaches, and one row can claim any row
# number: a 1.6 KB file whose one far cell is XFD1048576 made openpyxl hand over a
# million empty rows. Reading stops after this many empty rows in a row, and when
# the sheet goes on after them the file is refused, saying where (a silent stop
# would drop the rows below, and --remove-missing would then remove their
# programs). An office leaves a few blank rows between groups; a thousand is no
# layout. A CSV file needs no such stop: each of its rows costs its bytes.
EMPTY_ROWS = 1_000

# The columns of a workbook's sheet that are read: the partners' sheet has 52 (16
# of the partner, 12 of the program, 6 of the session, 5 for each of 3 translated
# languages), so 256 (the old Excel's last column, IV) leaves room for 40 more
# languages. A value
# further out is refused (no column of the import is there); empty cells out there
# (a formatted column) are not.
MAX_COLUMNS = 256

# A workbook is a zip of XML parts, and a small file can hold huge ones (a 390 KB
# workbook held one 400 MB shared string). Each kind of part is bounded by its
# uncompressed size, which zipfile tells before anything is read (see
# spreadsheet/package.py). The yardstick is the largest file the importer is
# benchmarked with: bench/importing.py's 100,000 rows, every column filled.
#
# Sheets are streamed a row at a time, so their bound limits time rather than
# memory: those 100,000 rows are 181 MB of sheet XML as openpyxl writes them
# (every text inline, as `partners export` does). One cell is held whole,
# though: a single 256 MB cell took 555 MB of memory when measured.
MAX_SHEETS = 256_000_000  # bytes, all the workbook's sheets together
# The shared strings are read whole when a workbook is opened: the same 100,000
# rows, as Excel saves them (each distinct text once), are 7.4 MB. Memory grows
# with their number: 32 MB of two-letter strings took about 270 MB to hold.
MAX_SHARED_STRINGS = 32_000_000  # bytes
# Every other part (the workbook's list of sheets, styles, theme, relationships,
# pictures) may be read whole too: `partners export` writes 16 KB of them, and
# Excel's styles stay within a few megabytes even in a workbook years old.
MAX_PARTS = 16_000_000  # bytes, all of them together

# How much of a value an error message repeats: a 5 MB cell is named by its
# first characters and its length, not printed whole.
ECHOED = 60


def shown(value: str) -> str:
    """A file's text as a message names it (a column's name, an unknown slug):
    as it is when short and printable; else with what a terminal would act on
    escaped, and cut to its first ECHOED characters and its length."""
    cut = value[:ECHOED]
    text = cut if cut.isprintable() else repr(cut)[1:-1]
    return text if len(value) <= ECHOED else f"{text}… ({len(value):,} characters)"


def quoted(value: str) -> str:
    """A cell's value as a problem repeats it: quoted and escaped (repr), and cut
    like shown() when long."""
    if len(value) <= ECHOED:
        return repr(value)
    return f"{value[:ECHOED]!r}… ({len(value):,} characters)"


def listed(values: list[str], most: int = 10) -> str:
    """Values named one by one, the first `most` of them when there are more."""
    names = ", ".join(shown(v) for v in values[:most])
    more = len(values) - most
    return names + (f" and {more:,} more" if more > 0 else "")


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"
