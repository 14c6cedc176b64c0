"""Applying a checked plan to the database in one transaction."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tortoise.transactions import in_transaction

import models as m
from models.audit import record, save
from spreadsheet import records
from spreadsheet.reader import Plan, Removal
from spreadsheet.records import RecordSummary

CHUNK = 500  # keys a statement, well under every database's parameter limit


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    programs_created: int = 0
    programs_updated: int = 0
    removed: list[str] = field(default_factory=list)  # programs, "partner/program"
    records: RecordSummary = field(default_factory=RecordSummary)


class _DryRun(Exception):
    """Raised at the end of a dry run so its transaction rolls back."""


async def apply(
    plan: Plan,
    actor: str,
    *,
    dry_run: bool = False,
    remove_missing: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Write the plan, all or nothing; a dry run reports the same counts and writes
    nothing. Programs go only when a row says so (`remove`), or, with
    `remove_missing`, when a partner in the file has a program the file leaves out."""
    vocab: dict[str, dict[str, Any]] = {
        "categories": {c.slug: c for c in await m.Category.all()},
        "service_types": {s.slug: s for s in await m.ServiceType.all()},
        "sites": {s.slug: s for s in await m.SchoolSite.all()},
        "languages": {lang.code: lang for lang in await m.Language.all()},
    }
    await records.check(plan)  # problems wait, to be told with the others
    owners = await _program_owners(plan)
    _check_references(plan, vocab, owners)
    _check_removals(plan, owners)
    if remove_missing:
        await _add_missing(plan)
    _check_reasons(plan, await _statuses(plan))
    summary = ImportSummary()
    try:
        async with in_transaction():
            await _write(plan, actor, vocab, summary, progress)
            summary.records = await records.write(plan, actor)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return summary


async def _program_owners(plan: Plan) -> dict[str, str]:
    found: dict[str, str] = {}
    slugs = [p.slug for p in plan.programs] + [r.slug for r in plan.removals]
    for start in range(0, len(slugs), CHUNK):
        chunk = slugs[start : start + CHUNK]
        rows = await m.Program.filter(slug__in=chunk).values_list(
            "slug", "partner__slug"
        )
        found.update(rows)
    return found


async def _by_slug(model: Any, slugs: list[str]) -> list[Any]:
    """The rows with these slugs, read a chunk at a time."""
    found: list[Any] = []
    for start in range(0, len(slugs), CHUNK):
        found += await model.filter(slug__in=slugs[start : start + CHUNK])
    return found


REASONED = {m.PartnerStatus.APPROVED.value, m.PartnerStatus.SUSPENDED.value}


async def _statuses(plan: Plan) -> dict[str, str]:
    """The status of each partner the plan names that exists already."""
    found: dict[str, str] = {}
    slugs = list(plan.partners)
    for start in range(0, len(slugs), CHUNK):
        chunk = slugs[start : start + CHUNK]
        rows = await m.Partner.filter(slug__in=chunk).values_list("slug", "status")
        found.update((slug, str(status)) for slug, status in rows)
    return found


def _check_reasons(plan: Plan, statuses: dict[str, str]) -> None:
    """Approving or suspending takes a reason, as it does through the API."""
    for slug, partner in plan.partners.items():
        status = partner.values["status"]
        if status in REASONED and statuses.get(slug) != status:
            if not partner.values.get("status_reason", "").strip():
                plan.checker.add(
                    f"row {partner.row}, column status_reason",
                    f"says why the partner is {status}: a status of {status} needs a "
                    "reason",
                )
    plan.stop_if_wrong()


def _check_removals(plan: Plan, owners: dict[str, str]) -> None:
    kept = {p.slug: p.row for p in plan.programs}
    for removal in plan.removals:
        where = f"row {removal.row}, column program"
        owner = owners.get(removal.slug)
        if owner is None:
            plan.checker.add(where, "is not a program on file: nothing to remove")
        elif owner != removal.partner:
            plan.checker.add(where, f"belongs to partner {owner!r}", removal.slug)
        if removal.slug in kept:
            plan.checker.add(
                where, f"is removed here and kept by row {kept[removal.slug]}"
            )
    plan.stop_if_wrong()


