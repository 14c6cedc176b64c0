"""Exporting every partner and program in the import's columns."""

import csv
import re
from collections.abc import AsyncIterator
from datetime import date, time
from pathlib import Path
from typing import Any

import models as m
from models.audit import key_of
from models.languages import translated_languages
from models.validation import FORMULA_START
from spreadsheet import sessions
from spreadsheet.columns import (
    LIST_SEPARATOR,
    PARTNER_TEXTS,
    PROGRAM_TEXTS,
    RECORD_NAMES,
    Rows,
    column_names,
)

# A plain number, as a spreadsheet reads it: -93.2, +5, 1e-3 (nothing it can run).
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def guarded(value: object, *, numbers: bool = False) -> str:
    """A cell's text for a CSV file: a spreadsheet would run text that starts with
    = + - @ (after any spaces), a tab or a carriage return, so it gets a leading '
    (the import takes it off again). With `numbers`, a plain number (-93.2) stays
    as it is, for files that programs read as data (the Open Referral export)."""
    text = (
        ""
        if value is None
        else value.isoformat()
        if isinstance(value, date)
        else str(value)
    )
    if numbers and NUMBER.fullmatch(text):
        return text
    risky = text.lstrip(" ").startswith(FORMULA_START) or text.startswith(("\t", "\r"))
    return "'" + text if risky else text


async def rows() -> AsyncIterator[dict[str, object]]:
    """Every partner, program and session in the import's columns, a row per
    session (a program without any, one row), values typed (dates, clock times,
    whole numbers)."""
    partners = await m.Partner.all().prefetch_related("categories")
    programs = await m.Program.all().prefetch_related(
        "service_types", "sites", "languages"
    )
    meetings = await sessions.by_program()
    by_partner: dict[int, list[m.Program]] = {}
    for program in programs:
        by_partner.setdefault(program.partner_id, []).append(program)
    for partner in partners:
        base = _partner_cells(partner)
        for program in by_partner.get(partner.id, []):
            cells = {**base, **_program_cells(program)}
            for session in meetings.get(program.id) or [{}]:
                yield {**cells, **session}
        if partner.id not in by_partner:
            yield base


async def export(path: Path, *, records: bool = False) -> Rows:
    """Write every partner and program in the import's columns, as CSV or, for a
    .xlsx path, as an Excel workbook with the support records on a sheet of their
    own; with `records`, a CSV file of the support records instead. Returns the
    data rows written, counted as the import counts them."""
    from spreadsheet import records as support

    if path.suffix.lower() == ".xlsx":
        from spreadsheet.xlsx import write_workbook

        return await write_workbook(path, rows(), support.rows())
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=RECORD_NAMES if records else column_names()
        )
        writer.writeheader()
        async for cells in support.rows() if records else rows():
            writer.writerow({k: _text(v) for k, v in cells.items()})
            count += 1
    return Rows(records=count) if records else Rows(partners=count)


def _text(value: object) -> str:
    """A CSV cell: guarded, and a clock time as the sheet writes it ("3:30 PM")."""
    return sessions.time_text(value) if isinstance(value, time) else guarded(value)


def _join(rows: Any) -> str:
    return LIST_SEPARATOR.join(sorted(key_of(r) for r in rows))


def _partner_cells(p: m.Partner) -> dict[str, object]:
    return {
        "slug": p.slug,
        "name": p.name,
        "status": p.status.value,
        "status_reason": p.status_reason,
        "categories": _join(p.categories),
        "summary": p.summary,
        "description": p.description,
        "website": p.website,
        "email": p.email,
        "phone": p.phone,
        "street": p.street,
        "city": p.city,
        "postal_code": p.postal_code,
        "address_confidential": "yes" if p.address_confidential else "no",
        "last_verified_on": p.last_verified_on,
        "internal_notes": p.internal_notes,
        **_texts(p.translations, "", PARTNER_TEXTS),
    }


def _program_cells(p: m.Program) -> dict[str, object]:
    return {
        "program": p.slug,
        "program_name": p.name,
        "program_description": p.description,
        "services": _join(p.service_types),
        "schools": _join(p.sites),
        "languages": _join(p.languages),
        "timing": LIST_SEPARATOR.join(p.timing),
        "grade_min": p.grade_min,
        "grade_max": p.grade_max,
        "free": "yes" if p.free else "no",
        "cost": p.cost,
        **_texts(p.translations, "program_", PROGRAM_TEXTS),
    }


def _texts(
    translations: dict[str, dict[str, str]], prefix: str, texts: tuple[str, ...]
) -> dict[str, object]:
    return {
        f"{prefix}{text}_{language}": translations.get(language, {}).get(text, "")
        for language in translated_languages()
        for text in texts
    }
