"""`partners build-site`: query the API, render every page, index them, write it all."""

import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from directory_site import queries
from directory_site.facets import facets
from directory_site.pages import Site, render
from directory_site.search_index import index_files

STATIC = Path(__file__).parent / "static"
MARKER = ".partners-site"  # marks a folder this command may empty and rebuild
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


def _prepare(out: Path) -> Path:
    """A fresh staging folder beside OUT; OUT must be ours, empty or missing."""
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise BuildError(
            f"{out} is not empty and was not made by build-site; "
            "choose an empty or new folder"
        )
    staging = out.with_name(out.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


async def build(
    out: Path,
    site: Site,
    day: date,
    progress: Callable[[int, int], None] | None = None,
) -> BuildSummary:
    """Build the whole site as the public sees it on `day` into OUT, replacing OUT
    only once everything worked."""
    staging = _prepare(out)
    try:
        visitor = await queries.Visitor.on(day)
        directory = await queries.run("directory", visitor)
        partners = [p async for p in queries.partners(visitor, progress)]
        facet_list = facets(directory, partners)
        files: list[tuple[str, bytes]] = [
            (path, html.encode())
            for path, html in render(directory, partners, facet_list, site)
        ]
        pages = len(files)
        files += [
            (f"search/{path}", data) for path, data in index_files(partners, facet_list)
        ]
        files.append(("sitemap.xml", _sitemap(site, [path for path, _ in files])))
        robots = f"User-agent: *\nAllow: /\nSitemap: {site.url}sitemap.xml\n"
        files.append(("robots.txt", robots.encode()))
        size = 0
        for path, data in files:
            target = staging / _check(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            size += len(data)
        shutil.copytree(STATIC, staging / "static")
        (staging / MARKER).write_bytes(b"")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    return BuildSummary(
        partners=len(partners), pages=pages, files=len(files), bytes=size
    )
