"""`partners build-site`: query the API, render every page, index them, write it
all, and make it the served build in one step."""

import asyncio
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from api.site_files import MANIFEST, holds
from directory_site import queries
from directory_site.facets import facets
from directory_site.localize import directory_in, partner_in
from directory_site.messages import translations
from directory_site.pages import Site, render
from directory_site.search_index import index_files
from directory_site.store import MARKER, Store, StoreError
from models.clock import now

STATIC = Path(__file__).parent / "static"
HASH = 12  # hex digits of a content hash in a name
SAFE_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_/.-]*$")


class BuildError(Exception):
    """The site cannot be built as asked; nothing was replaced."""


@dataclass(frozen=True)
class BuildSummary:
    partners: int
    pages: int
    files: int
    bytes: int
    # seconds each language's pages and index took (side by side on several cores)
    seconds: dict[str, float] = field(default_factory=dict, compare=False)


def _check(path: str) -> str:
    """A path built from data must stay inside the site: no '..', no odd characters."""
    if not SAFE_PATH.match(path) or ".." in path.split("/"):
        raise BuildError(f"refusing to write {path!r}: a slug or code is not URL-safe")
    return path


URLS_PER_SITEMAP = 2000  # keeps each sitemap file near 200 KB


def _sitemaps(site: Site, paths: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    """sitemap.xml, an index of sitemap-N.xml files that list every page in
    every language (not the later pages of a list)."""
    urls = [
        f"<url><loc>{escape(site.url + path.removesuffix('index.html'))}</loc></url>\n"
        for path in paths
        if path.endswith("index.html") and "/page/" not in path
    ]
    parts = []
    for number, start in enumerate(range(0, len(urls), URLS_PER_SITEMAP), 1):
        name = f"sitemap-{number}.xml"
        parts.append(f"<sitemap><loc>{escape(site.url + name)}</loc></sitemap>\n")
        body = "".join(urls[start : start + URLS_PER_SITEMAP])
        yield (
            name,
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                f"{body}</urlset>\n"
            ).encode(),
        )
    yield (
        "sitemap.xml",
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{''.join(parts)}</sitemapindex>\n"
        ).encode(),
    )


# A partner's lists that are the union of its programs', and the key of an item.
FROM_PROGRAMS = {"serviceTypes": "slug", "schoolSites": "slug", "languages": "code"}


def _from_programs(partner: dict[str, Any], directory: dict[str, Any]) -> Any:
    """The partner with its services, schools and languages: those of its
    programs, each once, in the directory's order, as the API's Partner fields
    give them; and the grades they span. (Asking the API for both would double
    the fields a page costs.)"""
    for key, id_key in FROM_PROGRAMS.items():
        items = {
            item[id_key]: item
            for program in partner["programs"]
            for item in program[key]
        }
        partner[key] = [items[v[id_key]] for v in directory[key] if v[id_key] in items]
    programs = partner["programs"]
    if programs:  # the grades its programs span, for cards and the facts
        partner["gradeMin"] = min(program["gradeMin"] for program in programs)
        partner["gradeMax"] = max(program["gradeMax"] for program in programs)
    return partner


def _assets() -> dict[str, tuple[str, bytes]]:
    """The static files, each named by its content (style.1a2b3c4d.css), so a
    browser may keep them for good and an open tab never mixes two versions."""
    named = {}
    for path in sorted(STATIC.iterdir()):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:HASH]
        named[path.name] = (f"{path.stem}.{digest}{path.suffix}", data)
    return named


def _build_id(files: list[tuple[str, bytes, int]]) -> str:
    """A build's id: a digest of its files' paths and contents."""
    digest = hashlib.sha256()
    for path, content, _ in sorted(files):
        digest.update(path.encode() + b"\0" + content)
    return digest.hexdigest()[:HASH]


