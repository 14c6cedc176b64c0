"""Abuse check: while bursts of hostile requests hit `partners serve`, ordinary
queries keep answering and nothing returns a 5xx. Bounded in requests and time,
loopback only. Results go to bench/results/abuse.md.

    make bench-abuse
"""

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.api import PAGE, WORK, prepare, serve, table_row
from bench.site import free_port
from models.settings import MAX_BODY_BYTES

ROOT = Path(__file__).parent.parent
RESULTS = Path(__file__).parent / "results" / "abuse.md"


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


def _start_load(
    port: int, body: str, requests: int, connections: int
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
            "30",
            "--connections",
            str(connections),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def run() -> str:
    WORK.mkdir(parents=True, exist_ok=True)
    url = f"sqlite://{WORK / 'abuse.sqlite3'}"
    (WORK / "abuse.sqlite3").unlink(missing_ok=True)
    asyncio.run(prepare(url))
    port = free_port()
    server = serve(port, url, cache=False)
    try:
        quiet = json.loads(_start_load(port, NORMAL, 200, 2).communicate()[0])
        burst = {
            name: _start_load(port, body, 400, 2) for name, body in HOSTILE.items()
        }
        during = _start_load(port, NORMAL, 400, 2)
        normal = json.loads(during.communicate()[0])
        hostile: dict[str, dict[str, Any]] = {
            name: json.loads(process.communicate()[0])
            for name, process in burst.items()
        }
        alive = server.poll() is None
    finally:
        server.terminate()
        server.wait()
    fivexx = sum(
        count
        for r in [normal, *hostile.values()]
        for status, count in r["statuses"].items()
        if status.startswith("5")
    )
    lines = [
        "# Abuse check",
        "",
        "Command: `make bench-abuse`. One `partners serve --production --workers 1` "
        "(answer cache off), SQLite, 300 demo partners. Six hostile loads "
        "(2 connections each, 400 requests or 30 s) run at once beside an ordinary one "
        "(the canonical 20-partner query, 2 connections).",
        "",
        f"Result: {fivexx} responses with a 5xx; server still running: {alive}.",
        "",
        "| load | requests | req/s | p50 ms | p99 ms | statuses |",
        "| --- | --- | --- | --- | --- | --- |",
        table_row("ordinary query, alone", quiet),
        table_row("ordinary query, during the burst", normal),
        *(table_row(name, r) for name, r in hostile.items()),
        "",
        f"The body limit is {MAX_BODY_BYTES:,} bytes; a refused oversized body may "
        "close the connection (counted as `closed`) once the answer is sent.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    text = run()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)
    if "Result: 0 responses with a 5xx; server still running: True." not in text:
        sys.exit(1)


if __name__ == "__main__":
    main()
