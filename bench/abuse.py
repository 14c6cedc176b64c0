"""Abuse check: while bursts of hostile requests hit `partners serve`, ordinary
queries keep answering and nothing returns a 5xx. Then the nested-list flood of
issue 9 (16 parallel copies for 30 s) beside the ordinary query; the heaviest
nested lists the cost limit still lets through, alone, at 300 and 10,000
partners; and the worker's memory while the answer cache fills with the largest
answers it keeps. Bounded in requests and time, loopback only. Results go to
bench/results/abuse.md.

    make bench-abuse
"""

import asyncio
import json
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any

from bench.api import PAGE, WORK, _pinned, _rss_mb, _start, prepare, serve, table_row
from bench.site import free_port
from demo import load_demo
from models.db import database, migrate
from models.settings import current

ROOT = Path(__file__).parent.parent
RESULTS = Path(__file__).parent / "results" / "abuse.md"
# What no worker may exceed (docs/developer.md's limits say why).
CEILING_MB = 300


def _nested(levels: int) -> str:
    inner = "slug"
    for _ in range(levels):
        inner = f"schoolSites {{ partners {{ edges {{ node {{ {inner} }} }} }} }}"
    return f"{{ partners(first: 100) {{ edges {{ node {{ {inner} }} }} }} }}"


HOSTILE = {
    "deep nesting (40 levels)": json.dumps({"query": _nested(20)}),
    "1,000 aliases": json.dumps(
        {
            "query": "{ "
            + " ".join(
                f"a{i}: partners(first: 100) {{ totalCount }}" for i in range(1000)
            )
            + " }"
        }
    ),
    "huge document (12,000 tokens, under the body limit)": json.dumps(
        {"query": "{ categories { " + "slug " * 12000 + "} }"}
    ),
    "cost bomb (100 x nested lists)": json.dumps({"query": _nested(3)}),
    "oversized body (1 MB)": json.dumps(
        {"query": "{ __typename }", "pad": "x" * 1_000_000}
    ),
    "not JSON": "{" * 2000,
}
NORMAL = json.dumps({"query": PAGE % 20})
# Issue 9's flood, with a school's partners as the connection they are now.
FLOOD = (
    "{ schoolSites { slug partners { edges { node { schoolSites { partners {"
    " edges { node { programs { slug partner { name } } id } } } } } } } } }"
)
# The heaviest nested lists under the cost limit, and the largest answers.
HEAVY = {
    "60 schools x 100 partners": (
        "{ schoolSites { partners(first: 100) { edges { node { name } } } } }"
    ),
    "schools x 3 partners x their schools x 3 partners": (
        "{ schoolSites { partners(first: 3) { edges { node { schoolSites {"
        " partners(first: 3) { edges { node { id } } } } } } } } }"
    ),
    "100 partners x their schools x 5 partners": (
        "{ partners(first: 100) { edges { node { schoolSites {"
        " partners(first: 5) { edges { node { name } } } } } } } }"
    ),
}


def _fan_out(levels: int) -> str:
    lines = ["fragment F0 on Partner { name }"]
    for i in range(1, levels + 1):
        lines.append(f"fragment F{i} on Partner {{ ...F{i - 1} ...F{i - 1} }}")
    lines.append(f"{{ partners(first: 1) {{ edges {{ node {{ ...F{levels} }} }} }} }}")
    return "\n".join(lines)


def _search(times: int) -> str:
    return (
        "{ "
        + " ".join(
            f'a{i}: programs(first: 100, filter: {{ search: "__VARY__{i}" }}) '
            "{ totalCount edges { node { name partner { name } } } }"
            for i in range(times)
        )
        + " }"
    )


# Each request of these is a document the server has not seen (bench/load.py
# fills in __VARY__), so no answer cache helps: every one is parsed, validated
# and kept, or refused.
DISTINCT = " ".join(
    f'query Q{k} {{ partner(slug: "s__VARY__-{k}") {{ name slug }} }}'
    for k in range(140)
)
FLOODS = {
    "distinct 10 KB documents (140 operations, ~1,960 tokens)": {
        "query": "# __VARY__\n" + DISTINCT,
        "operationName": "Q0",
    },
    "the fragment fan-out of issue 22 (F40)": {"query": "# __VARY__\n" + _fan_out(40)},
    "30 aliased text searches (issue 22)": {"query": _search(30)},
    "5 aliased text searches, the most allowed": {"query": _search(5)},
    "60 schools x 100 partners, the heaviest nested list": {
        "query": "# __VARY__\n"
        "{ schoolSites { partners(first: 100) { edges { node { name } } } } }"
    },
}
# The ordinary query, never the same twice: never answered from the cache.
ORDINARY = json.dumps({"query": "# __VARY__\n" + PAGE % 20})


