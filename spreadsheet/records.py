"""Evaluation training and technical assistance in the office's spreadsheet: a row
a record, matched by partner, kind, date and topic, so importing the same file
again changes nothing; `remove` = yes removes one."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import models as m
from models.audit import differences, record, save
from models.validation import Checker, check_support
from spreadsheet.columns import NO, YES
from spreadsheet.keys import slugs_to_look_up

CHUNK = 500


@dataclass
class RecordRow:
    row: int
    where: str  # "row 3" or "sheet Records, row 3"
    partner: str
    values: dict[str, Any]
    remove: bool

    @property
    def key(self) -> tuple[str, str, str, str]:
        v = self.values
        return (self.partner, str(v["kind"]), v["held_on"].isoformat(), v["topic"])


def read_record(
    number: int, cells: dict[str, str], plan: Any, checker: Checker
) -> None:
    """One record row, checked, into `plan.records`."""
    from spreadsheet.reader import spreadsheet_date

    before = len(checker.problems)
    sheet = "sheet Records, " if plan.name.lower().endswith(".xlsx") else ""
    where = f"{sheet}row {number}"

    def label(name: str) -> str:
        return f"{where}, column {name}"

    values: dict[str, Any] = {
        "topic": cells.get("topic", ""),
        "staff": cells.get("staff", ""),
        "notes": cells.get("notes", ""),
        "kind": None,
        "held_on": None,
    }
    kind = cells.get("kind", "")
    if kind in {k.value for k in m.SupportKind}:
        values["kind"] = m.SupportKind(kind)
    elif kind:
        checker.add(
            label("kind"), "must be evaluation_training or technical_assistance", kind
        )
    if held := cells.get("held_on", ""):
        try:
            values["held_on"] = spreadsheet_date(held)
        except ValueError as error:
            checker.add(label("held_on"), str(error), held)
            held = ""
    required = Checker()
    check_support(required, values, label)
    typed = {label("kind"): kind, label("held_on"): cells.get("held_on", "")}
    for problem in required.problems:  # a kind or date already said to be wrong
        if not (problem.field in typed and typed[problem.field]):
            checker.problems.append(problem)
    remove = cells.get("remove", "").lower()
    if remove not in YES + NO:
        checker.add(label("remove"), "must be yes or no", remove)
    partner = cells.get("partner", "")
    if not partner:
        checker.add(label("partner"), "is required")
    if len(checker.problems) == before:
        # counted only when the row is whole; its problems are reported either way
        plan.records.append(RecordRow(number, where, partner, values, remove in YES))


@dataclass
class RecordSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


async def check(plan: Any) -> None:
    """Every record's partner must exist; a record may appear once."""
    slugs = sorted({r.partner for r in plan.records})
    known: set[str] = set()
    for start in range(0, len(slugs), CHUNK):
        chunk = slugs_to_look_up(slugs[start : start + CHUNK])
        found = await m.Partner.filter(slug__in=chunk).values_list("slug")
        known.update(str(row[0]) for row in found)
    seen: dict[tuple[str, str, str, str], int] = {}
    for row in plan.records:
        if row.partner not in known:
            plan.checker.add(
                f"{row.where}, column partner", "is not a partner on file", row.partner
            )
        if row.key in seen:
            plan.checker.add(
                f"{row.where}, column topic",
                f"repeats the record of row {seen[row.key]} (same partner, kind, date "
                "and topic)",
            )
        seen[row.key] = row.row


async def write(plan: Any, actor: str, *, dry_run: bool = False) -> RecordSummary:
    """Create, update or remove the plan's records (inside the import's
    transaction); each change is in its partner's history. A dry run counts."""
    summary = RecordSummary()
    slugs = sorted({r.partner for r in plan.records})
    partners: dict[str, int] = {}
    existing: dict[tuple[str, str, str, str], m.SupportRecord] = {}
    for start in range(0, len(slugs), CHUNK):
        chunk = slugs[start : start + CHUNK]
        for key, slug in await m.Partner.filter(slug__in=chunk).values_list(
            "id", "slug"
        ):
            partners[slug] = key
        for row in await m.SupportRecord.filter(
            partner__slug__in=chunk
        ).prefetch_related("partner"):
            existing[
                (row.partner.slug, str(row.kind), row.held_on.isoformat(), row.topic)
            ] = row
    for item in plan.records:
        found = existing.get(item.key)
        if item.remove:
            if found is not None:
                if not dry_run:
                    changes = {"topic": [found.topic, None]}
                    await record(actor, "support.remove", found, str(found.id), changes)
                    await found.delete()
                summary.removed += 1
            continue
        if found is not None and not differences(found, item.values):
            summary.unchanged += 1
            continue
        if not dry_run:
            target = found or m.SupportRecord(partner_id=partners[item.partner])
            await save(actor, "support.import", target, item.values)
        if found is None:
            summary.created += 1
        else:
            summary.updated += 1
    return summary


async def rows() -> AsyncIterator[dict[str, object]]:
    """Every record, for export: by partner, newest first."""
    for row in (
        await m.SupportRecord.all()
        .prefetch_related("partner")
        .order_by("partner__slug", "-held_on", "id")
    ):
        yield {
            "partner": row.partner.slug,
            "kind": row.kind.value,
            "held_on": row.held_on,
            "topic": row.topic,
            "staff": row.staff,
            "notes": row.notes,
        }
