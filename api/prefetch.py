"""Loading a page's nested lists ahead, all at once.

A page of partners (or programs) looks at what the query selects under each of
them and loads those lists for the whole page in one batch per list, before it
is returned; each object then answers its lists at once (see api/types.py). The
statements are the loaders' own batches, called with the whole page's keys (a
page holds each key once, so there is nothing for a DataLoader to gather or keep),
so their number does not grow with the page; what goes is an awaitable, a task and
a future per field, and a future per key."""

import asyncio
from collections.abc import Awaitable, Sequence
from typing import Any

from api import loaders
from api.columns import partner_columns, program_columns
from api.context import Info
from api.types import Partner, PartnerProfile, Program, Session
from api.wanted import Wanted


async def prepare_partners(
    partners: Sequence[PartnerProfile], info: Info, path: Sequence[str]
) -> None:
    """Load the lists the query selects at `path` for every partner at once."""
    await prepare_partners_for(partners, info, info.context.engine.selected(info, path))


async def prepare_partners_for(
    partners: Sequence[PartnerProfile], info: Info, wanted: Wanted
) -> None:
    if not partners:
        return
    language = partners[0].language  # a page's partners share theirs
    vocabulary = info.context.vocabulary[language]
    ids = [p.row_id for p in partners]
    tables: dict[str, tuple[Any, Any]] = {
        "categories": (loaders.partner_categories, vocabulary.categories),
        "serviceTypes": (loaders.partner_service_types, vocabulary.service_types),
        "schoolSites": (loaders.partner_sites, vocabulary.school_sites),
        "languages": (loaders.partner_languages, vocabulary.languages),
    }
    jobs: dict[str, Awaitable[list[Any]]] = {
        name: load(ids) for name, (load, _) in tables.items() if name in wanted
    }
    if "programs" in wanted:
        columns = program_columns(wanted.below("programs").fields, language)
        jobs["programs"] = loaders.partner_programs(ids, columns)
    loaded = dict(zip(jobs, await asyncio.gather(*jobs.values()), strict=True))
    for name, lists in loaded.items():
        if name == "programs":
            continue
        table = tables[name][1]
        for partner, found in zip(partners, lists, strict=True):
            partner.pre[name] = table.of(found)
    if "programs" in loaded:
        programs: list[Program] = []
        for partner, rows in zip(partners, loaded["programs"], strict=True):
            partner.pre["programs"] = [
                Program.from_model(row, language) for row in rows
            ]
            programs += partner.pre["programs"]
        await prepare_programs_for(programs, info, wanted.below("programs"))


async def prepare_programs(
    programs: Sequence[Program], info: Info, path: Sequence[str]
) -> None:
    """Load the lists the query selects at `path` for every program at once."""
    await prepare_programs_for(programs, info, info.context.engine.selected(info, path))


async def prepare_programs_for(
    programs: Sequence[Program], info: Info, wanted: Wanted
) -> None:
    if not programs:
        return
    vocabulary = info.context.vocabulary[programs[0].language]
    tables: dict[str, tuple[Any, Any]] = {
        "serviceTypes": (loaders.program_service_types, vocabulary.service_types),
        "schoolSites": (loaders.program_sites, vocabulary.school_sites),
        "languages": (loaders.program_languages, vocabulary.languages),
    }
    if "sessions" in wanted:
        tables["sessions"] = (loaders.program_sessions, vocabulary.school_sites)
    names = [name for name in tables if name in wanted]
    ids = [p.row_id for p in programs]
    jobs: list[Awaitable[Any]] = [tables[n][0](ids) for n in names]
    if "partner" in wanted:
        jobs.append(_prepare_partners_of(programs, info, wanted.below("partner")))
    loaded = await asyncio.gather(*jobs)
    for name, lists in zip(names, loaded[: len(names)], strict=True):
        table = tables[name][1]
        for program, found in zip(programs, lists, strict=True):
            program.pre[name] = (
                [Session.of(row, table) for row in found]
                if name == "sessions"
                else table.of(found)
            )


async def _prepare_partners_of(
    programs: Sequence[Program], info: Info, wanted: Wanted
) -> None:
    """Each program's partner (None when it is not listed), read for the whole
    page at once with the columns `wanted` needs, its lists loaded ahead too."""
    language = programs[0].language
    keys = list(dict.fromkeys(p.partner_row_id for p in programs))
    columns = partner_columns(wanted.fields, language)
    rows = await loaders.listed_partner_rows(info.context.listing, keys, columns)
    partners = {row.id: Partner.from_model(row, language) for row in rows}
    await prepare_partners_for(list(partners.values()), info, wanted)
    for program in programs:
        program.pre["partner"] = partners.get(program.partner_row_id)