def _serve_production(port: int, url: str, pinned: bool) -> subprocess.Popen[bytes]:
    """`partners serve --production` as a district runs it: its default workers,
    its answer cache on; on one core (`pinned`, the load on the other) or on any."""
    env = {"DATABASE_URL": url, "SITE_DIR": "/dev/null/no-site"}
    command = [sys.executable, "-m", "cli.main", "serve", "--production"]
    command += ["--port", str(port), "--no-publish"]
    return _start(command, env, port, pinned=pinned)


def _workers(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [int(p) for p in children.read_text().split()] if children.exists() else []
    return found or [pid]


class Peaks(threading.Thread):
    """Samples the workers' memory until stopped: the most each one held."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pids = _workers(pid)
        self.peaks = {p: _rss_mb(p) for p in self.pids}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            for pid in self.pids:
                try:
                    self.peaks[pid] = max(self.peaks[pid], _rss_mb(pid))
                except OSError:
                    pass

    def stop(self) -> list[float]:
        self.done.set()
        self.join()
        return [round(self.peaks[p], 1) for p in self.pids]


def _production_floods(url: str, pinned: bool) -> tuple[list[str], int, float, float]:
    """Each flood for 15 s on 16 connections, the ordinary query beside it: rows,
    5xx answers, the worst ordinary p99 and the highest worker peak."""
    port = free_port()
    server = _serve_production(port, url, pinned)
    rows, fivexx, worst, highest = [], 0, 0.0, 0.0
    try:
        _start_load(port, ORDINARY, 50, 1, pinned=pinned).communicate()  # warm
        base = [round(_rss_mb(p), 1) for p in _workers(server.pid)]
        rows.append(f"Workers' memory after warming up: {base} MB.")
        rows.append("")
        rows += ["| flood | load | requests | req/s | p50 ms | p99 ms | statuses |"]
        rows += ["| --- | --- | --- | --- | --- | --- | --- |"]
        peaks: list[float] = []
        for name, body in FLOODS.items():
            watch = Peaks(server.pid)
            watch.start()
            flood = _start_load(
                port, json.dumps(body), 1_000_000, 16, seconds=15, pinned=pinned
            )
            # the ordinary client has an address of its own, as families and
            # developers do (the flood's is limited: PARTNERS_ADDRESS_*)
            during = _start_load(
                port,
                ORDINARY,
                1_000_000,
                1,
                seconds=15,
                source="127.0.0.2",
                pinned=pinned,
                pause=0.1,  # ten a second: a developer's script, under its own limit
            )
            normal = json.loads(during.communicate()[0])
            flooded = json.loads(flood.communicate()[0])
            peaks = watch.stop()
            fivexx += _fivexx([normal, flooded])
            worst = max(worst, normal["p99_ms"])
            highest = max(highest, *peaks)
            rows.append(f"| {name} | " + table_row("the flood", flooded)[2:])
            rows.append(
                f"| (workers' peaks {peaks} MB) | "
                + table_row("ordinary query beside it", normal)[2:]
            )
    finally:
        server.terminate()
        server.wait()
    return rows, fivexx, worst, highest


def _start_load(
    port: int,
    body: str,
    requests: int,
    connections: int,
    seconds: float = 30,
    source: str | None = None,
    pinned: bool = True,
    pause: float = 0.0,
) -> subprocess.Popen[str]:
    path = WORK / f"body-{abs(hash(body))}.json"
    path.write_text(body)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.load",
            f"http://127.0.0.1:{port}/graphql",
            "--body-file",
            str(path),
            "--requests",
            str(requests),
            "--seconds",
            str(seconds),
            "--connections",
            str(connections),
            *(["--source", source] if source else []),
            *(["--pause", str(pause)] if pause else []),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=_pinned(1) if pinned else None,  # the server has the other core
    )


def _burst(port: int) -> tuple[list[str], int]:
    quiet = json.loads(_start_load(port, NORMAL, 200, 2).communicate()[0])
    burst = {name: _start_load(port, body, 400, 2) for name, body in HOSTILE.items()}
    during = _start_load(port, NORMAL, 400, 2)
    normal = json.loads(during.communicate()[0])
    hostile: dict[str, dict[str, Any]] = {
        name: json.loads(process.communicate()[0]) for name, process in burst.items()
    }
    rows = [
        table_row("ordinary query, alone", quiet),
        table_row("ordinary query, during the burst", normal),
        *(table_row(name, r) for name, r in hostile.items()),
    ]
    return rows, _fivexx([normal, *hostile.values()])


def _flood(port: int, query: str) -> tuple[list[str], int, dict[str, Any]]:
    """16 parallel copies of `query` for 30 s, the ordinary query beside them."""
    copies = _start_load(port, json.dumps({"query": query}), 1_000_000, 16)
    during = _start_load(port, NORMAL, 1_000_000, 1)
    normal = json.loads(during.communicate()[0])
    flood = json.loads(copies.communicate()[0])
    rows = [
        table_row("the flood (16 connections)", flood),
        table_row("ordinary query, during the flood", normal),
    ]
    return rows, _fivexx([normal, flood]), normal


def _fivexx(results: list[dict[str, Any]]) -> int:
    return sum(
        count
        for r in results
        for status, count in r["statuses"].items()
        if status.startswith("5")
    )


def _alone(port: int) -> list[str]:
    rows = []
    for name, query in {"issue 9's flood query": FLOOD, **HEAVY}.items():
        r = json.loads(
            _start_load(port, json.dumps({"query": query}), 10, 1).communicate()[0]
        )
        rows.append(table_row(name, r))
    return rows


async def _prepare_big(url: str) -> None:
    await migrate(url)
    async with database(url):
        await load_demo(partners=10_000, seed=1)


def _cache_fill(port: int, pid: int) -> list[str]:
    """Distinct copies of a large answer (a trailing comment makes each new) until
    the cache is full many times over; the worker's memory before and after."""
    before = _rss_mb(pid)
    query = (
        "{ partners(first: 100) { edges { node { slug name summary description "
        "website email phone categories { slug name description } programs { slug "
        "name description grades cost schoolSites { slug name } } } } } }"
    )
    sizes = set()
    rss = [before]
    for round_ in range(2):
        for n in range(400):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/graphql",
                data=json.dumps({"query": f"{query} #{round_}-{n}"}).encode(),
                headers={"content-type": "application/json"},
            )
            with urllib.request.urlopen(request) as response:
                sizes.add(len(response.read()))
        rss.append(_rss_mb(pid))
    cache_mb = current().cache_bytes / 2**20
    return [
        f"- Two rounds of 400 distinct queries, each answered with {max(sizes):,} "
        f"bytes (an entry may hold up to {current().cache_entry_bytes:,}, "
        f"`PARTNERS_CACHE_ENTRY_BYTES`). Worker RSS: {rss[0]:.1f} MB before, "
        f"{rss[1]:.1f} MB after the first round, {rss[2]:.1f} MB after the second.",
        f"- The cache holds at most {cache_mb:.0f} MB of answers "
        f"(`PARTNERS_CACHE_BYTES`); the worker grew by {rss[1] - rss[0]:.1f} MB "
        f"({(rss[1] - rss[0]) / cache_mb:.2f}x that, the allocator's share included) "
        "and then no more. Ceiling: the worker's own size plus about 1.5x "
        "`PARTNERS_CACHE_BYTES`.",
    ]


