"""The office's spreadsheet: one row per session of a program, the program's and
its partner's columns repeated. A program without sessions has one row with the
session columns empty, and a partner without programs one row with the program
columns empty too. A file without the session columns leaves sessions as they
are (spreadsheet/sessions.py)."""

import functools
from dataclasses import dataclass

from models.grades import GRADE_HINT
from models.languages import translated_languages
from models.program import Timing

LIST_SEPARATOR = ";"
YES, NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0", "")


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    required: bool = False


PARTNER_COLUMNS = (
    Column(
        "slug", "the partner's stable key: lower-case letters, digits, hyphens", True
    ),
    Column("name", "the organization's name", True),
    Column("status", "applied, approved, suspended or inactive (default applied)"),
    Column(
        "status_reason",
        "why: needed whenever a row approves or suspends a partner (staff only)",
    ),
    Column("categories", "category slugs, separated by ;"),
    Column("summary", "one sentence for families"),
    Column("description", "a few sentences for families"),
    Column("website", "https://…"),
    Column("email", "public contact e-mail"),
    Column("phone", "public contact phone"),
    Column("street", "street address"),
    Column("city", "city"),
    Column("postal_code", "ZIP code"),
    Column("address_confidential", "yes to keep the address off the public directory"),
    Column("last_verified_on", "YYYY-MM-DD"),
    Column("internal_notes", "staff only; never published"),
)
PROGRAM_COLUMNS = (
    Column("program", "the program's stable key (slug); empty for no program"),
    Column("program_name", "the program's name"),
    Column("program_description", "what the program does"),
    Column("services", "service type slugs, separated by ;"),
    Column("schools", "school site slugs, separated by ;"),
    Column("languages", "language codes, separated by ;"),
    Column("timing", f"{LIST_SEPARATOR} ".join(Timing)),
    Column("grade_min", GRADE_HINT),
    Column("grade_max", GRADE_HINT),
    Column("free", "yes or no"),
    Column("cost", 'what families pay, e.g. "Free" or "$20 a season"'),
    Column(
        "remove",
        "yes removes this row's program; a partner is never removed (set its status "
        "to inactive)",
    ),
)
# When and where a program meets: a row a session (spreadsheet/sessions.py).
SESSION_COLUMNS = (
    Column(
        "days",
        'the weekdays the program meets, e.g. "Tue; Thu", "Tuesday and Thursday" or '
        '"Mon-Fri"; one session a row, all six session columns empty for none',
    ),
    Column("starts_at", "when it starts, e.g. 3:30 PM (or 15:30)"),
    Column("ends_at", "when it ends, e.g. 5:00 PM"),
    Column("from", "the term's first day, e.g. 2026-09-08 (or 9/8/2026)"),
    Column("until", "the term's last day, at most 400 days after from"),
    Column(
        "where",
        "a school slug among the row's schools; empty or partner for the partner's "
        "own site",
    ),
)
# Texts in the district's other languages, one column each: name_es, summary_so…
PARTNER_TEXTS = ("name", "summary", "description")
PROGRAM_TEXTS = ("name", "description")


def sheet_columns() -> tuple[Column, ...]:
    """The sheet's columns: the partner's, the program's, the session's, and the
    partner's and program's texts in each language the district translates into."""
    return _sheet_columns(translated_languages())


def column_names() -> tuple[str, ...]:
    return tuple(c.name for c in sheet_columns())


@functools.cache
def _sheet_columns(languages: tuple[str, ...]) -> tuple[Column, ...]:
    texts = tuple(
        Column(f"{text}_{language}", f"the partner's {text} in {language}")
        for language in languages
        for text in PARTNER_TEXTS
    ) + tuple(
        Column(f"program_{text}_{language}", f"the program's {text} in {language}")
        for language in languages
        for text in PROGRAM_TEXTS
    )
    return PARTNER_COLUMNS + PROGRAM_COLUMNS + SESSION_COLUMNS + texts


# A second table: evaluation training and technical assistance, a row a record,
# matched by partner, kind, date and topic (a CSV file of its own, or the
# workbook's "Records" sheet).
RECORD_COLUMNS = (
    Column("partner", "the partner's slug", True),
    Column("kind", "evaluation_training or technical_assistance", True),
    Column("held_on", "the date it was given, e.g. 2026-09-15", True),
    Column("topic", "what it covered", True),
    Column("staff", "who from the office gave it", True),
    Column("notes", "staff only"),
    Column("remove", "yes removes this record"),
)
RECORD_NAMES = tuple(c.name for c in RECORD_COLUMNS)


@dataclass(frozen=True)
class Rows:
    """A spreadsheet's data rows as export and import both count them: the
    partners' and programs' rows, and the support records (a workbook's Records
    sheet, or a CSV file of them)."""

    partners: int = 0
    records: int = 0

    def __str__(self) -> str:
        parts = []
        if self.partners or not self.records:
            plural = "s" if self.partners != 1 else ""
            parts.append(f"{self.partners:,} partner and program row{plural}")
        if self.records:
            plural = "s" if self.records != 1 else ""
            parts.append(f"{self.records:,} support record{plural}")
        return " and ".join(parts)
