"""`partners build-site`: query the API, render every page, index them, write it
all, and make it the served build in one step."""

import hashlib
import json
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from api.site_files import MANIFEST, holds
from directory_site import queries
from directory_site.facets import facets
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


def _check(path: str) -> str:
    """A path built from data must stay inside the site: no '..', no odd characters."""
    if not SAFE_PATH.match(path) or ".." in path.split("/"):
        raise BuildError(f"refusing to write {path!r}: a slug or code is not URL-safe")
    return path


def _sitemap(site: Site, paths: Iterable[str]) -> bytes:
    urls = "".join(
        f"<url><loc>{escape(site.url + path.removesuffix('index.html'))}</loc></url>\n"
        for path in paths
        if path.endswith("index.html") and "/page/" not in path
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    ).encode()


# A partner's lists that are the union of its programs', and the key of an item.
FROM_PROGRAMS = {"serviceTypes": "slug", "schoolSites": "slug", "languages": "code"}


def _from_programs(partner: dict[str, Any], directory: dict[str, Any]) -> Any:
    """The partner with its services, schools and languages: those of its
    programs, each once, in the directory's order, as the API's Partner fields
    give them. (Asking the API for both would double the fields a page costs.)"""
    for key, id_key in FROM_PROGRAMS.items():
        items = {
            item[id_key]: item
            for program in partner["programs"]
            for item in program[key]
        }
        partner[key] = [items[v[id_key]] for v in directory[key] if v[id_key] in items]
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


def _build_id(files: list[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for path, data in sorted(files):
        digest.update(path.encode() + b"\0" + hashlib.sha256(data).digest())
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
    visitor = await queries.Visitor.on(day)
    directory = await queries.run("directory", visitor)
    total = directory["partners"]["totalCount"]
    partners = [
        _from_programs(p, directory)
        async for p in queries.partners(visitor, total, progress)
    ]
    facet_list = facets(directory, partners)
    assets = _assets()
    files: list[tuple[str, bytes]] = [
        (path, html.encode())
        for path, html in render(
            directory,
            partners,
            facet_list,
            site,
            {name: named for name, (named, _) in assets.items()},
        )
    ]
    pages = len(files)
    index = list(index_files(partners, facet_list))
    files.append(("sitemap.xml", _sitemap(site, [path for path, _ in files])))
    robots = f"User-agent: *\nAllow: /\nSitemap: {site.url}sitemap.xml\n"
    files.append(("robots.txt", robots.encode()))
    files += [(f"static/{named}", data) for named, data in assets.values()]
    build_id = _build_id(files + [(f"search/{p}", data) for p, data in index])
    # The index lives under its build's id; search.js finds it through the
    # manifest, which is never cached, and starts over when the build changes.
    files += [(f"search/{build_id}/{path}", data) for path, data in index]
    manifest = {"build": build_id, "script": assets["search.js"][0]}
    files.append(("search/manifest.json", _dump(manifest)))
    size = 0
    folders: set[Path] = set()
    for path, data in files:
        target = staging / _check(path)
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        target.write_bytes(data)
        size += len(data)
    listing = directory["listing"]
    summary = BuildSummary(
        partners=len(partners), pages=pages, files=len(files), bytes=size
    )
    record = {
        "build": build_id,
        "revision": listing["revision"],
        "day": listing["day"],
        "valid_until": listing["validUntil"],
        "updated_on": listing["updatedOn"],
        "built_at": now().isoformat(timespec="seconds"),
        "site": {"url": site.url, "district": site.district},
        **asdict(summary),
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
