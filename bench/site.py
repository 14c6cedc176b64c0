"""Benchmark the directory build, what a browser transfers to search it, and how
soon a write shows on the served site.

For each size: a fresh SQLite database with the demo district, a timed
`build-site` in the district's four languages, then `partners serve` (gzip as
served, its publisher on) and a real Chromium that opens each language's home
page with a word search in that language, and with a facet and no words,
counting every byte it transfers. Then an editor suspends a listed partner
through the API and the clock runs until its page answers 404; then approves it
again until the page is back. Results go to bench/results/site.md.

    make bench-site            # 1,000 and 10,000 partners
    .venv/bin/python -m bench.site 200 1000
"""

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Request, sync_playwright

from demo import load_demo
from directory_site.build import BuildSummary, build
from directory_site.pages import Site
from models.clock import district_today
from models.db import database, migrate

ROOT = Path(__file__).parent.parent
WORK = ROOT / "var" / "bench"
RESULTS = Path(__file__).parent / "results" / "site.md"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LANGUAGES = ("en", "es", "so", "hmn")
# A word search in each language: the demo's word for tutoring in it.
WORDS = {"en": "tutoring", "es": "tutoría", "so": "casharro", "hmn": "qhia"}
FACET = "service=mental-health"
# The limits at 10,000 partners, per language.
WORD_LIMIT_KB, FACET_LIMIT_KB = 50, 25


@dataclass
class Transfer:
    total: int  # every response: headers and (compressed) bodies
    index: int  # the search index files alone
    requests: int
    results: str


@dataclass
class Row:
    partners: int
    listed: int
    load_s: float
    build_s: float
    files: int
    site_mb: float
    seconds: dict[str, float]  # each language's pages and index
    word: dict[str, Transfer]
    facet: dict[str, Transfer]
    gone_s: float  # from the write to the partner's page answering 404
    back_s: float  # from the approval to the page answering 200 again


async def prepare(
    url: str, partners: int, out: Path
) -> tuple[int, float, float, BuildSummary]:
    await migrate(url)
    async with database(url):
        started = time.perf_counter()
        day = district_today()
        summary = await load_demo(partners=partners, seed=1, today=day)
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        site = Site(
            district="Riverton Public Schools",
            base="/",
            url="http://127.0.0.1/",
            languages=LANGUAGES,
        )
        built = await build(out, site, day)
        return summary.listed, loaded, time.perf_counter() - started, built


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _write_to_visible(base: str, token: str) -> tuple[float, float]:
    """Suspend the first listed partner, then approve it again; how long each
    took to show on the served site."""
    first = _graphql(base, "{ partners(first: 1) { edges { node { slug } } } }")
    slug = first["partners"]["edges"][0]["node"]["slug"]
    status = (
        "mutation($s: String!, $t: PartnerStatus!) { setPartnerStatus(slug: $s, "
        'status: $t, reason: "bench") { errors { field } } }'
    )
    timings = []
    for to, expected in (("SUSPENDED", 404), ("APPROVED", 200)):
        started = time.perf_counter()
        _graphql(base, status, token, s=slug, t=to)
        while _status(f"{base}partners/{slug}/") != expected:
            if time.perf_counter() - started > 600:
                raise RuntimeError(f"{slug} did not become {expected} in 600 s")
            time.sleep(0.1)
        timings.append(time.perf_counter() - started)
    return timings[0], timings[1]


