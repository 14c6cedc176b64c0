"""Applying a checked plan to the database in one transaction."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from tortoise.transactions import in_transaction

import models as m
from models.audit import Owned, differences, record, save
from models.session import MAX_SESSIONS
from models.validation import Checker
from spreadsheet import records, sessions
from spreadsheet.keys import Keys, ProgramKeys, RemovalKeys, slugs_to_look_up
from spreadsheet.limits import shown
from spreadsheet.reader import PartnerRow, Plan, chunks
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
    # programs on file whose sessions the file changes (or clears), the same way
    sessions: list[str] = field(default_factory=list)
    # programs on file of the file's partners that it leaves out, kept (without
    # --remove-missing), the same way
    kept: list[str] = field(default_factory=list)
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
    `remove_missing`, when a partner in the file has a program the file leaves out.
    The file's keys are checked a chunk at a time, from disk (`Plan.keys`)."""
    keys = plan.keys
    if keys is None:
        raise ValueError("apply() takes a plan read from a file (spreadsheet.read)")
    vocab: dict[str, dict[str, Any]] = {
        "categories": {c.slug: c for c in await m.Category.all()},
        "service_types": {s.slug: s for s in await m.ServiceType.all()},
        "sites": {s.slug: s for s in await m.SchoolSite.all()},
        "languages": {lang.code: lang for lang in await m.Language.all()},
    }
    known = {name: set(found) for name, found in vocab.items()}
    await records.check(plan)  # problems wait, to be told with the others
    await _check_partners(plan, keys, known)
    await _check_programs(plan, keys, known)
    if plan.sessions:
        _check_sessions(plan, keys)
    await _check_removals(plan, keys)
    plan.stop_if_wrong()
    summary = ImportSummary()
    async for missing in _missing(keys):
        if remove_missing:
            keys.add_removal(missing)
        else:
            summary.kept.append(f"{missing.partner}/{missing.slug}")
    if dry_run:  # nothing is written: what would change is worked out instead
        await _write(plan, keys, actor, vocab, summary, progress, dry_run=True)
        summary.records = await records.write(plan, actor, dry_run=True)
        return summary
    async with in_transaction():
        await _write(plan, keys, actor, vocab, summary, progress)
        summary.records = await records.write(plan, actor)
    return summary


async def _owners(slugs: list[str]) -> dict[str, str]:
    """The partner of each of these programs that is on file."""
    rows = await m.Program.filter(slug__in=slugs_to_look_up(slugs)).values_list(
        "slug", "partner__slug"
    )
    return {str(slug): str(partner) for slug, partner in rows}


async def _by_slug(model: Any, slugs: list[str]) -> list[Any]:
    """The rows with these slugs, read a chunk at a time."""
    found: list[Any] = []
    slugs = slugs_to_look_up(slugs)
    for start in range(0, len(slugs), CHUNK):
        found += await model.filter(slug__in=slugs[start : start + CHUNK])
    return found


def _known(checker: Checker, where: str, wanted: list[str], found: set[str]) -> None:
    """Every key in `wanted` must be one that exists (as Checker.known, naming
    the unknown ones shortened: a cell may hold 20,000 characters)."""
    unknown = [w for w in wanted if w not in found]
    if unknown:
        text = ", ".join(unknown)
        checker.add(where, f"unknown: {shown(text)}", text)


REASONED = {m.PartnerStatus.APPROVED.value, m.PartnerStatus.SUSPENDED.value}
COLUMN_OF = {"service_types": "services", "sites": "schools", "languages": "languages"}


