"""Reading the spreadsheet into a checked plan, reporting every problem by row and
column; nothing is written here."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import models as m
from models.languages import TRANSLATED, cleaned
from models.validation import Checker, Problem, check_partner, check_program
from spreadsheet.columns import (
    COLUMNS,
    LIST_SEPARATOR,
    NAMES,
    NO,
    PARTNER_TEXTS,
    PROGRAM_TEXTS,
    YES,
)

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


@dataclass
class ProgramRow:
    row: int
    partner: str
    slug: str
    values: dict[str, Any]
    relations: dict[str, list[str]]


@dataclass
class Removal:
    row: int
    partner: str
    slug: str


@dataclass
class Plan:
    name: str
    partners: dict[str, PartnerRow] = field(default_factory=dict)
    programs: list[ProgramRow] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    checker: Checker = field(default_factory=Checker)
    rows: int = 0  # data rows read (the header and empty rows not counted)

    def stop_if_wrong(self) -> None:
        """Raise with every problem found so far, in row order, if there is one."""
        problems = sorted(self.checker.problems, key=_row_of)
        if problems:
            raise SpreadsheetError(
                f"{self.name}: {len(problems)} problem(s), nothing was imported:\n"
                + "\n".join(
                    f"  {p.field}: {p.message}"
                    + (f" (value: {p.value!r})" if p.value else "")
                    for p in problems
                )
            )


def _row_of(problem: Problem) -> int:
    found = re.match(r"row (\d+)", problem.field)
    return int(found.group(1)) if found else 0


def decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SpreadsheetError(
            f"{path.name} is not UTF-8 text (byte 0x{data[error.start]:02x} on line "
            f'{line}); save it as "CSV UTF-8" and try again'
        ) from None
    if not text.strip():
        raise SpreadsheetError(
            f"{path.name} is empty: the first row must name the columns, at least "
            "slug and name"
        )
    return text


def _cell(raw: str | None) -> str:
    """A cell as typed; an apostrophe the export put before =, +, - or @ comes off."""
    value = (raw or "").strip()
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def read(path: Path) -> Plan:
    """The file's rows, checked one by one; their problems wait in `plan.checker`
    until the references are checked too (see writer.apply). A file that cannot be
    read at all raises SpreadsheetError at once."""
    reader = csv.DictReader(io.StringIO(decode(path), newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c.name for c in COLUMNS if c.required and c.name not in header]
    unknown = [h for h in header if h not in NAMES]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing required columns: {', '.join(missing)}")
        if unknown:
            parts.append(
                f"unknown columns: {', '.join(unknown)} (expected some of "
                f"{', '.join(NAMES)})"
            )
        raise SpreadsheetError(f"{path.name}, row 1 (header): " + "; ".join(parts))
    plan = Plan(path.name)
    for number, raw in enumerate(reader, start=2):
        if None in raw:
            plan.checker.add(
                f"row {number}", "has more cells than the header has columns"
            )
            continue
        cells = {name: _cell(raw.get(name)) for name in header}
        if any(cells.values()):
            plan.rows += 1
            _read_row(number, cells, plan, plan.checker)
    if not plan.partners and not plan.checker.problems:
        raise SpreadsheetError(f"{path.name} has a header but no rows to import")
    return plan


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
        try:
            values["last_verified_on"] = date.fromisoformat(values["last_verified_on"])
        except ValueError:
            checker.add(
                label("last_verified_on"),
                "must be a date like 2026-09-15",
                values["last_verified_on"],
            )
    elif "last_verified_on" in values:
        values["last_verified_on"] = None
    texts = _translations(checker, label, cells, "", PARTNER_TEXTS)
    if texts is not None:
        values["translations"] = texts
    slug = cells.get("slug", "")
    partner = PartnerRow(number, values, _list(cells.get("categories", "")))
    earlier = plan.partners.get(slug)
    if earlier is None:
        plan.partners[slug] = partner
    elif (earlier.values, earlier.categories) != (partner.values, partner.categories):
        checker.add(
            label("slug"),
            f"repeats partner {slug!r} of row {earlier.row} with "
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
        plan.removals.append(Removal(number, slug, cells["program"]))
    elif cells.get("program"):
        plan.programs.append(_program(number, slug, cells, checker))


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
            checker.add(label("timing"), f"unknown: {t} (use {', '.join(known)})", t)
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
    for language in TRANSLATED:
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
