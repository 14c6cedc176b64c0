"""Applying a checked plan to the database in one transaction."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tortoise.transactions import in_transaction

import models as m
from models.audit import differences, record, save
from spreadsheet import records
from spreadsheet.reader import PartnerRow, Plan, Removal, chunks
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
    if dry_run:  # nothing is written: what would change is worked out instead
        await _write(plan, actor, vocab, summary, progress, dry_run=True)
        summary.records = await records.write(plan, actor, dry_run=True)
        return summary
    async with in_transaction():
        await _write(plan, actor, vocab, summary, progress)
        summary.records = await records.write(plan, actor)
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
    known = {name: set(found) for name, found in vocab.items()}
    for partner in plan.partners.values():
        where = f"row {partner.row}, column categories"
        checker.known(where, partner.categories, known["categories"])
    seen: dict[str, int] = {}
    columns = {
        "service_types": "services",
        "sites": "schools",
        "languages": "languages",
    }
    for program in plan.programs:
        for relation, wanted in program.relations.items():
            where = f"row {program.row}, column {columns[relation]}"
            checker.known(where, wanted, known[relation])
        where = f"row {program.row}, column program"
        if program.slug in seen:
            checker.add(where, f"repeats the program of row {seen[program.slug]}")
        seen[program.slug] = program.row
        owner = owners.get(program.slug)
        if owner is not None and owner != program.partner:
            checker.add(where, f"belongs to partner {owner!r}", program.slug)
    plan.stop_if_wrong()


async def _relation_keys(
    model: Any, relation: str, key: str, ids: list[int]
) -> dict[int, list[str]]:
    """For each row of `model` among `ids`, the keys (slugs, codes) it links to."""
    found: dict[int, list[str]] = {i: [] for i in ids}
    for start in range(0, len(ids), CHUNK):
        pairs = await model.filter(id__in=ids[start : start + CHUNK]).values_list(
            "id", f"{relation}__{key}"
        )
        for owner, target in pairs:
            if target is not None:
                found[owner].append(str(target))
    return found


RELATION_KEYS = {"service_types": "slug", "sites": "slug", "languages": "code"}


async def _write(
    plan: Plan,
    actor: str,
    vocab: dict[str, dict[str, Any]],
    summary: ImportSummary,
    progress: Callable[[int, int], None] | None,
    *,
    dry_run: bool = False,
) -> None:
    """Write what changes (or, in a dry run, count it), a chunk of rows at a time
    (the file is read again; only keys stay in memory): rows that change nothing
    cost no statement, since what they hold was read a chunk at a time."""
    writer = _Writer(
        actor,
        vocab,
        summary,
        dry_run,
        len(plan.partners) + len(plan.programs),
        progress,
    )
    written: set[str] = set()
    for chunk in chunks(plan):
        fresh = {s: r for s, r in chunk.partners.items() if s not in written}
        await writer.partners(fresh)
        written.update(fresh)
        await writer.programs(chunk)
    await _remove(plan, actor, summary, dry_run=dry_run)
    if progress:
        progress(writer.total, writer.total)


@dataclass
class _Writer:
    """What one import writes with, and what it has written so far."""

    actor: str
    vocab: dict[str, dict[str, Any]]
    summary: ImportSummary
    dry_run: bool
    total: int
    progress: Callable[[int, int], None] | None
    ids: dict[str, int] = field(default_factory=dict)  # partners by slug
    done: int = 0

    def step(self) -> None:
        self.done += 1
        if self.progress and self.done % 500 == 0:
            self.progress(self.done, self.total)

    async def partners(self, partners: dict[str, PartnerRow]) -> None:
        summary = self.summary
        existing = {p.slug: p for p in await _by_slug(m.Partner, list(partners))}
        categories = await _relation_keys(
            m.Partner, "categories", "slug", [p.id for p in existing.values()]
        )
        for slug, row in partners.items():
            partner = existing.get(slug) or m.Partner(slug=slug)
            creating = partner.pk is None
            moved = creating or partner.status != row.values["status"]
            reason = row.values.get("status_reason", "") if moved else ""
            changed = creating or bool(differences(partner, row.values))
            changed = changed or sorted(categories.get(partner.pk, [])) != sorted(
                row.categories
            )
            if changed and not self.dry_run:
                chosen = [self.vocab["categories"][c] for c in row.categories]
                await save(
                    self.actor,
                    "partner.import",
                    partner,
                    row.values,
                    {"categories": chosen},
                    reason=reason,
                )
            if creating:
                summary.created += 1
            elif changed:
                summary.updated += 1
            else:
                summary.unchanged += 1
            if partner.pk is not None:
                self.ids[slug] = partner.pk
            self.step()

    async def programs(self, chunk: Plan) -> None:
        ids = self.ids
        owners = sorted({p.partner for p in chunk.programs} - set(ids))
        for partner in await _by_slug(m.Partner, owners):  # of an earlier chunk
            ids[partner.slug] = partner.pk
        slugs = [p.slug for p in chunk.programs]
        programs = {p.slug: p for p in await _by_slug(m.Program, slugs)}
        known = [p.id for p in programs.values()]
        links = {
            name: await _relation_keys(m.Program, name, key, known)
            for name, key in RELATION_KEYS.items()
        }
        for item in chunk.programs:
            found = programs.get(item.slug)
            changed = found is None or bool(differences(found, item.values))
            changed = changed or any(
                sorted(links[name].get(found.pk, []) if found else []) != sorted(keys)
                for name, keys in item.relations.items()
            )
            if changed and not self.dry_run:
                program = found or m.Program(
                    slug=item.slug, partner_id=ids[item.partner]
                )
                relations = {
                    name: [self.vocab[name][key] for key in keys]
                    for name, keys in item.relations.items()
                }
                await save(
                    self.actor, "program.import", program, item.values, relations
                )
            if found is None:
                self.summary.programs_created += 1
            elif changed:
                self.summary.programs_updated += 1
            self.step()


async def _remove(
    plan: Plan, actor: str, summary: ImportSummary, *, dry_run: bool = False
) -> None:
    """Delete the programs the plan removes, each with its audit entry."""
    owner_of = {r.slug: r.partner for r in plan.removals}
    slugs = sorted(owner_of)
    for start in range(0, len(slugs), CHUNK):
        for program in await m.Program.filter(slug__in=slugs[start : start + CHUNK]):
            if not dry_run:
                changes = {"name": [program.name, None]}
                await record(actor, "program.remove", program, program.slug, changes)
                await program.delete()
            summary.removed.append(f"{owner_of[program.slug]}/{program.slug}")
