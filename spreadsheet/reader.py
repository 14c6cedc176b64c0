"""Reading the spreadsheet into a checked plan, reporting every problem by row and
column; nothing is written here."""

import codecs
import csv
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import models as m
from models.languages import cleaned, translated_languages
from models.validation import (
    FORMULA_START,
    Checker,
    Problem,
    check_partner,
    check_program,
)
from spreadsheet import sessions
from spreadsheet.columns import (
    LIST_SEPARATOR,
    NO,
    PARTNER_TEXTS,
    PROGRAM_TEXTS,
    RECORD_COLUMNS,
    YES,
    Column,
    Rows,
    sheet_columns,
)
from spreadsheet.keys import Keys, PartnerKeys, ProgramKeys, RemovalKeys, SessionKeys
from spreadsheet.limits import LENGTHS, MAX_CELL, listed, quoted, shown

PARTNER_FIELDS = (
    "name",
    "status",
    "status_reason",
    "summary",
    "description",
    "website",
    "email",
    "phone",
    "street",
    "city",
    "postal_code",
    "address_confidential",
    "last_verified_on",
    "internal_notes",
)


class SpreadsheetError(Exception):
    """The file cannot be imported; the message lists every problem."""


@dataclass
class PartnerRow:
    row: int
    values: dict[str, Any]
    categories: list[str]
    digest: str = ""  # of its values and categories, to compare repeated rows


@dataclass
class ProgramRow:
    row: int
    partner: str
    slug: str
    values: dict[str, Any]
    relations: dict[str, list[str]]


@dataclass
class Plan:
    """A file's rows, checked. A plan read from a file keeps of each row only what
    the checks need (keys, status, references), on disk (`keys`), and the import
    reads the file again, a chunk at a time, to write (chunks()); its fingerprint
    must not have changed. The chunks are plans too, holding their rows whole."""

    name: str
    partners: dict[str, PartnerRow] = field(default_factory=dict)  # in a chunk
    programs: list[ProgramRow] = field(default_factory=list)  # in a chunk
    records: list[Any] = field(default_factory=list)  # spreadsheet.records.RecordRow
    checker: Checker = field(default_factory=Checker)
    rows: int = 0  # data rows read (the header and empty rows not counted)
    record_rows: int = 0  # of them, support records
    path: Path | None = None
    fingerprint: str = ""
    keys: Keys | None = None  # a whole file's keys
    sessions: bool = False  # the file has the session columns

    def counted(self) -> Rows:
        """The rows read, as export counts what it writes."""
        return Rows(partners=self.rows - self.record_rows, records=self.record_rows)

    def earlier(self, slug: str) -> tuple[int, str] | None:
        """The first row and digest of a partner already read."""
        if self.keys is not None:
            return self.keys.partner(slug)
        found = self.partners.get(slug)
        return (found.row, found.digest) if found else None

    def keep_partner(self, slug: str, partner: PartnerRow) -> None:
        if self.keys is None:
            self.partners[slug] = partner
            return
        values = partner.values
        status, reason = values["status"], values.get("status_reason", "")
        keys = PartnerKeys(partner.row, slug, status, reason, partner.categories)
        self.keys.add_partner(keys, partner.digest)

    def keep_program(
        self, program: "ProgramRow", *, session: bool = False, columns: str = ""
    ) -> None:
        """A program's row; `session`, whether it gives the program a session;
        `columns`, the digests of its first row's program columns."""
        if self.keys is None:
            self.programs.append(program)
        else:
            keys = ProgramKeys(
                program.row, program.partner, program.slug, program.relations
            )
            self.keys.add_program(keys, session=session, columns=columns)

    def keep_session(self, session: SessionKeys) -> None:
        if self.keys is not None:  # a chunk's programs take theirs from the keys
            self.keys.add_session(session)

    def keep_removal(self, removal: RemovalKeys) -> None:
        if self.keys is not None:  # a chunk writes none: they go after all rows
            self.keys.add_removal(removal)

    def close(self) -> None:
        if self.keys is not None:
            self.keys.close()

    def stop_if_wrong(self) -> None:
        """Raise with every problem found so far, in row order, if there is one."""
        problems = sorted(self.checker.problems, key=_row_of)
        if problems:
            more = len(problems) - SHOWN
            raise SpreadsheetError(
                f"{self.name}: {len(problems):,} problem(s), nothing was imported:\n"
                + "\n".join(
                    f"  {p.field}: {p.message}"
                    + (f" (value: {quoted(p.value)})" if p.value else "")
                    for p in problems[:SHOWN]
                )
                + (
                    f"\n  ...and {more:,} more after these: fix them too"
                    if more > 0
                    else ""
                )
            )


