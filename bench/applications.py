"""A flood of applications to become a partner, beside the ordinary query: 30 s
of `applyToBecomePartner` (every one a new organization and e-mail, so none is
a duplicate) from one address on 8 connections, and from 8 more addresses on 2
connections each, against `partners serve --production` on SQLite with 300 demo
partners. Held to: the ordinary query's p99 under 1 s, no 5xx, and the database
grown by no more than its stated bound (models/application.py: the hour's
applications, each at its largest). Results go to
bench/results/applications.md.

    make bench-abuse        # runs bench/abuse.py, then this
    .venv/bin/python -m bench.applications
"""

import asyncio
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

from bench.abuse import ORDINARY, _fivexx, _serve_production, _start_load
from bench.api import WORK, prepare, table_row
from bench.site import free_port
from models.application import stored_bytes
from models.settings import current

RESULTS = Path(__file__).parent / "results" / "applications.md"
SECONDS = 30
APPLY = {
    "query": "mutation A($input: ApplicationInput!) { applyToBecomePartner("
    "input: $input) { received errors { field message } } }",
    "variables": {
        "input": {
            "organization": "Flood Club __VARY__",
            "summary": "An application sent by the flood, " + "x" * 200,
            "contactName": "Flood",
            "contactEmail": "flood__VARY__@example.org",
            "categories": ["extended-learning"],
            "attestations": ["insurance", "background_checks"],
            "programs": [
                {
                    "name": "Flood program",
                    "description": "y" * 2000,
                    "serviceTypes": ["tutoring"],
                    "gradeMin": 3,
                    "gradeMax": 8,
                }
            ],
        }
    },
}
ADDRESSES = [f"127.0.0.{n}" for n in range(10, 18)]


def _database(path: Path) -> tuple[int, int]:
    """The applications in the database, and its size in bytes once its
    write-ahead log is written back (the log is reused, not grown, by SQLite)."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (count,) = db.execute("SELECT count(*) FROM application").fetchone()
    return int(count), path.stat().st_size


def run() -> tuple[str, list[str]]:
    WORK.mkdir(parents=True, exist_ok=True)
    file = WORK / "applications.sqlite3"
    for old in file.parent.glob(file.name + "*"):
        old.unlink()
    url = f"sqlite://{file}"
    asyncio.run(prepare(url))
    before = _database(file)
    port = free_port()
    server = _serve_production(port, url, pinned=False)
    body = json.dumps(APPLY)
    try:
        _start_load(port, ORDINARY, 50, 1, pinned=False).communicate()  # warm
        floods = [_start_load(port, body, 1_000_000, 8, SECONDS, pinned=False)]
        floods += [
            _start_load(port, body, 1_000_000, 2, SECONDS, source=a, pinned=False)
            for a in ADDRESSES
        ]
        during = _start_load(
            port, ORDINARY, 1_000_000, 1, SECONDS, source="127.0.0.2",
            pinned=False, pause=0.1,
        )  # fmt: skip
        normal = json.loads(during.communicate()[0])
        flooded = [json.loads(f.communicate()[0]) for f in floods]
        alive = server.poll() is None
    finally:
        server.terminate()
        server.wait()
    after = _database(file)
    return _report(normal, flooded, before, after, alive)


def _report(
    normal: dict[str, Any],
    flooded: list[dict[str, Any]],
    before: tuple[int, int],
    after: tuple[int, int],
    alive: bool,
) -> tuple[str, list[str]]:
    settings = current()
    taken = after[0] - before[0]
    grown = after[1] - before[1]
    # the most the flood could write: an hour's applications, each at its largest
    bound = settings.applications_per_hour * stored_bytes(settings.max_body_bytes)
    fivexx = _fivexx([normal, *flooded])
    statuses: dict[str, int] = {}
    for result in flooded:
        for status, count in result["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    lines = [
        "# A flood of applications",
        "",
        "Command: `make bench-abuse` (after bench/abuse.py) or `.venv/bin/python -m "
        "bench.applications`. `partners serve --production` (two workers, the "
        "answer cache on), SQLite, 300 demo partners, the load on the same two "
        "cores.",
        "",
        f"For {SECONDS} s, `applyToBecomePartner` with a new organization and "
        "e-mail every time (no duplicates): from one address on 8 connections, "
        f"and from {len(ADDRESSES)} more on 2 connections each. Beside it, the "
        "canonical 20-partner query, never cached, ten a second from an address "
        "of its own.",
        "",
        f"Result: {fivexx} responses with a 5xx; server still running: {alive}. "
        f"The ordinary query's p99: {normal['p99_ms']} ms (limit 1000 ms). "
        f"Applications taken: {taken} (bounds: {settings.applications_per_address} "
        f"a day an address, {settings.applications_per_hour} an hour in all, "
        f"{settings.applications_waiting} waiting). The database grew by "
        f"{grown:,} bytes ({grown // max(taken, 1):,} an application), within its "
        f"bound of {bound:,} (an hour's applications at their largest, "
        "`models/application.py`).",
        "",
        "| load | requests | req/s | p50 ms | p99 ms | statuses |",
        "| --- | --- | --- | --- | --- | --- |",
        table_row("ordinary query beside the flood", normal),
        table_row("the flood, one address (8 connections)", flooded[0]),
        *(
            table_row(f"the flood from {a} (2 connections)", r)
            for a, r in zip(ADDRESSES, flooded[1:], strict=True)
        ),
        "",
        f"Every flood request's status: {statuses}.",
        "",
    ]
    broken = [
        said
        for said, wrong in [
            (f"{fivexx} answers with a 5xx", fivexx > 0),
            ("the server stopped", not alive),
            (
                f"the ordinary query's p99 was {normal['p99_ms']} ms",
                normal["p99_ms"] >= 1000,
            ),
            (f"{taken} applications taken", taken > settings.applications_per_hour),
            (f"the database grew by {grown:,} bytes", grown > bound),
        ]  # fmt: skip
        if wrong
    ]
    return "\n".join(lines), broken


def main() -> None:
    text, broken = run()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)
    if broken:
        sys.exit("bench-applications: over its limits: " + "; ".join(broken))


if __name__ == "__main__":
    main()
