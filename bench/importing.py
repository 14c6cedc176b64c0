"""Benchmark importing the office's spreadsheet: time and peak memory of
`partners import --dry-run` at growing sizes, and of a real import.

Each run is its own process (`partners import` in-process, then its peak resident
memory from the kernel), against a fresh SQLite database holding the demo
district. The file: two rows a partner, one program a row, every column filled,
all new partners (the most a file can ask of the checks). The issue's promise is
that a 100,000-row file is checked in under a minute with memory that does not
grow with the file: the figures compare each peak with the smallest file's, in
the same run. Results go to bench/results/import.md.

    make bench-import
    .venv/bin/python -m bench.importing 1000 20000
"""

import csv
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).parent.parent
WORK = ROOT / "var" / "bench" / "import"
RESULTS = Path(__file__).parent / "results" / "import.md"
DRY_SIZES = (1_000, 10_000, 100_000)
WRITE_SIZES = (1_000, 10_000)
EXAMPLE = ROOT / "examples" / "partners.csv"


def write_file(path: Path, rows: int) -> None:
    """`rows` rows: rows / 2 new partners, each with two programs."""
    with EXAMPLE.open(newline="") as handle:
        first, second = list(csv.DictReader(handle))[:2]
    with path.open("w", newline="") as handle:
        out = csv.DictWriter(handle, fieldnames=list(first))
        out.writeheader()
        for number in range(rows):
            partner, template = number // 2, (first, second)[number % 2]
            slug = f"bench-partner-{partner:06d}"
            out.writerow(
                {
                    **template,
                    "slug": slug,
                    "name": f"Bench Partner {partner:06d}",
                    "program": f"{slug}-{number % 2}",
                }
            )


def child(file: str, dry_run: bool) -> None:
    """In a fresh process: the import, then its time and peak memory as JSON."""
    from cli.main import main

    argv = ["import", file, "--by", "Bench"] + (["--dry-run"] if dry_run else [])
    started = time.perf_counter()
    code = main(argv)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    print(json.dumps({"code": code, "seconds": seconds, "peak_mb": peak}))


def database(name: str) -> str:
    """A fresh database with the demo district; its URL."""
    path = WORK / f"{name}.sqlite3"
    path.unlink(missing_ok=True)
    url = f"sqlite://{path}"
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "cli.main", "migrate"], env=env, check=True, cwd=ROOT
    )
    subprocess.run(
        [sys.executable, "-m", "cli.main", "demo", "--partners", "50"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return url


def measure(rows: int, dry_run: bool) -> dict[str, float]:
    file = WORK / f"partners-{rows}.csv"
    if not file.exists():
        write_file(file, rows)
    url = database(f"{'dry' if dry_run else 'write'}-{rows}")
    done = subprocess.run(
        [sys.executable, "-m", "bench.importing", "--child", str(file)]
        + (["--dry-run"] if dry_run else []),
        env={**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["code"] != 0:
        raise SystemExit(f"import of {rows:,} rows failed:\n{done.stderr}")
    return figures


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        child(argv[1], "--dry-run" in argv)
        return
    dry_sizes = tuple(int(a) for a in argv) or DRY_SIZES
    WORK.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Importing the office's spreadsheet",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}. "
        "Command: `make bench-import`. Each import is its own process "
        "(`partners import`, SQLite, the demo district of 50 partners); peak = its "
        "peak resident memory. File: two rows a partner, a program a row, every "
        "column filled, all new. All figures from one run; compare the ratios.",
        "",
        "| rows | mode | seconds | peak MB | peak ÷ smallest file's |",
        "| --- | --- | --- | --- | --- |",
    ]
    for dry_run, sizes in ((True, dry_sizes), (False, WRITE_SIZES)):
        base = 0.0
        for rows in sizes:
            figures = measure(rows, dry_run)
            base = base or figures["peak_mb"]
            mode = "dry run" if dry_run else "import"
            lines.append(
                f"| {rows:,} | {mode} | {figures['seconds']:.1f} | "
                f"{figures['peak_mb']:.1f} | {figures['peak_mb'] / base:.2f} |"
            )
            print(lines[-1], flush=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main(sys.argv[1:])
