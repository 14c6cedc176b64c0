"""Benchmark the directory build against another commit, in the same run.

One SQLite database with the demo district at N partners; then `build-site`'s
build() in the district's four languages, for this checkout and for a git
worktree of the other commit in turn, each build in its own process and into a
folder of its own (nothing is deleted between builds: ext4 makes creating files
slow for a while after many were deleted, and that would charge one side for
the other's clean-up). Each round builds both, the other commit first; the table
keeps every run and each side's best, and says whether the two sides' files
are byte-identical (the build's id is a digest of every file but build.json, and
the trees are compared file by file): a change that only makes the build faster
passes --same-site, which fails the run unless they are. Results go to
bench/results/build.md.

    make bench-build                                   # 10,000 partners
    .venv/bin/python -m bench.build 1000 --against 6c0bab0 --rounds 2
    .venv/bin/python -m bench.build --against HEAD --same-site
"""

import argparse
import asyncio
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from demo import load_demo
from models.clock import district_today
from models.db import database, migrate

ROOT = Path(__file__).parent.parent
WORK = ROOT / "var" / "bench" / "build"
RESULTS = Path(__file__).parent / "results" / "build.md"
# The commit the build issue measured ("today's 22.5 s"): the last before #14.
BASELINE = "801cb6c"
LANGUAGES = ("en", "es", "so", "hmn")

# Run in a checkout's folder (its packages first on the path): one build,
# timed, with the CPU of the process and of every worker it waited for.
ONE_BUILD = """
import asyncio, json, resource, sys, time
from datetime import date
from pathlib import Path
from directory_site.build import build
from directory_site.pages import Site
from models.db import database

def cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

async def main(url, out, day, languages):
    async with database(url):
        site = Site(district="Riverton Public Schools", base="/",
                    url="http://127.0.0.1/", languages=tuple(languages))
        started, used = time.perf_counter(), cpu()
        summary = await build(Path(out), site, date.fromisoformat(day))
        print(json.dumps({"seconds": time.perf_counter() - started,
                          "cpu": cpu() - used, "pages": summary.pages}))

if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4], sys.argv[4].split(",")))
"""


def worktree(commit: str) -> Path:
    """A checkout of `commit` beside this one, made once."""
    folder = WORK / f"at-{commit}"
    if not (folder / "directory_site").is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--force", str(folder), commit],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
    return folder


def run_build(checkout: Path, url: str, out: Path, day: str) -> dict[str, Any]:
    answer = subprocess.run(
        [sys.executable, "-c", ONE_BUILD, url, str(out), day, ",".join(LANGUAGES)],
        cwd=checkout, env={**os.environ, "PYTHONPATH": str(checkout)},
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(answer.stdout.strip().splitlines()[-1])
    served = out.resolve()
    result["build"] = json.loads((served / "build.json").read_text())["build"]
    result["tree"] = tree_digest(served)
    result["files"] = sum(1 for path in served.rglob("*") if path.is_file())
    return result


def tree_digest(folder: Path) -> str:
    """Every file's path and bytes, but build.json (it says when it was built)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "build.json":
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


async def prepare(url: str, partners: int) -> str:
    await migrate(url)
    async with database(url):
        day = district_today()
        await load_demo(partners=partners, seed=1, today=day)
    return day.isoformat()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("partners", type=int, nargs="?", default=10_000)
    parser.add_argument("--against", default=BASELINE)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--same-site",
        action="store_true",
        help="fail unless both commits build byte-identical sites",
    )
    args = parser.parse_args()
    shutil.rmtree(WORK / "runs", ignore_errors=True)
    (WORK / "runs").mkdir(parents=True)
    database_file = WORK / "runs" / "district.sqlite3"
    url = f"sqlite://{database_file}"
    day = asyncio.run(prepare(url, args.partners))
    sides = {args.against: worktree(args.against), "this checkout": ROOT}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in sides}
    for round_ in range(1, args.rounds + 1):
        for name, checkout in sides.items():
            out = WORK / "runs" / f"{name.replace(' ', '-')}-{round_}" / "site"
            result = run_build(checkout, url, out, day)
            runs[name].append(result)
            print(f"round {round_} {name}: {result['seconds']:.1f} s, "
                  f"{result['cpu']:.1f} s CPU", flush=True)  # fmt: skip
    trees = {r["tree"] for side in runs.values() for r in side}
    builds = {r["build"] for side in runs.values() for r in side}
    write_results(args, runs, identical=len(trees) == 1 and len(builds) == 1)
    shutil.rmtree(WORK / "runs", ignore_errors=True)


def write_results(
    args: argparse.Namespace, runs: dict[str, list[dict[str, Any]]], identical: bool
) -> None:
    old, new = runs.values()
    best_old = min(r["seconds"] for r in old)
    best_new = min(r["seconds"] for r in new)
    lines = [
        "# Directory build, this checkout against another commit",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.python_version()}. Command: "
        f"`make bench-build` ({args.partners:,} demo partners, the site in "
        f"{', '.join(LANGUAGES)}; {args.rounds} rounds, `{args.against}` first in "
        "each). Each build in its own process, into a folder of its own on the "
        "project's disk; seconds from the call to build() until it returned, CPU "
        "of the builder and its workers together.",
        "",
        f"| round | `{args.against}` | this checkout |",
        "| --- | --- | --- |",
        *(
            f"| {i} | {a['seconds']:.1f} s ({a['cpu']:.1f} s CPU) | "
            f"{b['seconds']:.1f} s ({b['cpu']:.1f} s CPU) |"
            for i, (a, b) in enumerate(zip(old, new, strict=True), 1)
        ),
        f"| best | {best_old:.1f} s | {best_new:.1f} s |",
        "",
        f"This checkout's best is **{best_new / best_old:.2f}** × `{args.against}`'s "
        f"(the same machine, the same run). Pages: {old[0]['pages']:,} and "
        f"{new[0]['pages']:,}; files: {old[0]['files']:,} and {new[0]['files']:,}. "
        "Output "
        + (
            "byte-identical: every build gave the same id and the same files."
            if identical
            else "not identical: the two commits build different sites."
        ),
        "",
    ]
    RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))
    if args.same_site and not identical:
        sys.exit("the two commits built different sites")


if __name__ == "__main__":
    main()
