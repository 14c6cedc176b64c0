"""Where builds live, and how one replaces another in a single step.

The site's path (SITE_DIR, or build-site's OUT_DIR) is a symbolic link to the
current build, a folder of its own beside it in `<path>.builds/`. A build is
written to a staging folder there, renamed to its id when complete, and the link
is replaced by rename(2), which is atomic: a reader (a request, a web server, a
sync to a CDN) sees the old build or the new one, never a missing or half-built
site. A build killed at any moment leaves only a staging folder, which the next
build clears. Old builds are removed only after the switch."""

import errno
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api.site_files import BUILDS, ERROR, MANIFEST, last_error, manifest

MARKER = ".partners-site"  # marks a folder build-site made, so it may replace it
KEEP = 3  # builds kept, the current one included, for requests still reading one


class StoreError(Exception):
    """The site's path is something build-site must not touch."""


class Busy(Exception):
    """Another build of this site is running."""


@dataclass(frozen=True)
class Store:
    """The builds of the site served at `root`."""

    root: Path

    @property
    def builds(self) -> Path:
        return self.root.with_name(self.root.name + BUILDS)

    def current(self) -> Path | None:
        """The current build's folder, or None before the first build."""
        if not self.root.is_symlink():
            return self.root if (self.root / MANIFEST).is_file() else None
        target = self.root.resolve()
        return target if target.is_dir() else None

    def manifest(self) -> dict[str, Any] | None:
        """The current build's build.json, or None."""
        return manifest(str(self.root))

    def last_error(self) -> str | None:
        """Why the last build failed, if the last build failed."""
        return last_error(str(self.root))

    def check(self) -> None:
        """Refuse a path that is a file, or a folder build-site did not make."""
        root = self.root
        if root.is_symlink():
            return
        if root.exists() and not root.is_dir():
            raise StoreError(f"{root} is a file, not a folder")
        if root.is_dir() and any(root.iterdir()) and not (root / MARKER).exists():
            raise StoreError(
                f"{root} is not empty and was not made by build-site; "
                "choose an empty or new folder"
            )

    def staging(self) -> Path:
        """A fresh folder to write a build into; staging folders of builds that
        were killed are cleared first."""
        self.builds.mkdir(parents=True, exist_ok=True)
        for old in self.builds.glob(".staging-*"):
            shutil.rmtree(old, ignore_errors=True)
        folder = self.builds / f".staging-{os.getpid()}"
        folder.mkdir()
        return folder

    def publish(self, staging: Path, build_id: str) -> Path:
        """Make the complete build in `staging` the current one, in one step."""
        final = self.builds / build_id
        if final.exists():  # the same content was built before: it is that build
            shutil.rmtree(staging)
        else:
            staging.rename(final)
        self._adopt_legacy()
        link = self.builds / f".link-{os.getpid()}"
        link.unlink(missing_ok=True)
        link.symlink_to(os.path.relpath(final, self.root.parent))
        os.replace(link, self.root)
        self.clear_error()
        self._prune(final)
        return final

    def fail(self, error: str) -> None:
        """Record why a build failed; the served build stays as it was."""
        self.builds.mkdir(parents=True, exist_ok=True)
        (self.builds / ERROR).write_text(json.dumps({"error": error}))

    def clear_error(self) -> None:
        (self.builds / ERROR).unlink(missing_ok=True)

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the site's build lock, or raise Busy: one builder at a time per
        site, across processes (the lock is released if the process dies)."""
        self.builds.mkdir(parents=True, exist_ok=True)
        with open(self.builds / ".lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                if error.errno in (errno.EAGAIN, errno.EACCES):
                    raise Busy(f"another build of {self.root} is running") from None
                raise
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _adopt_legacy(self) -> None:
        # A folder made by an older build-site, served in place: move it among the
        # builds so the link can take its place.
        if self.root.is_dir() and not self.root.is_symlink():
            self.root.rename(self.builds / "legacy")

    def _prune(self, current: Path) -> None:
        builds = [b for b in self.builds.iterdir() if b.is_dir() and b.name[0] != "."]
        builds.sort(key=lambda b: b.stat().st_mtime, reverse=True)
        for old in [b for b in builds if b != current][KEEP - 1 :]:
            shutil.rmtree(old, ignore_errors=True)
