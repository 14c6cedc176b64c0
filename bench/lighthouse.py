"""Lighthouse's four scores (mobile) for the directory's pages in every language.

Builds the demo district's site (a fresh SQLite database, 200 partners), serves it
with `partners serve` (gzip and headers as in production), and runs Lighthouse,
installed by `make lighthouse` into .lighthouse/, in Debian's Chromium against
each page in each of the site's languages. Results go to
bench/results/lighthouse.txt.

    make lighthouse
    .venv/bin/python -m bench.lighthouse                      # the default pages
    .venv/bin/python -m bench.lighthouse "" "a-z/" "about/"   # these pages
    .venv/bin/python -m bench.lighthouse --runs 1 ""          # once each

Each page is measured three times and the run with the median performance score
is kept, as Lighthouse's own guidance (and LHCI) advise: on a busy two-core machine
one run's blocking time varies by tens of milliseconds.

A page is a path under each language's home: "" is the home page, "?q=…" a
search (`{word}` in it is the demo's word for tutoring in the page's language),
"{partner}" and "{school}" the demo's longest partner and school pages,
"{school}flyer/" that school's flyer (the page that prints).
"""

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from bench.site import LANGUAGES, WORDS, free_port, serve
from demo import load_demo
from directory_site.build import build
from directory_site.pages import Site
from models.clock import district_today
from models.db import database, migrate

ROOT = Path(__file__).parent.parent
WORK = ROOT / "var" / "lighthouse"
LIGHTHOUSE = ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
RESULTS = Path(__file__).parent / "results" / "lighthouse.txt"
CHROMIUM = "/usr/bin/chromium"
PARTNERS = 200
PAGES = ["", "?q={word}", "{partner}", "{school}", "{school}flyer/"]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


@dataclass
class Score:
    url: str
    scores: dict[str, int]  # each category, 0 to 100
    shift: float  # cumulative layout shift
    paint: float  # largest contentful paint, seconds (simulated)


async def prepare(url: str, out: Path, base: str) -> None:
    await migrate(url)
    async with database(url):
        day = district_today()
        await load_demo(partners=PARTNERS, seed=1, today=day)
        site = Site(
            district="Riverton Public Schools", base="/", url=base, languages=LANGUAGES
        )
        await build(out, site, day)


def _longest(site: Path, folder: str) -> str:
    """The path of the largest English page under `folder`: the longest of its
    kind, the one most likely to be slow or to overflow a phone."""
    pages = sorted(
        (-path.stat().st_size, path.parent.name)
        for path in (site / folder).glob("*/index.html")
    )
    return f"{folder}/{pages[0][1]}/"


def measure(url: str, report: Path) -> Score:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
    )
    result = json.loads(report.read_text())
    audits = result["audits"]
    return Score(
        url=url,
        scores={
            key: round(100 * (result["categories"][key]["score"] or 0))
            for key in CATEGORIES
        },
        shift=audits["cumulative-layout-shift"]["numericValue"],
        paint=audits["largest-contentful-paint"]["numericValue"] / 1000,
    )


def median(url: str, runs: int, report: str) -> Score:
    """The run, of `runs`, with the median performance score; each run's report
    is kept in WORK (`report`-N.json)."""
    scores = sorted(
        (measure(url, WORK / f"{report}-{run}.json") for run in range(runs)),
        key=lambda s: s.scores["performance"],
    )
    return scores[len(scores) // 2]


def write(scores: list[Score], version: str, runs: int) -> str:
    lines = [
        f"Lighthouse {version}, mobile (its default: a mid-range phone, simulated "
        f"slow 4G), Chromium {CHROMIUM} headless; `make lighthouse`, the demo "
        f"district with {PARTNERS} partners served by `partners serve`; each "
        f"page's median of {runs} runs (by performance).",
        "",
        f"{'page':<58} perf a11y best  seo   CLS   LCP",
    ]
    for s in scores:
        path = s.url.split("/", 3)[3] or "/"
        values = " ".join(f"{s.scores[key]:>4}" for key in CATEGORIES)
        lines.append(f"{path:<58} {values} {s.shift:5.2f} {s.paint:4.1f}s")
    perfect = sum(all(v == 100 for v in s.scores.values()) for s in scores)
    lines += ["", f"{perfect} of {len(scores)} pages score 100 in all four."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="paths under each language's home")
    parser.add_argument("--runs", type=int, default=3, help="runs per page")
    args = parser.parse_args()
    pages = args.pages or PAGES
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: `make lighthouse` installs it")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    url = f"sqlite://{WORK / 'partners.sqlite3'}"
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    site = WORK / "site"
    asyncio.run(prepare(url, site, base))
    places = {
        "partner": _longest(site, "partners"),
        "school": _longest(site, "schools"),
    }
    version = subprocess.run(
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    server = serve(url, site, port)
    scores: list[Score] = []
    try:
        for language in LANGUAGES:
            home = base + ("" if language == "en" else f"{language}/")
            for page in pages:
                path = page.format(word=quote(WORDS[language]), **places)
                score = median(home + path, args.runs, f"report-{len(scores)}")
                print(score.url, score.scores, file=sys.stderr)
                scores.append(score)
    finally:
        server.terminate()
        server.wait()
    text = write(scores, version, args.runs)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text, end="")


if __name__ == "__main__":
    main()