async def _add_missing(plan: Plan) -> None:
    """--remove-missing: the programs of the file's partners that it leaves out."""
    named = {p.slug for p in plan.programs} | {r.slug for r in plan.removals}
    slugs = list(plan.partners)
    for start in range(0, len(slugs), CHUNK):
        chunk = slugs[start : start + CHUNK]
        rows = await m.Program.filter(partner__slug__in=chunk).values_list(
            "slug", "partner__slug"
        )
        for slug, partner in sorted(rows):
            if slug not in named:
                plan.removals.append(Removal(plan.partners[partner].row, partner, slug))


def _check_references(
    plan: Plan, vocab: dict[str, dict[str, Any]], owners: dict[str, str]
) -> None:
    checker = plan.checker
    for partner in plan.partners.values():
        where = f"row {partner.row}, column categories"
        checker.known(where, partner.categories, set(vocab["categories"]))
    seen: dict[str, int] = {}
    columns = {
        "service_types": "services",
        "sites": "schools",
        "languages": "languages",
    }
    for program in plan.programs:
        for relation, wanted in program.relations.items():
            where = f"row {program.row}, column {columns[relation]}"
            checker.known(where, wanted, set(vocab[relation]))
        where = f"row {program.row}, column program"
        if program.slug in seen:
            checker.add(where, f"repeats the program of row {seen[program.slug]}")
        seen[program.slug] = program.row
        owner = owners.get(program.slug)
        if owner is not None and owner != program.partner:
            checker.add(where, f"belongs to partner {owner!r}", program.slug)
    plan.stop_if_wrong()


async def _write(
    plan: Plan,
    actor: str,
    vocab: dict[str, dict[str, Any]],
    summary: ImportSummary,
    progress: Callable[[int, int], None] | None,
) -> None:
    existing = {p.slug: p for p in await _by_slug(m.Partner, list(plan.partners))}
    slugs = [p.slug for p in plan.programs]
    programs = {p.slug: p for p in await _by_slug(m.Program, slugs)}
    ids: dict[str, int] = {}
    total = len(plan.partners) + len(plan.programs)
    done = 0
    for slug, row in plan.partners.items():
        partner = existing.get(slug) or m.Partner(slug=slug)
        categories = [vocab["categories"][c] for c in row.categories]
        moved = partner.pk is None or partner.status != row.values["status"]
        reason = row.values.get("status_reason", "") if moved else ""
        changed = await save(
            actor,
            "partner.import",
            partner,
            row.values,
            {"categories": categories},
            reason=reason,
        )
        if slug not in existing:
            summary.created += 1
        elif changed:
            summary.updated += 1
        else:
            summary.unchanged += 1
        ids[slug] = partner.id
        done += 1
        if progress and done % 500 == 0:
            progress(done, total)
    for item in plan.programs:
        program = programs.get(item.slug) or m.Program(
            slug=item.slug, partner_id=ids[item.partner]
        )
        relations = {
            name: [vocab[name][key] for key in keys]
            for name, keys in item.relations.items()
        }
        changed = await save(actor, "program.import", program, item.values, relations)
        if item.slug not in programs:
            summary.programs_created += 1
        elif changed:
            summary.programs_updated += 1
        done += 1
        if progress and done % 500 == 0:
            progress(done, total)
    await _remove(plan, actor, summary)
    if progress:
        progress(total, total)


async def _remove(plan: Plan, actor: str, summary: ImportSummary) -> None:
    """Delete the programs the plan removes, each with its audit entry."""
    owner_of = {r.slug: r.partner for r in plan.removals}
    slugs = sorted(owner_of)
    for start in range(0, len(slugs), CHUNK):
        for program in await m.Program.filter(slug__in=slugs[start : start + CHUNK]):
            changes = {"name": [program.name, None]}
            await record(actor, "program.remove", program, program.slug, changes)
            await program.delete()
            summary.removed.append(f"{owner_of[program.slug]}/{program.slug}")