def _dump(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


async def build(
    out: Path,
    site: Site,
    day: date,
    progress: Callable[[int, int], None] | None = None,
) -> BuildSummary:
    """Build the whole site as the public sees it on `day`, and make it the one
    served at OUT in a single step once everything worked (directory_site/store.py).
    Raises Busy when another build of OUT is running."""
    store = Store(out)
    try:
        store.check()
    except StoreError as error:
        raise BuildError(str(error)) from None
    with store.lock():
        staging = store.staging()
        try:
            summary, build_id = await _write(staging, site, day, progress)
        except BaseException as error:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(error, Exception):
                store.fail(f"{type(error).__name__}: {error}")
            raise
        store.publish(staging, build_id)
    return summary


@dataclass
class Written:
    """What a part of a build wrote: each file's path under the staging folder,
    SHA-256 and size; and how many of them are pages."""

    files: list[tuple[str, bytes, int]] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0

    def write(self, staging: Path, files: Iterable[tuple[str, bytes]]) -> None:
        folders: set[Path] = set()
        for path, data in files:
            target = staging / _check(path)
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            target.write_bytes(data)
            self.files.append((path, hashlib.sha256(data).digest(), len(data)))


# Where each language's index is written before the build's id is known.
INDEX_STAGING = "search/.staging"


def _language(
    staging: Path,
    site: Site,
    directory: dict[str, Any],
    partners: list[dict[str, Any]],
    assets: dict[str, str],
) -> Written:
    """Write one language's pages (under its folder) and its search index."""
    started = time.perf_counter()
    local = directory_in(directory, site.language)
    listed = [partner_in(p, site.language, local) for p in partners]
    say = translations(site.language).gettext
    facet_list = facets(local, listed, say)
    written = Written()
    pages = render(local, listed, facet_list, site, assets)
    written.write(
        staging, ((site.prefix() + path, html.encode()) for path, html in pages)
    )
    written.pages = len(written.files)
    index = index_files(listed, facet_list, site.language, say)
    written.write(
        staging,
        ((f"{INDEX_STAGING}/{site.language}/{path}", data) for path, data in index),
    )
    written.seconds = time.perf_counter() - started
    return written


async def _languages(
    staging: Path,
    site: Site,
    directory: dict[str, Any],
    partners: list[dict[str, Any]],
    assets: dict[str, str],
) -> list[Written]:
    """Every language's part, in the site's order; the languages are rendered
    side by side in processes of their own when the machine has the cores."""
    jobs = [
        (staging, site.speaking(language), directory, partners, assets)
        for language in site.languages
    ]
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers == 1:
        return [_language(*job) for job in jobs]
    loop = asyncio.get_running_loop()
    spawn = multiprocessing.get_context("spawn")  # no fork of a running loop
    with ProcessPoolExecutor(workers, mp_context=spawn) as pool:
        return await asyncio.gather(
            *(loop.run_in_executor(pool, _language, *job) for job in jobs)
        )


async def _write(
    staging: Path,
    site: Site,
    day: date,
    progress: Callable[[int, int], None] | None,
) -> tuple[BuildSummary, str]:
    visitor = await queries.Visitor.on(day)
    directory = await queries.run("directory", visitor)
    total = directory["partners"]["totalCount"]
    partners = [
        _from_programs(p, directory)
        async for p in queries.partners(visitor, total, progress)
    ]
    assets = _assets()
    named = {name: served for name, (served, _) in assets.items()}
    written = Written()
    page_paths = []
    parts = await _languages(staging, site, directory, partners, named)
    for part in parts:
        written.files += part.files
        written.pages += part.pages
        page_paths += [path for path, _, _ in part.files[: part.pages]]
    robots = f"User-agent: *\nAllow: /\nSitemap: {site.url}sitemap.xml\n"
    written.write(
        staging,
        [
            *_sitemaps(site, page_paths),
            ("robots.txt", robots.encode()),
            *((f"static/{named}", data) for named, data in assets.values()),
        ],
    )
    build_id = _build_id(written.files)
    # The index lives under its build's id; search.js finds it through the
    # manifest, which is never cached, and starts over when the build changes.
    (staging / INDEX_STAGING).rename(staging / "search" / build_id)
    manifest = {"build": build_id, "script": assets["search.js"][0]}
    written.write(staging, [("search/manifest.json", _dump(manifest))])
    listing = directory["listing"]
    summary = BuildSummary(
        partners=len(partners),
        pages=written.pages,
        files=len(written.files),
        bytes=sum(size for _, _, size in written.files),
        seconds={
            language: round(part.seconds, 1)
            for language, part in zip(site.languages, parts, strict=True)
        },
    )
    record = {
        "build": build_id,
        "revision": listing["revision"],
        "day": listing["day"],
        "valid_until": listing["validUntil"],
        "updated_on": listing["updatedOn"],
        "built_at": now().isoformat(timespec="seconds"),
        "site": {
            "url": site.url,
            "district": site.district,
            "languages": list(site.languages),
        },
        **{key: value for key, value in asdict(summary).items() if key != "seconds"},
    }
    (staging / MANIFEST).write_bytes(_dump(record))
    (staging / MARKER).write_bytes(b"")
    return summary, build_id


async def is_current(out: Path, day: date) -> bool:
    """Whether the site at OUT is what a fresh build for `day` would give: built
    from the data's current revision, for a day whose listing still holds."""
    built = Store(out).manifest()
    if built is None:
        return False
    state = (await queries.run("state", await queries.Visitor.on(day)))["listing"]
    return holds(built, state["revision"], day)
