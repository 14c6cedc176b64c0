"""One language's part of a build: its partners' pages written as the partners
arrive, then the pages that list them all and its search index. It runs in a
process of its own when the machine has the cores (directory_site/workers.py),
so it imports nothing of the API."""

import hashlib
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory_site.calendars import Calendars
from directory_site.facets import facets
from directory_site.flyers import Flyers
from directory_site.localize import directory_in, partner_in
from directory_site.pages import Pages, Site
from directory_site.search_index import index_files

SAFE_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_/.-]*$")
# Where each language's index is written before the build's id is known.
INDEX_STAGING = "search/.staging"


class BuildError(Exception):
    """The site cannot be built as asked; nothing was replaced."""


def checked(path: str) -> str:
    """A path built from data must stay inside the site: no '..', no odd characters."""
    if not SAFE_PATH.match(path) or ".." in path.split("/"):
        raise BuildError(f"refusing to write {path!r}: a slug or code is not URL-safe")
    return path


@dataclass
class Written:
    """What a part of a build wrote: each file's path under the staging folder,
    SHA-256 and size; and how many of them are pages."""

    files: list[tuple[str, bytes, int]] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0

    def write(self, staging: Path, files: Iterable[tuple[str, bytes]]) -> None:
        root, folders = str(staging), set[str]()
        for path, data in files:  # os.path: a build writes some 36,000 files
            target = os.path.join(root, checked(path))
            folder = os.path.dirname(target)
            if folder not in folders:
                _folder(folder, folders)
            with open(target, "wb") as handle:
                handle.write(data)
            self.files.append((path, hashlib.sha256(data).digest(), len(data)))


def _folder(folder: str, made: set[str]) -> None:
    """Make `folder`: one mkdir when its parent is known to be made already (a
    partner's page is a folder of its own), os.makedirs's look up the path
    otherwise."""
    if os.path.dirname(folder) in made:
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
    else:
        os.makedirs(folder, exist_ok=True)
        made.add(os.path.dirname(folder))
    made.add(folder)


class Language:
    """A language's pages and index, written under `staging` as the build goes."""

    def __init__(
        self,
        staging: Path,
        site: Site,
        directory: dict[str, Any],
        assets: dict[str, str],
    ) -> None:
        self.staging, self.site = staging, site
        self.local = directory_in(directory, site.language)
        self.pages = Pages(self.local, site, assets)
        self.listed: list[dict[str, Any]] = []
        self.partner_pages = Written()
        # The calendar files serve every language: each language writes those of
        # its share of the partners, so that the languages' workers share the work.
        self.calendars = Calendars(site, directory)
        self.share = site.languages.index(site.language), len(site.languages)
        self.other_files = Written()  # besides pages and the index
        self.seconds = 0.0

    def _pages(self, pages: Iterable[tuple[str, str]]) -> Written:
        written = Written()
        prefix = self.site.prefix()
        written.write(self.staging, ((prefix + p, html.encode()) for p, html in pages))
        return written

    def add(self, partners: list[dict[str, Any]]) -> None:
        """Write these partners' pages (the next in the API's A–Z order)."""
        started = time.perf_counter()
        listed = [partner_in(p, self.site.language, self.local) for p in partners]
        self.listed += listed
        done = self._pages(self.pages.partner(p) for p in listed)
        self.partner_pages.files += done.files
        mine, every = self.share
        calendars = self.calendars.files(partners[mine::every])
        self.other_files.write(self.staging, calendars)
        self.seconds += time.perf_counter() - started

    def finish(self) -> Written:
        """Write the pages that list the partners and the search index; what the
        language wrote, its pages first, in the site's order."""
        started = time.perf_counter()
        say, listed = self.pages.say, self.listed
        facet_list = facets(self.local, listed, say, self.site.language)
        front = self._pages(self.pages.front(listed, facet_list))
        rest = self._pages(self.pages.lists(listed))
        flyers = self._pages(Flyers(self.pages).all(listed))
        written = Written(
            front.files + self.partner_pages.files + rest.files + flyers.files
        )
        written.pages = len(written.files)
        written.files += self.other_files.files
        index = index_files(
            listed, facet_list, self.site.language, say, self.pages.soonest
        )
        staged = f"{INDEX_STAGING}/{self.site.language}"
        written.write(self.staging, ((f"{staged}/{p}", data) for p, data in index))
        written.seconds = self.seconds + time.perf_counter() - started
        return written