async def _check_partners(plan: Plan, keys: Keys, known: dict[str, set[str]]) -> None:
    """Categories must exist; approving or suspending takes a reason, as it does
    through the API."""
    checker = plan.checker
    for batch in keys.partners(CHUNK):
        slugs = slugs_to_look_up(p.slug for p in batch)
        rows = await m.Partner.filter(slug__in=slugs).values_list("slug", "status")
        statuses = {str(slug): str(status) for slug, status in rows}
        for partner in batch:
            where = f"row {partner.row}, column categories"
            _known(checker, where, partner.categories, known["categories"])
            status = partner.status
            if status in REASONED and statuses.get(partner.slug) != status:
                if not partner.reason.strip():
                    checker.add(
                        f"row {partner.row}, column status_reason",
                        f"says why the partner is {status}: a status of {status} "
                        "needs a reason",
                    )


async def _check_programs(plan: Plan, keys: Keys, known: dict[str, set[str]]) -> None:
    """Services, schools and languages must exist; a program stays with its
    partner, and is on one row (a row a session in a file with sessions). A file
    without sessions keeps every school where a program meets."""
    checker = plan.checker
    for batch in keys.programs(CHUNK):
        owners = await _owners([p.slug for p in batch])
        meets = {} if plan.sessions else await _schools_met_at(batch)
        for program in batch:
            for relation, wanted in program.relations.items():
                where = f"row {program.row}, column {COLUMN_OF[relation]}"
                _known(checker, where, wanted, known[relation])
            owner = owners.get(program.slug)
            if owner is not None and owner != program.partner:
                where = f"row {program.row}, column program"
                checker.add(where, f"belongs to partner {owner!r}", program.slug)
            left = sorted(
                meets.get(program.slug, set()) - set(program.relations["sites"])
            )
            if left:
                checker.add(
                    f"row {program.row}, column schools",
                    f"leaves out {', '.join(left)}, where the program meets (its "
                    "sessions): keep the school, or give the file the session "
                    "columns to change the sessions too",
                )
    if not plan.sessions:
        for row, _, first in keys.repeated_programs():
            where = f"row {row}, column program"
            checker.add(where, f"repeats the program of row {first}")


async def _schools_met_at(batch: list[ProgramKeys]) -> dict[str, set[str]]:
    """The schools where each of these programs meets, by its sessions on file."""
    slugs = slugs_to_look_up(p.slug for p in batch)
    rows = await m.Session.filter(
        program__slug__in=slugs, site_id__isnull=False
    ).values_list("program__slug", "site__slug")
    found: dict[str, set[str]] = {}
    for program, site in rows:
        found.setdefault(str(program), set()).add(str(site))
    return found


def _check_sessions(plan: Plan, keys: Keys) -> None:
    """A program on several rows has a session on each; MAX_SESSIONS at most."""
    checker = plan.checker
    for row, slug in keys.sessionless_repeats():
        checker.add(
            f"row {row}, column days",
            f"is required: program {slug!r} is on more than one row, and each of "
            "its rows is one of its sessions (a program without sessions has one "
            "row, its session columns empty)",
        )
    for row, slug in keys.crowded(MAX_SESSIONS):
        checker.add(
            f"row {row}, column program",
            f"gives program {slug!r} more than {MAX_SESSIONS} sessions; a program "
            f"has at most {MAX_SESSIONS}",
        )


async def _check_removals(plan: Plan, keys: Keys) -> None:
    checker = plan.checker
    for batch in keys.removals(CHUNK):
        owners = await _owners([r.slug for r in batch])
        for removal in batch:
            where = f"row {removal.row}, column program"
            owner = owners.get(removal.slug)
            if owner is None:
                checker.add(where, "is not a program on file: nothing to remove")
            elif owner != removal.partner:
                checker.add(where, f"belongs to partner {owner!r}", removal.slug)
    for row, kept in keys.removed_and_kept():
        checker.add(
            f"row {row}, column program", f"is removed here and kept by row {kept}"
        )


