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
from typing import Any, cast

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode

from api import loaders
from api.columns import program_columns
from api.context import Info
from api.shape import held
from api.types import PartnerProfile, Program
from models.kept import Kept
from models.settings import SELECTION_CACHE_BYTES

Selections = dict[str, list[Any]]  # field name: the selections under it
Fragments = dict[str, Any]  # the document's fragments, by name


def _fields(selections: Iterable[Any], fragments: Fragments) -> Selections:
    """The fields selected (by name, not alias), fragments flattened, each with
    the selections below it. Directives are not looked at: a field left out by
    @skip is loaded all the same, and nobody reads it."""
    found: Selections = {}
    for selection in selections:
        if isinstance(selection, FieldNode):
            below = selection.selection_set
            found.setdefault(selection.name.value, []).extend(
                below.selections if below else ()
            )
            continue
        if isinstance(selection, InlineFragmentNode):
            inner = selection.selection_set.selections
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            inner = fragment.selection_set.selections if fragment else ()
        else:
            continue
        for name, below_it in _fields(inner, fragments).items():
            found.setdefault(name, []).extend(below_it)
    return found


class Wanted:
    """The fields a query selects on an object, by name; what it selects below
    each is worked out when first asked for, and kept."""

    def __init__(self, selections: Iterable[Any], fragments: Fragments) -> None:
        self.fields = _fields(selections, fragments)
        self.fragments = fragments
        self._below: dict[str, Wanted] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.fields

    def below(self, name: str) -> "Wanted":
        found = self._below.get(name)
        if found is None:
            found = Wanted(self.fields.get(name, ()), self.fragments)
            self._below[name] = found
        return found


_selected = Kept(512, SELECTION_CACHE_BYTES)  # by a kept document's field nodes


def selected(info: Info, path: Sequence[str]) -> Wanted:
    """What the query selects at `path` below the field being resolved, e.g.
    ("edges", "node") for a connection's nodes. Worked out from the document's
    nodes, once for each (a kept document's nodes are the same objects in every
    request that sends it)."""
    raw = info._raw_info
    nodes = raw.field_nodes
    key = (*map(id, nodes), *path)
    found = _selected.find(key)
    if found is not None:
        return cast(Wanted, found[1])
    wanted = Wanted(
        (
            s
            for node in nodes
            if node.selection_set
            for s in node.selection_set.selections
        ),
        raw.fragments,
    )
    for name in path:
        wanted = wanted.below(name)
    # the nodes are kept with it, so their ids are not reused while it is kept
    _selected.keep(key, (nodes, wanted), held(nodes[0]) if nodes else 0)
    return wanted


async def prepare_partners(
    partners: Sequence[PartnerProfile], info: Info, path: Sequence[str]
) -> None:
    """Load the lists the query selects at `path` for every partner at once."""
    await prepare_partners_for(partners, info, selected(info, path))


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
    await prepare_programs_for(programs, info, selected(info, path))


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
    names = [name for name in tables if name in wanted]
    ids = [p.row_id for p in programs]
    loaded = await asyncio.gather(*(tables[n][0](ids) for n in names))
    for name, lists in zip(names, loaded, strict=True):
        table = tables[name][1]
        for program, found in zip(programs, lists, strict=True):
            program.pre[name] = table.of(found)
