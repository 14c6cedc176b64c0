"""What families see, in a real Chromium: search, facets, no-JS browsing, and
accessibility (axe-core, WCAG 2.0/2.1 A and AA) at phone and desktop widths."""

import asyncio
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from tortoise.context import tortoise_test_context

import models as m
from directory_site.build import build
from directory_site.pages import Site
from models.db import MODEL_MODULES
from tests.district import DAY, build_district

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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
AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
HOSTILE = 'City Arts <img src=x onerror="window.pwned=1">'

if not Path(CHROMIUM).exists():
    if os.environ.get("REQUIRE_BROWSER"):
        raise RuntimeError(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


async def _build(out: Path) -> None:
    async with tortoise_test_context(MODEL_MODULES):
        await build_district(DAY)
        await m.Partner.filter(slug="city-arts").update(name=HOSTILE)
        await build(
            out,
            Site(district="Riverton Public Schools", base="/", url="http://127.0.0.1/"),
            DAY,
        )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("browser") / "site"
    # pytest-asyncio keeps a loop running here, so the build gets a thread of its own
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _build(out)).result()
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(5000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def result_names(page: Page, count: int) -> list[str]:
    links = page.locator("#results-list .card-title a")
    expect(links).to_have_count(count)
    return links.all_inner_texts()


def test_a_search_for_a_service_finds_its_partners(page: Page, site_url: str) -> None:
    page.goto(site_url)
    page.get_by_label("What are you looking for?").fill("tutoring")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-status")).to_have_text("2 partners match “tutoring”.")
    # the partner with the word in its name comes first
    assert result_names(page, 2) == ["Bright Minds Tutoring", "Mentor Match"]
    assert "q=tutoring" in page.url


def test_a_facet_narrows_the_results_and_the_url_keeps_it(
    page: Page, site_url: str
) -> None:
    page.goto(site_url + "?q=tutoring")
    expect(page.locator("#results-status")).to_contain_text("2 partners")
    page.get_by_text("Narrow by service, school, grade").click()  # folded on phones
    page.get_by_label("School").select_option("lake-middle")
    expect(page.locator("#results-status")).to_have_text(
        "1 partner matches “tutoring”, Lake Middle."
    )
    assert result_names(page, 1) == ["Mentor Match"]
    assert "school=lake-middle" in page.url
    page.reload()
    expect(page.get_by_label("School")).to_have_value("lake-middle")
    expect(page.locator("#results-list .card")).to_have_count(1)


def test_a_facet_alone_browses_without_words(page: Page, site_url: str) -> None:
    page.goto(site_url + "?language=so")
    expect(page.locator("#results-status")).to_have_text(
        "1 partner matches Somali (Soomaali)."
    )
    assert result_names(page, 1) == ["Harbor Counseling"]


def test_no_results_says_what_to_try(page: Page, site_url: str) -> None:
    page.goto(site_url + "?q=xylophone")
    expect(page.locator("#results-status")).to_have_text(
        "No partners match “xylophone”. Try fewer or shorter words, another "
        "spelling, or clear a filter."
    )


def test_partner_text_in_results_is_only_text(page: Page, site_url: str) -> None:
    page.goto(site_url + "?q=arts")
    expect(page.locator("#results-list .card")).to_have_count(1)
    assert result_names(page, 1) == [HOSTILE]
    assert page.evaluate("window.pwned") is None


def test_every_partner_is_reachable_without_javascript(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    expect(page.locator("#search")).to_be_hidden()
    page.get_by_role("link", name="Tutoring").first.click()
    page.get_by_role("link", name="Mentor Match").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentor Match")
    page.goto(site_url + "a-z/")
    names = page.locator(".card-title a").all_inner_texts()
    assert sorted(names) == sorted(
        ["Bright Minds Tutoring", HOSTILE, "Harbor Counseling", "Mentor Match"]
    )
    context.close()


PAGES = {
    "home": "",
    "search results": "?q=tutoring&grade=3",
    "partner": "partners/mentor-match/",
    "school": "schools/cedar-elementary/",
    "service": "services/tutoring/",
    "A–Z": "a-z/",
    "about": "about/",
    "not found": "404.html",
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_accessibility_violations(
    browser: Browser, site_url: str, name: str, width: str
) -> None:
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h})
    page = context.new_page()
    page.goto(site_url + PAGES[name])
    if name == "search results":
        expect(page.locator("#results-list .card").first).to_be_visible()
    page.add_script_tag(path=str(AXE))
    report = page.evaluate(
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
    )
    context.close()
    violations = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in report["violations"]
    ]
    assert violations == []
    assert report["passes"], "axe ran no checks"