def _graphql(base: str, query: str, token: str | None = None, **variables: str) -> Any:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(base + "graphql", body, headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def serve(url: str, site: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "SITE_DIR": str(site)}
    server = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("partners serve did not start")


def _measure(base: str, query: str) -> Transfer:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_context().new_page()
        seen: list[tuple[str, int]] = []

        def finished(request: Request) -> None:
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            seen.append((request.url, size))

        page.on("requestfinished", finished)
        page.goto(f"{base}?{query}")
        page.wait_for_selector("#results-list .card, #results-status:has-text('No ')")
        page.wait_for_load_state("networkidle")
        status = page.locator("#results-status").inner_text()
        browser.close()
    return Transfer(
        total=sum(size for _, size in seen),
        index=sum(size for url, size in seen if "/search/" in url),
        requests=len(seen),
        results=status,
    )


def run(sizes: list[int]) -> list[Row]:
    rows = []
    for partners in sizes:
        folder = WORK / f"site-{partners}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        url = f"sqlite://{folder / 'partners.sqlite3'}"
        listed, loaded, built, summary = asyncio.run(
            prepare(url, partners, folder / "site")
        )
        size = sum(
            f.stat().st_size for f in (folder / "site").rglob("*") if f.is_file()
        )
        token = subprocess.run(
            [
                sys.executable,
                "-m",
                "cli.main",
                "token",
                "create",
                "--name",
                "bench",
                "--role",
                "editor",
            ],
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        port = free_port()
        server = serve(url, folder / "site", port)
        try:
            base = f"http://127.0.0.1:{port}/"
            prefix = {code: "" if code == "en" else f"{code}/" for code in LANGUAGES}
            word = {
                code: _measure(base + prefix[code], f"q={WORDS[code]}")
                for code in LANGUAGES
            }
            facet = {code: _measure(base + prefix[code], FACET) for code in LANGUAGES}
            gone, back = _write_to_visible(base, token)
        finally:
            server.terminate()
            server.wait()
        rows.append(
            Row(
                partners,
                listed,
                loaded,
                built,
                summary.files,
                size / 1e6,
                summary.seconds,
                word,
                facet,
                gone,
                back,
            )
        )
        print(f"{partners:>6} partners: built in {built:.1f} s", file=sys.stderr)
    return rows


def _kb(transfer: Transfer) -> str:
    return (
        f"{transfer.total / 1024:.1f} KB ({transfer.index / 1024:.1f} KB), "
        f"{transfer.requests} requests"
    )


def report(rows: list[Row]) -> str:
    lines = [
        "# Directory build and search transfer",
        "",
        f"Machine: {os.cpu_count()} cores. Command: `make bench-site`. The site is "
        f"built in {', '.join(LANGUAGES)}. Word search: `?q=` the demo's word for "
        f"tutoring in each language ({', '.join(WORDS.values())}); facet-only "
        f"browse: `?{FACET}`. Transfer = every response a fresh Chromium receives "
        "for the page, its CSS and JS, and the search index it fetches (headers "
        "and gzip bodies as `partners serve` sends); in brackets, the index alone.",
        "",
        "| partners (listed) | demo load | build, all languages | files | site size "
        "| write to gone | approval to back |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r.partners:,} ({r.listed:,}) | {r.load_s:.1f} s | {r.build_s:.1f} s "
            f"| {r.files:,} | {r.site_mb:.1f} MB | {r.gone_s:.1f} s "
            f"| {r.back_s:.1f} s |"
        )
    lines += [
        "",
        "Per language: the seconds its pages and index took (each worker process "
        "takes some of the languages and renders their pages while the API is "
        "still queried), and what a search in it "
        f"transfers. Limits at 10,000 partners: word search under {WORD_LIMIT_KB} "
        f"KB, facet browse under {FACET_LIMIT_KB} KB.",
        "",
        "| partners | language | pages and index | word search: total (index) "
        "| facet browse: total (index) | within limits |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        for code in LANGUAGES:
            word, facet = r.word[code], r.facet[code]
            within = (
                word.total < WORD_LIMIT_KB * 1024
                and facet.total < FACET_LIMIT_KB * 1024
            )
            lines.append(
                f"| {r.partners:,} | {code} | {r.seconds[code]:.1f} s | {_kb(word)} "
                f"| {_kb(facet)} | {'yes' if within else 'NO'} |"
            )
    lines += [
        "",
        "Write to gone / approval to back: an editor's `setPartnerStatus` through the "
        "API, until the partner's page on the served site answers 404 (then 200). "
        "Nobody runs a command: `partners serve`'s publisher notices the new revision "
        "within a second, waits a second for the writes to go quiet, and runs "
        "`build-site --if-stale` in a process of its own; the time is mostly that "
        "build.",
        "",
        "What the pages said:",
        "",
    ]
    for r in rows:
        for code in LANGUAGES:
            lines.append(
                f"- {r.partners:,} {code}: word: {r.word[code].results} "
                f"facet: {r.facet[code].results}"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [1000, 10000]
    text = report(run(sizes))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