SHOWN = 1_000  # problems listed; a file wrong on every row needs no more to fix


def _row_of(problem: Problem) -> int:
    found = re.match(r"row (\d+)", problem.field)
    return int(found.group(1)) if found else 0


def check_text(path: Path) -> None:
    """A CSV file must be UTF-8 text, and not empty; read a block at a time."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    lines, text = 1, False
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            try:
                text = bool(decoder.decode(block).strip()) or text
            except UnicodeDecodeError as error:
                line = lines + block[: error.start].count(b"\n")
                raise SpreadsheetError(
                    f"{path.name} is not UTF-8 text (byte 0x{block[error.start]:02x} "
                    f'on line {line}); save it as "CSV UTF-8" and try again'
                ) from None
            lines += block.count(b"\n")
    if not text:
        raise SpreadsheetError(
            f"{path.name} is empty: the first row must name the columns, at least "
            "slug and name"
        )


def _cell(raw: str | None) -> str:
    """A cell as typed, spaces around it off; the apostrophe the export puts before
    text a spreadsheet would run (=, +, - or @, after any spaces; a tab) comes off."""
    value = (raw or "").strip()
    rest = value[1:]
    if value[:1] == "'" and (
        rest.lstrip(" ").startswith(FORMULA_START) or rest[:1] in ("\t", "\r")
    ):
        return rest
    return value


def _list(value: str) -> list[str]:
    """A cell's list."""
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


csv.field_size_limit(1 << 24)  # read it whole, so that the message can say where


def _rows(path: Path, sheet: str | None = None) -> Iterator[list[str]]:
    """The file's rows as lists of text, a CSV file or an Excel workbook (its
    `sheet`, or its partners' sheet) alike."""
    if path.suffix.lower() == ".xlsx":
        from spreadsheet.xlsx import read_workbook

        try:
            yield from read_workbook(path, sheet)
        except SpreadsheetError:
            raise
        except Exception as error:
            # A damaged workbook fails wherever openpyxl's parsers meet the damage
            # (ParseError, zlib.error, TypeError, IndexError, EOFError...): each
            # one means the same to the office.
            raise SpreadsheetError(
                f"{path.name} is not an Excel workbook (.xlsx) that can be read: "
                f"{shown(str(error))}"
            ) from None
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            yield from reader
        except csv.Error as error:
            raise SpreadsheetError(
                f"{path.name}, row {reader.line_num}: {error}"
            ) from None


def _checked_header(
    path: Path,
    first: list[str] | None,
    columns: tuple[Column, ...] | None = None,
    where: str = "",
) -> list[str]:
    columns = columns or sheet_columns()
    names = [c.name for c in columns]
    if first is None:
        raise SpreadsheetError(
            f"{path.name} is empty: the first row must name the columns, at least "
            "slug and name"
        )
    header = [h.strip() for h in first]
    while header and not header[-1]:
        header.pop()  # a workbook's empty columns at the end
    problems = []
    missing = [c.name for c in columns if c.required and c.name not in header]
    if missing:
        problems.append(f"missing required columns: {', '.join(missing)}")
    unknown = [h or "(a column with no name)" for h in header if h not in names]
    if unknown:
        problems.append(
            f"unknown columns: {listed(unknown)} (expected some of {', '.join(names)})"
        )
    if sessions.SESSION_NAMES[0] in names:
        problems += sessions.header_problems(header)
    counts = Counter(h for h in header if h in names)  # a header may be long
    for name in sorted(n for n, count in counts.items() if count > 1):
        places = [str(i + 1) for i, h in enumerate(header) if h == name]
        problems.append(
            f"column {name} appears {len(places):,} times (columns "
            f"{listed(places)}): keep one"
        )
    if problems:
        raise SpreadsheetError(
            f"{path.name}, {where}row 1 (header): " + "; ".join(problems)
        )
    return header


