"""Exporting every partner and program in the import's columns."""

import csv
from pathlib import Path
from typing import Any

import models as m
from models.audit import key_of
from models.languages import TRANSLATED
from models.validation import FORMULA_START
from spreadsheet.columns import LIST_SEPARATOR, NAMES, PARTNER_TEXTS, PROGRAM_TEXTS


def _safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


async def export(path: Path) -> int:
    """Write every partner and program in the import's columns; returns the rows."""
    partners = await m.Partner.all().prefetch_related("categories")
    programs = await m.Program.all().prefetch_related(
        "service_types", "sites", "languages"
    )
    by_partner: dict[int, list[m.Program]] = {}
    for program in programs:
        by_partner.setdefault(program.partner_id, []).append(program)
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=NAMES)
        writer.writeheader()
        for partner in partners:
            base = _partner_cells(partner)
            rows = [_program_cells(p) for p in by_partner.get(partner.id, [])] or [{}]
            for program_cells in rows:
                cells = {**base, **program_cells}
                writer.writerow({k: _safe(v) for k, v in cells.items()})
                count += 1
    return count


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
        "last_verified_on": p.last_verified_on.isoformat()
        if p.last_verified_on
        else "",
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
        for language in TRANSLATED
        for text in texts
    }
