"""`partners build-site`: query the API, render every page, index them, write it
all, and make it the served build in one step."""

import dataclasses
import functools
import hashlib
import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import rcssmin
import rjsmin

from api.site_files import MANIFEST, still_true
from directory_site import queries
from directory_site.language import INDEX_STAGING, BuildError, Written
from directory_site.pages import Site
from directory_site.store import MARKER, Store, StoreError
from directory_site.workers import Workers
from models.clock import district_zone, now

__all__ = ["BuildError", "BuildSummary", "build", "is_current"]

STATIC = Path(__file__).parent / "static"
HASH = 12  # hex digits of a content hash in a name


class BuildStatus(IntEnum):
    """How a build process ends (`python -m directory_site`, `partners
    build-site`): its exit status, which the publisher reads."""

    BUILT = 0
    FAILED = 1
    CURRENT = 3  # --if-stale, and the site is current: nothing built
    BUSY = 4  # another build holds the lock: nothing built


@dataclass(frozen=True)
class BuildSummary:
    partners: int
    pages: int
    files: int
    bytes: int
    # seconds each language's pages and index took (in worker processes, several
    # languages side by side where the machine has the cores)
    seconds: dict[str, float] = field(default_factory=dict, compare=False)


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
    """The static files, minified, each named by its content (style.1a2b3c4d.css),
    so a browser may keep them for good and an open tab never mixes two versions."""
    named = {}
    for path in sorted(STATIC.iterdir()):
        data = _minified(path.suffix, path.read_text(encoding="utf-8")).encode()
        digest = hashlib.sha256(data).hexdigest()[:HASH]
        named[path.name] = (f"{path.stem}.{digest}{path.suffix}", data)
    return named


@functools.cache
def asset_names() -> dict[str, str]:
    """Each static file's served name, as every build names it: for pages made
    between builds (the form posted again, directory_site/application_endpoint.py)."""
    return {name: served for name, (served, _) in _assets().items()}


def _minified(suffix: str, text: str) -> str:
    """A script or style sheet without its comments and spaces: a third of the
    bytes after gzip, which a family's phone fetches with its first page."""
    if suffix == ".js":
        return str(rjsmin.jsmin(text))
    if suffix == ".css":
        return str(rcssmin.cssmin(text))
    return text


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


async def _write(
    staging: Path,
    site: Site,
    day: date,
    progress: Callable[[int, int], None] | None,
) -> tuple[BuildSummary, str]:
    # Sessions meet by the district's clock: its zone, from the settings, goes
    # into the calendar files the languages' workers write.
    site = dataclasses.replace(site, timezone=site.timezone or district_zone().key)
    with Workers(site.languages) as workers:  # they start while the API answers
        visitor = await queries.Visitor.on(day)
        directory = await queries.run("directory", visitor)
        total = directory["partners"]["totalCount"]
        assets = _assets()
        named = {name: served for name, (served, _) in assets.items()}
        workers.begin(staging, site, directory, named)
        listed = 0
        async for page in queries.partners(visitor, total, progress):
            workers.add([_from_programs(p, directory) for p in page])
            listed += len(page)
        parts = await workers.finish()
    written = Written()
    page_paths = []
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
        partners=listed,
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
    return still_true(built, state["revision"], day)