def read(path: Path, *, today: date) -> Plan:
    """The file's rows (CSV, or .xlsx), checked one by one as on the district's
    day `today`; their problems wait in `plan.checker` until the references are
    checked too (see importer.apply). A file that cannot be read at all raises
    SpreadsheetError at once. A CSV file whose header has `held_on` holds support
    records; a workbook may hold both, the records on its "Records" sheet."""
    from spreadsheet.records import read_record
    from spreadsheet.xlsx import RECORDS

    if path.suffix.lower() != ".xlsx":
        check_text(path)
    keys = Keys()
    plan = Plan(
        path.name,
        checker=Checker(today=today),
        path=path,
        fingerprint=fingerprint(path),
        keys=keys,
    )
    rows = _rows(path)
    first = next(rows, None)
    if first is not None and "held_on" in [h.strip() for h in first]:
        _table(plan, path, first, rows, RECORD_COLUMNS, read_record, "")
        plan.record_rows = plan.rows
    else:
        plan.sessions = first is not None and sessions.in_header(first)
        _table(plan, path, first, rows, sheet_columns(), _read_row, "")
    if path.suffix.lower() == ".xlsx" and _has_sheet(path, RECORDS):
        rows = _rows(path, RECORDS)
        where = f"sheet {RECORDS}, "
        before = plan.rows
        _table(plan, path, next(rows, None), rows, RECORD_COLUMNS, read_record, where)
        plan.record_rows += plan.rows - before
    keys.done_reading()
    if not plan.rows and not plan.checker.problems:
        plan.close()
        raise SpreadsheetError(f"{path.name} has a header but no rows to import")
    return plan


def _has_sheet(path: Path, name: str) -> bool:
    from spreadsheet.xlsx import sheet_names

    return name in sheet_names(path)


def _table(
    plan: Plan,
    path: Path,
    first: list[str] | None,
    rows: Iterator[list[str]],
    columns: tuple[Column, ...],
    read_row: Callable[[int, dict[str, str], Plan, Checker], None],
    where: str,
) -> None:
    for number, cells in _cells(plan, path, first, rows, columns, where):
        plan.rows += 1
        read_row(number, cells, plan, plan.checker)


