"""Benchmark the API as deployed: `partners serve --production --workers 1` on
loopback with the demo district, driven by bench/load.py from another process.

Figures: req/s and p50/p99 for the canonical directory query (20 partners with
categories, programs and their schools), a 100-partner page and a tiny query, each
uncached (answer cache off) and cached, beside a plain Starlette endpoint answering
the same bytes (the ceiling); and the server's memory across 10,000 requests.
Results go to bench/results/api.md.

    make bench-api
"""

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.site import free_port
from demo import load_demo
from models.db import database, migrate

ROOT = Path(__file__).parent.parent
WORK = ROOT / "var" / "bench" / "api"
RESULTS = Path(__file__).parent / "results" / "api.md"
PARTNERS = 300
PAGE = (
    "{ partners(first: %d) { edges { node { slug name summary categories { slug name }"
    " programs { slug name timing grades schoolSites { slug name } } } } } }"
)
QUERIES = {
    "canonical (20 partners)": PAGE % 20,
    "100-partner page": PAGE % 100,
    "tiny ({ __typename })": "{ __typename }",
}
REQUESTS = {
    "canonical (20 partners)": 1500,
    "100-partner page": 300,
    "tiny ({ __typename })": 5000,
}
CACHED_REQUESTS = 5000


def _start(
    command: list[str], env: dict[str, str], port: int
) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        command,
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError as error:
            if getattr(error, "code", None) == 404:  # the ceiling has no /healthz
                return server
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"{command} did not start")


def serve(port: int, url: str, cache: bool) -> subprocess.Popen[bytes]:
    env = {"DATABASE_URL": url, "SITE_DIR": "/nonexistent"}
    if not cache:
        env["PARTNERS_CACHE_ENTRIES"] = "0"
    command = [
        sys.executable,
        "-m",
        "cli.main",
        "serve",
        "--production",
        "--workers",
        "1",
        "--port",
        str(port),
        "--no-publish",
    ]
    return _start(command, env, port)


def _load(port: int, query: str, requests: int) -> dict[str, Any]:
    body = json.dumps({"query": query})
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.load",
            f"http://127.0.0.1:{port}/graphql",
            "--body",
            body,
            "--requests",
            str(requests),
            "--seconds",
            "20",
            "--connections",
            "8",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def prepare(url: str) -> None:
    await migrate(url)
    async with database(url):
        await load_demo(partners=PARTNERS, seed=1)


def _measure(port: int, requests: dict[str, int]) -> dict[str, dict[str, Any]]:
    figures = {}
    for name, query in QUERIES.items():
        _load(port, query, 100)  # warm up: caches, connections, the interpreter
        figures[name] = _load(port, query, requests[name])
    return figures


def run() -> str:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    url = f"sqlite://{WORK / 'partners.sqlite3'}"
    asyncio.run(prepare(url))
    rows: list[str] = []
    memory: list[str] = []
    for label, cache in (("uncached", False), ("cached", True)):
        port = free_port()
        server = serve(port, url, cache)
        try:
            counts = REQUESTS if not cache else dict.fromkeys(QUERIES, CACHED_REQUESTS)
            for name, r in _measure(port, counts).items():
                rows.append(table_row(f"{name}, {label}", r))
            before = _rss_mb(server.pid)
            query = QUERIES[
                "canonical (20 partners)" if cache else "tiny ({ __typename })"
            ]
            soak = _load(port, query, 10_000)
            after = _rss_mb(server.pid)
            memory.append(
                f"- {label} server, 10,000 more requests "
                f"({'canonical' if cache else 'tiny'} query, {soak['rps']} req/s): "
                f"RSS {before:.1f} MB before, {after:.1f} MB after"
            )
            if label == "uncached":
                body = urllib.request.urlopen(
                    urllib.request.Request(
                        f"http://127.0.0.1:{port}/graphql",
                        data=json.dumps(
                            {"query": QUERIES["canonical (20 partners)"]}
                        ).encode(),
                        headers={"content-type": "application/json"},
                    )
                ).read()
                (WORK / "canonical.json").write_bytes(body)
        finally:
            server.terminate()
            server.wait()
    port = free_port()
    ceiling = _start(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.ceiling:app",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        {"CEILING_BODY": str(WORK / "canonical.json")},
        port,
    )
    try:
        _load(port, "{}", 100)
        rows.append(
            table_row(
                "plain Starlette JSON, same bytes (ceiling)",
                _load(port, "{}", CACHED_REQUESTS),
            )
        )
    finally:
        ceiling.terminate()
        ceiling.wait()
    size = (WORK / "canonical.json").stat().st_size
    return "\n".join(
        [
            "# API throughput and latency",
            "",
            f"Machine: {os.cpu_count()} cores. Command: `make bench-api`. Server: "
            "`partners serve --production --workers 1` (uvicorn, uvloop, httptools), "
            f"SQLite, demo district of {PARTNERS} partners. Load: `bench/load.py` in "
            "its own process, 8 keep-alive connections, POST. Uncached = answer cache "
            f"off (`PARTNERS_CACHE_ENTRIES=0`). Canonical answer: {size:,} bytes.",
            "",
            "| query | requests | req/s | p50 ms | p99 ms | statuses |",
            "| --- | --- | --- | --- | --- | --- |",
            *rows,
            "",
            "Memory:",
            "",
            *memory,
            "",
        ]
    )


def table_row(name: str, r: dict[str, Any]) -> str:
    return (
        f"| {name} | {r['requests']:,} | {r['rps']:,} | {r['p50_ms']} | "
        f"{r['p99_ms']} | {r['statuses']} |"
    )


def main() -> None:
    text = run()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
