"""Serving the built directory at /: the site's path is a link to the current
build, switched in one step by each new build (directory_site/store.py). The link
is resolved once per request, so a request reads one build from start to end, and
a build that appears after the server started is served at once."""

import json
import os
import re
from datetime import date
from email.utils import formatdate
from typing import Any
from urllib.parse import quote

from starlette.datastructures import Headers
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from api.exchange import Reply, matches, not_modified

MANIFEST = "build.json"  # in each build: what it is true for (revision, day...)
BUILDS = ".builds"  # the builds of SITE_DIR are in SITE_DIR + BUILDS
ERROR = "last-error.json"  # in the builds' folder, while the last build failed
# Named by their content or their build, so never changed: kept for good.
IMMUTABLE = re.compile(
    r"^/(static/[^/]+\.[0-9a-f]{12}\.[a-z]+|search/[0-9a-f]{12}/.+)$"
)
FOREVER = "public, max-age=31536000, immutable"
# Types mimetypes may not know: it reads the system's list, which a server may lack
# (a calendar served as text/plain is not offered to the calendar).
MEDIA_TYPES = {".ics": "text/calendar"}
REVALIDATE = "no-cache"  # HTML, the manifests: always asked again, 304 when same


class SiteFiles:
    """Files of the current build of the site linked at `root`."""

    def __init__(self, root: str) -> None:
        self.root = root

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.respond(scope)
        if isinstance(response, Reply):
            await response.send(send)
        else:
            await response(scope, receive, send)

    def respond(self, scope: Scope) -> Response | Reply:
        if scope["method"] not in ("GET", "HEAD"):
            return PlainTextResponse(
                "Method not allowed", 405, headers={"Allow": "GET, HEAD"}
            )
        build = os.path.realpath(self.root)  # once: one build for the whole request
        if not os.path.isfile(os.path.join(build, MANIFEST)):
            return PlainTextResponse(
                "The directory is being built; try again in a minute.",
                503,
                headers={"Retry-After": "30", "Cache-Control": REVALIDATE},
            )
        path = scope["path"]
        found = _find(build, path)
        if found == FOLDER:
            target = folder_location(path, scope.get("query_string", b""))
            return Response(status_code=308, headers={"Location": target})
        if found is None:
            return FileResponse(
                _not_found(build, path), 404, headers={"Cache-Control": REVALIDATE}
            )
        return _file(scope, found, IMMUTABLE.match(path) is not None)


def _file(scope: Scope, found: str, immutable: bool) -> Response | Reply:
    """A file of the build: kept for good when it is named by its content (there
    is nothing to revalidate it with), else asked for again each time and a 304
    when it has not changed."""
    stat = os.stat(found)
    media_type = MEDIA_TYPES.get(os.path.splitext(found)[1])  # else by its name
    if immutable:
        response = FileResponse(
            found,
            headers={"Cache-Control": FOREVER},
            stat_result=stat,
            media_type=media_type,
        )
        del response.headers["etag"]
        del response.headers["last-modified"]
        return response
    response = FileResponse(
        found,
        headers={"Cache-Control": REVALIDATE, "Vary": "Accept-Encoding"},
        stat_result=stat,
        media_type=media_type,
    )
    if matches(Headers(scope=scope).get("if-none-match"), response.headers["etag"]):
        html = response.headers.get("content-type", "").startswith("text/html")
        given = {
            "ETag": response.headers["etag"],
            "Cache-Control": REVALIDATE,
            "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
        }
        return not_modified(given, html)
    return response


FOLDER = "a folder, asked for without its slash"


def _find(build: str, path: str) -> str | None:
    """The file for a URL path inside `build`: a folder's index.html; nothing
    outside the build, nothing hidden."""
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") or p.startswith(".") or "\0" in p for p in parts):
        return None
    full = os.path.join(build, *parts)
    if os.path.isdir(full):
        if not path.endswith("/"):
            return FOLDER
        full = os.path.join(full, "index.html")
    return full if os.path.isfile(full) else None


# What a redirect's path and query may keep as they are (RFC 3986's pchar and
# query); everything else is percent-encoded, the backslash included.
SEGMENT_SAFE = "!$&'()*+,;=:@"
QUERY_SAFE = SEGMENT_SAFE + "/?%"


def folder_location(path: str, query: bytes) -> str:
    """Where a folder asked for without its slash is: the same path with one
    leading slash, never `//host/…` or `/\\host/…`, which a browser reads as
    another site."""
    parts = [quote(p, safe=SEGMENT_SAFE) for p in path.split("/") if p]
    target = "/" + "".join(f"{p}/" for p in parts)
    return target + (f"?{quote(query, safe=QUERY_SAFE)}" if query else "")


LANGUAGE_FOLDER = re.compile(r"^/([a-z]{2,3})/")


def _not_found(build: str, path: str) -> str:
    """The not-found page in the language of the folder asked for (/es/…), else
    in English."""
    match = LANGUAGE_FOLDER.match(path)
    if match:
        page = os.path.join(build, match[1], "404.html")
        if os.path.isfile(page):
            return page
    return os.path.join(build, "404.html")


def manifest(root: str) -> dict[str, Any] | None:
    """The served build's build.json, or None before the first build."""
    path = os.path.join(os.path.realpath(root), MANIFEST)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as handle:
        found: dict[str, Any] = json.load(handle)
    return found


def build_failed(root: str) -> bool:
    """Whether the last build failed (the publisher logged why)."""
    return os.path.isfile(os.path.join(root + BUILDS, ERROR))


def last_error(root: str) -> str | None:
    """Why the last build failed, while the last build failed."""
    path = os.path.join(root + BUILDS, ERROR)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as handle:
        error: str = json.load(handle)["error"]
    return error


def still_true(built: dict[str, Any], revision: int, day: date) -> bool:
    """Whether a build is what a fresh one would be for `revision` on `day`: the
    same revision, and a day within those its listing holds for."""
    until = built.get("valid_until")
    return (
        built.get("revision") == revision
        and str(built.get("day")) <= day.isoformat()
        and (until is None or day.isoformat() <= str(until))
    )