def _cells(
    plan: Plan,
    path: Path,
    first: list[str] | None,
    rows: Iterator[list[str]],
    columns: tuple[Column, ...],
    where: str,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Each data row's cells by column, its shape checked."""
    header = _checked_header(path, first, columns, where)
    width = len(header)
    for number, raw in enumerate(rows, start=2):
        if any(cell.strip() for cell in raw[width:]):
            plan.checker.add(
                f"{where}row {number}", "has more cells than the header has columns"
            )
            continue
        cells = {name: _cell(value) for name, value in zip(header, raw, strict=False)}
        long = [n for n, v in cells.items() if len(v) > LENGTHS.get(n, MAX_CELL)]
        for name in long:
            # a problem keeps its value to the end: not a whole pasted document
            value = cells[name] if len(cells[name]) <= MAX_CELL else ""
            place = f"{where}row {number}, column {name}"
            plan.checker.add(place, _too_long(cells[name], name), value)
        # a row with a cell too long for its column is checked no further: none of
        # its values may reach a lookup, whose ORM validators would raise
        if any(cells.values()) and not long:
            yield number, cells


def _too_long(value: str, column: str) -> str:
    """The problem of a cell longer than its column takes: the model field's
    max_length, or MAX_CELL."""
    if column in LENGTHS:
        return f"is {len(value):,} characters; at most {LENGTHS[column]:,}"
    return f"holds {len(value):,} characters; no column takes more than {MAX_CELL:,}"


def chunks(plan: Plan, size: int = 500) -> Iterator[Plan]:
    """The partners and programs of a checked plan, whole, `size` at a time: a
    plan read from a file reads it again (which must not have changed since)."""
    if plan.keys is None or plan.path is None:
        yield plan
        return
    path = plan.path
    if fingerprint(path) != plan.fingerprint:
        raise SpreadsheetError(
            f"{plan.name} changed while it was being imported; nothing was written: "
            "import it again"
        )
    rows = _rows(path)
    first = next(rows, None)
    if first is None or "held_on" in [h.strip() for h in first]:
        return  # a file of support records: the plan holds them whole
    chunk = Plan(plan.name, sessions=plan.sessions)
    for number, cells in _cells(chunk, path, first, rows, sheet_columns(), ""):
        _read_row(number, cells, chunk, chunk.checker)
        if len(chunk.partners) + len(chunk.programs) >= size:
            yield chunk
            chunk = Plan(plan.name, sessions=plan.sessions)
    if chunk.partners or chunk.programs:
        yield chunk


def fingerprint(path: Path) -> str:
    """A digest of the file, read a block at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# How a spreadsheet set for the United States shows a date it has reformatted.
DATE_FORMATS = (
    "%m/%d/%Y",
    "%m/%d/%y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%b %d, %Y",
    "%B %d, %Y",
)
SERIAL_ZERO = date(1899, 12, 30)  # day 0 of a spreadsheet's date numbers


def spreadsheet_date(text: str) -> date:
    """A date as the office's spreadsheet may hold it: 2026-09-15, or as a US-set
    spreadsheet rewrites it (9/15/2026, 9/15/26, 15-Sep-2026, Sep 15, 2026). A
    ValueError says what is wrong, and when a spreadsheet seems to have changed it,
    how."""
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}( 00:00(:00)?)?", value):
        return date.fromisoformat(value[:10])
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(value, form).date()
        except ValueError:
            continue
    hint = "must be a date like 2026-09-15 (or 9/15/2026)"
    day_first = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})", value)
    if day_first and int(day_first.group(1)) > 12 >= int(day_first.group(2)):
        raise ValueError(
            f"{hint}; this looks day-first, as a spreadsheet set to another "
            "country's dates writes them: use 2026-09-15"
        )
    if re.fullmatch(r"\d{5}(\.0+)?", value):
        meant = SERIAL_ZERO + timedelta(days=int(float(value)))
        raise ValueError(
            f"{hint}; this looks like a spreadsheet's date number (it would be "
            f"{meant.isoformat()}): format the column as a date, or type the date"
        )
    if re.fullmatch(r"#+", value):
        raise ValueError(
            f"{hint}; a spreadsheet shows ### when a date does not fit its column, "
            "and saved that instead: widen the column and save again"
        )
    raise ValueError(hint)


def _label(number: int) -> Any:
    return lambda name: f"row {number}, column {name}"


def _flag(checker: Checker, where: str, value: str) -> bool | None:
    if value.lower() in YES:
        return True
    if value.lower() in NO:
        return False
    checker.add(where, "must be yes or no", value)
    return None


def _read_row(number: int, cells: dict[str, str], plan: Plan, checker: Checker) -> None:
    label = _label(number)
    values: dict[str, Any] = {k: cells[k] for k in PARTNER_FIELDS if k in cells}
    check_partner(checker, {"slug": cells.get("slug"), **values}, label, creating=True)
    status = values.get("status") or "applied"
    if status not in {s.value for s in m.PartnerStatus}:
        checker.add(
            label("status"), "must be applied, approved, suspended or inactive", status
        )
    values["status"] = status
    if "address_confidential" in values:
        values["address_confidential"] = bool(
            _flag(
                checker, label("address_confidential"), values["address_confidential"]
            )
        )
    if values.get("last_verified_on"):
        text = values["last_verified_on"]
        try:
            values["last_verified_on"] = spreadsheet_date(text)
        except ValueError as error:
            checker.add(label("last_verified_on"), str(error), text)
        else:
            checker.verified(label("last_verified_on"), values["last_verified_on"])
    elif "last_verified_on" in values:
        values["last_verified_on"] = None
    texts = _translations(checker, label, cells, "", PARTNER_TEXTS)
    if texts is not None:
        values["translations"] = texts
    slug = cells.get("slug", "")
    categories = _list(cells.get("categories", ""))
    digest = hashlib.blake2b(
        repr((sorted(values.items()), categories)).encode(), digest_size=16
    ).hexdigest()
    partner = PartnerRow(number, values, categories, digest)
    earlier = plan.earlier(slug)
    if earlier is None:
        plan.keep_partner(slug, partner)
    elif earlier[1] != digest:
        checker.add(
            label("slug"),
            f"repeats partner {slug!r} of row {earlier[0]} with "
            "different partner columns; they must match",
        )
    removing = _flag(checker, label("remove"), cells.get("remove", ""))
    if removing and not cells.get("program"):
        checker.add(
            label("remove"),
            "removes the program of its row, and this row names none; to take a "
            "partner off the directory, set its status to inactive",
        )
    elif removing:
        plan.keep_removal(RemovalKeys(number, slug, cells["program"]))
    elif cells.get("program"):
        _keep_program(plan, _program(number, slug, cells, checker), cells, checker)
    elif plan.sessions and (name := sessions.filled(cells)) is not None:
        checker.add(
            label(name),
            "gives a session, and this row names no program: a session is the "
            "program's of its row",
        )


def _keep_program(
    plan: Plan, program: ProgramRow, cells: dict[str, str], checker: Checker
) -> None:
    """A program's row, and in a file with sessions, its session; a later row of
    the program must repeat its program columns."""
    if not plan.sessions or plan.keys is None:
        plan.keep_program(program)  # a chunk's: checked already
        return
    number, slug = program.row, program.slug
    schools = program.relations["sites"]
    session = sessions.read_session(number, slug, cells, schools, checker)
    digests = sessions.program_digests(cells)
    earlier = plan.keys.program(slug)
    if earlier is not None:
        sessions.check_repeat(checker, number, slug, earlier, digests)
    given = sessions.filled(cells) is not None
    plan.keep_program(program, session=given, columns="" if earlier else digests)
    if session is not None:
        plan.keep_session(session)


def _program(
    number: int, partner: str, cells: dict[str, str], checker: Checker
) -> ProgramRow:
    label = _label(number)
    values: dict[str, Any] = {
        "slug": cells["program"],
        "name": cells.get("program_name", ""),
        "description": cells.get("program_description", ""),
        "cost": cells.get("cost", ""),
        "free": _flag(checker, label("free"), cells.get("free", "yes") or "yes"),
    }
    for name in ("grade_min", "grade_max"):
        text = cells.get(name, "")
        try:
            values[name] = int(text) if text else None
        except ValueError:
            checker.add(label(name), "must be a whole number from -1 to 12", text)
            values[name] = None
    named = {
        "program": "slug",
        "program_name": "name",
        "program_description": "description",
    }
    check_program(
        checker,
        values,
        lambda f: label({v: k for k, v in named.items()}.get(f, f)),
        creating=True,
    )
    timing = _list(cells.get("timing", ""))
    known = [t.value for t in m.Timing]
    for t in timing:
        if t not in known:
            checker.add(
                label("timing"), f"unknown: {shown(t)} (use {', '.join(known)})", t
            )
    values.update(m.Timing.columns(m.Timing(t) for t in timing if t in known))
    relations = {
        "service_types": _list(cells.get("services", "")),
        "sites": _list(cells.get("schools", "")),
        "languages": _list(cells.get("languages", "")),
    }
    texts = _translations(checker, label, cells, "program_", PROGRAM_TEXTS)
    if texts is not None:
        values["translations"] = texts
    slug = values.pop("slug")
    return ProgramRow(number, partner, slug, values, relations)


LONGEST = {"name": 200, "summary": 300, "description": 5000}


def _translations(
    checker: Checker,
    label: Any,
    cells: dict[str, str],
    prefix: str,
    texts: tuple[str, ...],
) -> dict[str, dict[str, str]] | None:
    """The translations in a row's language columns; None when the file has none
    of those columns (its records' translations then stay as they are)."""
    found: dict[str, dict[str, str]] = {}
    seen = False
    for language in translated_languages():
        for text in texts:
            column = f"{prefix}{text}_{language}"
            if column not in cells:
                continue
            seen = True
            value = cells[column]
            checker.text(
                label(column),
                value,
                max_length=LONGEST[text],
                multiline=text == "description",
            )
            found.setdefault(language, {})[text] = value
    return cleaned(found) if seen else None