def run() -> tuple[str, list[str]]:
    """The results, and what broke the limits they are held to (none: a pass)."""
    WORK.mkdir(parents=True, exist_ok=True)
    url = f"sqlite://{WORK / 'abuse.sqlite3'}"
    (WORK / "abuse.sqlite3").unlink(missing_ok=True)
    asyncio.run(prepare(url))
    port = free_port()
    server = serve(port, url, cache=False)
    try:
        burst_rows, burst_5xx = _burst(port)
        flood_rows, flood_5xx, during = _flood(port, FLOOD)
        heavy_rows, heavy_5xx, heavy_during = _flood(
            port, HEAVY["60 schools x 100 partners"]
        )
        alone_small = _alone(port)
        alive = server.poll() is None
    finally:
        server.terminate()
        server.wait()
    big = f"sqlite://{WORK / 'abuse-10k.sqlite3'}"
    (WORK / "abuse-10k.sqlite3").unlink(missing_ok=True)
    asyncio.run(_prepare_big(big))
    port = free_port()
    server = serve(port, big, cache=False)
    try:
        alone_big = _alone(port)
    finally:
        server.terminate()
        server.wait()
    port = free_port()
    server = serve(port, url, cache=True)
    try:
        memory = _cache_fill(port, server.pid)
    finally:
        server.terminate()
        server.wait()
    production, production_5xx, worst, highest = _production_floods(url, False)
    one_core, one_core_5xx, one_core_worst, one_core_highest = _production_floods(
        url, True
    )
    production_5xx += one_core_5xx
    highest = max(highest, one_core_highest)
    slowest = max(
        (r for r in alone_small + alone_big if "'200'" in r),
        key=lambda r: float(r.split("|")[5]),
    )
    fivexx = burst_5xx + flood_5xx + heavy_5xx + production_5xx
    settings = current()  # the servers' too: they run in this environment
    header = "| load | requests | req/s | p50 ms | p99 ms | statuses |"
    rule = "| --- | --- | --- | --- | --- | --- |"
    lines = [
        "# Abuse check",
        "",
        "Command: `make bench-abuse`. One `partners serve --production --workers 1` "
        "(answer cache off) on one core, SQLite, 300 demo partners unless said "
        "otherwise. Load: `bench/load.py` in processes of their own, on the other "
        "core.",
        "",
        f"Result: {fivexx} responses with a 5xx; server still running: {alive}. "
        f"Ordinary query's p99 during issue 9's flood: {during['p99_ms']} ms; "
        f"during the floods on the production workers, {worst} ms at worst "
        f"(limit 1000 ms), {one_core_worst} ms with both workers on one core; the "
        f"highest worker peak {highest} MB (ceiling "
        f"{CEILING_MB} MB). The slowest accepted request alone: "
        f"{slowest.split('|')[1].strip()}, p99 {slowest.split('|')[5].strip()} ms.",
        "",
        "## Floods on the production workers",
        "",
        "`partners serve --production` as a district runs it (its default two "
        "workers, the answer cache on), SQLite, 300 demo partners, on this "
        "machine's two cores with the load beside it (below: both workers on one "
        "core, the load on the other). Each flood: 16 "
        "connections for 15 s; beside it, one connection sending the canonical "
        "20-partner query with a new comment each time (never cached), ten a "
        "second, from an "
        "address of its own (127.0.0.2; the flood's is limited to "
        f"{settings.address_burst} at once and {settings.address_per_second} a "
        "second a worker of "
        "what must run, `PARTNERS_ADDRESS_*`: the rest is answered 429). Memory: "
        "each worker's resident size, sampled every 0.2 s.",
        "",
        *production,
        "",
        "The same with both workers on one core and the load on the other:",
        "",
        *one_core,
        "",
        "## Hostile requests",
        "",
        "Six hostile loads (2 connections each, 400 requests or 30 s) at once beside "
        "an ordinary one (the canonical 20-partner query, 2 connections).",
        "",
        header,
        rule,
        *burst_rows,
        "",
        f"The body limit is {settings.max_body_bytes:,} bytes; a refused oversized "
        "body may close the connection (counted as `closed`) once the answer is "
        "sent.",
        "",
        "## Issue 9's nested-list flood",
        "",
        "16 connections sending the flood query for 30 s, one connection sending the "
        "canonical query beside them. The flood is refused by its cost before it "
        f"runs (limit {settings.max_cost:,}).",
        "",
        f"```graphql\n{FLOOD}\n```",
        "",
        header,
        rule,
        *flood_rows,
        "",
        "The same with the heaviest nested list the limit lets through (60 schools "
        "x 100 partners, ~327 KB at 10,000 partners). One worker shares one core "
        "between 16 such requests and the ordinary one, so the ordinary one waits: "
        "this is what more workers (`--workers`) and the answer cache are for.",
        "",
        header,
        rule,
        *heavy_rows,
        "",
        "## The heaviest nested lists allowed, one at a time",
        "",
        "Each query 10 times on one connection. The deadline is "
        f"{settings.deadline_seconds:g} "
        "s; none comes near it.",
        "",
        "At 300 partners:",
        "",
        header,
        rule,
        *alone_small,
        "",
        "At 10,000 partners:",
        "",
        header,
        rule,
        *alone_big,
        "",
        "## Memory while the answer cache fills (cache on)",
        "",
        *memory,
        "",
    ]
    broken = [
        said
        for said, wrong in [
            (f"{fivexx} answers with a 5xx", fivexx > 0),
            ("the server stopped", not alive),
            (f"the ordinary query's p99 was {worst} ms", worst >= 1000),
            (f"with one core, {one_core_worst} ms", one_core_worst >= 1000),
            (f"a worker held {highest} MB", highest > CEILING_MB),
        ]
        if wrong
    ]
    return "\n".join(lines), broken


def main() -> None:
    text, broken = run()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)
    if broken:
        sys.exit("bench-abuse: over its limits: " + "; ".join(broken))


if __name__ == "__main__":
    main()