async def _missing(keys: Keys) -> AsyncIterator[RemovalKeys]:
    """The programs on file of the file's partners that it leaves out: removed
    with --remove-missing, kept (and said so) without."""
    for batch in keys.partners(CHUNK):
        first = {p.slug: p.row for p in batch}
        rows = await m.Program.filter(partner__slug__in=list(first)).values_list(
            "slug", "partner__slug"
        )
        named = keys.named([str(slug) for slug, _ in rows])
        for slug, partner in sorted(rows):
            if slug not in named:
                yield RemovalKeys(first[partner], partner, slug)


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
    keys: Keys,
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
        keys.count("partners") + keys.count("programs"),
        progress,
        keys,
        plan.sessions,
    )
    for chunk in chunks(plan):
        first = keys.first_rows(list(chunk.partners))
        # a partner is written at its first row; its later rows only repeat it
        await writer.partners(
            {s: r for s, r in chunk.partners.items() if first.get(s) == r.row}
        )
        await writer.programs(chunk)
    await _remove(keys, actor, summary, dry_run=dry_run)
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
    keys: Keys
    sessions: bool  # the file has the session columns: they replace what is on file
    ids: dict[str, int] = field(default_factory=dict)  # the chunk's partners
    done: int = 0

    def step(self) -> None:
        self.done += 1
        if self.progress and self.done % 500 == 0:
            self.progress(self.done, self.total)

    async def partners(self, partners: dict[str, PartnerRow]) -> None:
        summary = self.summary
        self.ids.clear()
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
        """Write each program at its first row; its later rows only repeat it,
        each with a session, and its sessions come from the keys."""
        ids = self.ids
        owners = sorted({p.partner for p in chunk.programs} - set(ids))
        for partner in await _by_slug(m.Partner, owners):  # of an earlier chunk
            ids[partner.slug] = partner.pk
        first = self.keys.first_program_rows(list({p.slug for p in chunk.programs}))
        items = [p for p in chunk.programs if first.get(p.slug) == p.row]
        self.done += len(chunk.programs) - len(items)
        slugs = [p.slug for p in items]
        programs = {p.slug: p for p in await _by_slug(m.Program, slugs)}
        known = [p.id for p in programs.values()]
        links = {
            name: await _relation_keys(m.Program, name, key, known)
            for name, key in RELATION_KEYS.items()
        }
        given = self.keys.sessions(slugs) if self.sessions else {}
        stored = await sessions.on_file(known) if self.sessions else {}
        for item in items:
            found = programs.get(item.slug)
            changed = found is None or bool(differences(found, item.values))
            changed = changed or any(
                sorted(links[name].get(found.pk, []) if found else []) != sorted(keys)
                for name, keys in item.relations.items()
            )
            moved = self.sessions and sessions.differ(
                given[item.slug], stored.get(found.pk, []) if found else []
            )
            if (changed or moved) and not self.dry_run:
                program = found or m.Program(
                    slug=item.slug, partner_id=ids[item.partner]
                )
                relations = {
                    name: [self.vocab[name][key] for key in keys]
                    for name, keys in item.relations.items()
                }
                owned = None
                if moved:  # the program's sessions, replaced whole
                    rows = sessions.new_rows(given[item.slug], self.vocab["sites"])
                    owned = {"sessions": Owned(m.Session, "program_id", rows)}
                await save(
                    self.actor,
                    "program.import",
                    program,
                    item.values,
                    relations,
                    owned=owned,
                )
            if found is None:
                self.summary.programs_created += 1
            elif changed or moved:
                self.summary.programs_updated += 1
            if found is not None and moved:
                self.summary.sessions.append(f"{item.partner}/{item.slug}")
            self.step()


async def _remove(
    keys: Keys, actor: str, summary: ImportSummary, *, dry_run: bool = False
) -> None:
    """Delete the programs the plan removes, each with its audit entry."""
    for batch in keys.removals(CHUNK):
        found = {p.slug: p for p in await _by_slug(m.Program, [r.slug for r in batch])}
        for removal in batch:
            program = found.get(removal.slug)
            if program is None:
                continue
            if not dry_run:
                changes = {"name": [program.name, None]}
                await record(actor, "program.remove", program, program.slug, changes)
                await program.delete()
            summary.removed.append(f"{removal.partner}/{program.slug}")
