"""Loading a page's nested lists ahead, all at once.

A page of partners (or programs) looks at what the query selects under each of
them and loads those lists for the whole page in one batch per list, before it
is returned; each object then answers its lists at once (see api/types.py). The
statements are the loaders' own batches, called with the whole page's keys (a
page holds each key once, so there is nothing for a DataLoader to gather or keep),
so their number does not grow with the page; what goes is an awaitable, a task and
a future per field, and a future per key."""

import asyncio
from collections.abc import Awaitable, Iterable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from api.context import Info
from api.types import PartnerProfile, Program

Selections = dict[str, list[Any]]  # field name: what is selected under it


def _fields(selections: Iterable[Any]) -> Selections:
    """The fields selected, fragments flattened, each with its own selections."""
    found: Selections = {}
    for selection in selections:
        if isinstance(selection, SelectedField):
            found.setdefault(selection.name, []).extend(selection.selections)
        elif isinstance(selection, FragmentSpread | InlineFragment):
            for name, below in _fields(selection.selections).items():
                found.setdefault(name, []).extend(below)
    return found


async def _batch(loader: DataLoader[int, Any], ids: list[int]) -> list[Any]:
    """What the loader's batch function gives for a whole page's keys at once; an
    error for a key is raised, as a DataLoader would."""
    found = await loader.load_fn(ids)
    for entry in found:
        if isinstance(entry, BaseException):
            raise entry
    return list(found)


def selected(info: Info, path: Sequence[str]) -> Selections:
    """What the query selects at `path` below the field being resolved, e.g.
    ("edges", "node") for a connection's nodes."""
    here = _fields(info.selected_fields)
    below: list[Any] = [s for field in here.values() for s in field]
    for name in path:
        below = _fields(below).get(name, [])
    return _fields(below)


async def prepare_partners(
    partners: Sequence[PartnerProfile], info: Info, path: Sequence[str]
) -> None:
    """Load the lists the query selects at `path` for every partner at once."""
    await prepare_partners_for(partners, info, selected(info, path))


async def prepare_partners_for(
    partners: Sequence[PartnerProfile], info: Info, wanted: Selections
) -> None:
    if not partners:
        return
    language = partners[0].language  # a page's partners share theirs
    loaders, vocabulary = info.context.loaders, info.context.vocabulary[language]
    ids = [p.row_id for p in partners]
    tables: dict[str, tuple[Any, Any]] = {
        "categories": (loaders.categories, vocabulary.categories),
        "serviceTypes": (loaders.partner_service_types, vocabulary.service_types),
        "schoolSites": (loaders.partner_sites, vocabulary.school_sites),
        "languages": (loaders.partner_languages, vocabulary.languages),
    }
    jobs: dict[str, Awaitable[list[Any]]] = {
        name: _batch(loader, ids)
        for name, (loader, _) in tables.items()
        if name in wanted
    }
    if "programs" in wanted:
        jobs["programs"] = _batch(loaders.programs, ids)
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
        await prepare_programs_for(programs, info, _fields(wanted["programs"]))


async def prepare_programs(
    programs: Sequence[Program], info: Info, path: Sequence[str]
) -> None:
    """Load the lists the query selects at `path` for every program at once."""
    await prepare_programs_for(programs, info, selected(info, path))


async def prepare_programs_for(
    programs: Sequence[Program], info: Info, wanted: Selections
) -> None:
    if not programs:
        return
    loaders = info.context.loaders
    vocabulary = info.context.vocabulary[programs[0].language]
    tables: dict[str, tuple[Any, Any]] = {
        "serviceTypes": (loaders.program_service_types, vocabulary.service_types),
        "schoolSites": (loaders.program_sites, vocabulary.school_sites),
        "languages": (loaders.program_languages, vocabulary.languages),
    }
    names = [name for name in tables if name in wanted]
    ids = [p.row_id for p in programs]
    loaded = await asyncio.gather(*(_batch(tables[n][0], ids) for n in names))
    for name, lists in zip(names, loaded, strict=True):
        table = tables[name][1]
        for program, found in zip(programs, lists, strict=True):
            program.pre[name] = table.of(found)
