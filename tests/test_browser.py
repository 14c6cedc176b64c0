"""What families see, in a real Chromium: search, facets, no-JS browsing, the
site in each of the district's languages, a phone's layout, and accessibility
(axe-core, WCAG 2.0/2.1 A and AA) at phone and desktop widths."""

import asyncio
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

import models as m
from directory_site.build import build
from directory_site.messages import translations
from directory_site.pages import NATIVE, Site
from tests.conftest import fresh_database
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
WIDTHS = {"phone": (360, 740), "desktop": (1280, 900)}
HOSTILE = 'City Arts <img src=x onerror="window.pwned=1">'
LANGUAGES = ("en", "es", "so", "hmn")
PREFIX = {"en": "", "es": "es/", "so": "so/", "hmn": "hmn/"}
LONG_URL = "https://example.org/" + "a-very-long-unbroken-address" * 6

if not Path(CHROMIUM).exists():
    if os.environ.get("REQUIRE_BROWSER"):
        raise RuntimeError(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


def riverton() -> Site:
    """The test district's site in the four languages, as the browser tests serve
    it."""
    return Site(
        district="Riverton Public Schools",
        base="/",
        url="http://127.0.0.1/",
        languages=LANGUAGES,
    )


def axe(page: Page) -> tuple[list[Any], dict[str, Any]]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page (id, help, the first
    three targets), and its whole report."""
    page.add_script_tag(path=str(AXE))
    report: dict[str, Any] = page.evaluate(
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
    )
    violations = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in report["violations"]
    ]
    return violations, report


async def _build(out: Path) -> None:
    async with fresh_database():
        await build_district(DAY)
        await m.Partner.filter(slug="city-arts").update(name=HOSTILE)
        await m.Partner.filter(slug="mentor-match").update(website=LONG_URL)
        # shares words with Lake Middle, but runs no program there
        await m.Partner.filter(slug="bright-minds").update(
            description="Homework help in small groups, by the lake and the middle "
            "school."
        )
        await build(out, riverton(), DAY)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def served(
    out: Path, build: Callable[[Path], Coroutine[Any, Any, None]]
) -> Iterator[str]:
    """The site `build` writes to OUT, served on a free port: its base URL."""
    # pytest-asyncio keeps a loop running here, so the build gets a thread of its own
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, build(out)).result()
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from served(tmp_path_factory.mktemp("browser") / "site", _build)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 360, "height": 740})
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
        "1 partner matches Af-Soomaali (Somali)."
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
    "become a partner": "apply/",
    "thanks for applying": "apply/thanks/",
    "not found": "404.html",
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_accessibility_violations(
    browser: Browser, site_url: str, name: str, width: str, language: str
) -> None:
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h})
    page = context.new_page()
    page.goto(site_url + PREFIX[language] + PAGES[name])
    if name == "search results":
        expect(page.locator("#results-list .card").first).to_be_visible()
    violations, report = axe(page)
    context.close()
    assert violations == []
    assert report["passes"], "axe ran no checks"


def say(language: str, text: str) -> str:
    return translations(language).gettext(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_is_in_each_language_and_the_switch_keeps_the_page(
    page: Page, site_url: str, language: str
) -> None:
    page.goto(site_url + PREFIX[language])
    assert page.evaluate("document.documentElement.lang") == language
    expect(page.get_by_role("heading", level=1)).to_have_text(
        say(language, "Find a community partner")
    )
    page.goto(site_url + PREFIX[language] + "partners/mentor-match/")
    hreflangs = page.locator('link[rel="alternate"]').evaluate_all(
        "links => links.map(l => [l.hreflang, l.href])"
    )
    assert [code for code, _ in hreflangs] == [*LANGUAGES, "x-default"]
    for code, href in hreflangs[:-1]:
        assert href == f"http://127.0.0.1/{PREFIX[code]}partners/mentor-match/"
    switch = page.get_by_role("navigation", name=say(language, "Language"))
    other = "es" if language != "es" else "hmn"
    switch.get_by_role("link", name=NATIVE[other]).click()
    assert page.url == site_url + PREFIX[other] + "partners/mentor-match/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentor Match")


SEARCHES = [
    ("en", "tutoring"),
    ("es", "tutoría"),
    ("es", "TUTORIA"),
    ("es", "ayuda con tareas"),
    ("so", "casharro gaar"),
    ("hmn", "qhia ntxiv"),
]


@pytest.mark.parametrize(("language", "words"), SEARCHES)
def test_a_search_in_the_pages_language_finds_its_words(
    page: Page, site_url: str, language: str, words: str
) -> None:
    page.goto(site_url + PREFIX[language])
    page.get_by_label(say(language, "What are you looking for?")).fill(words)
    page.get_by_role("button", name=say(language, "Search"), exact=True).click()
    # both serve tutoring, whose name the district gave in each language
    assert result_names(page, 2) == ["Bright Minds Tutoring", "Mentor Match"]
    first = page.locator("#results-list .card").first
    assert first.get_by_role("link").get_attribute("lang") == (
        "en" if language != "en" else None
    )  # the name is English in every language
    expect(page.locator("#results-status")).to_contain_text(words)


@pytest.mark.parametrize("language", ["es", "so", "hmn"])
def test_a_partner_page_shows_its_translation_and_marks_the_english(
    page: Page, site_url: str, language: str
) -> None:
    page.goto(site_url + PREFIX[language] + "partners/bright-minds/")
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_text("Bright Minds Tutoring")
    assert title.get_attribute("lang") == "en"
    summary = page.locator(".partner .lead")
    expect(summary).not_to_have_text("Bright Minds Tutoring serves students.")
    assert summary.get_attribute("lang") is None  # in the page's language
    description = page.get_by_text("Homework help in small groups")
    assert description.get_attribute("lang") == "en"
    expect(page.locator(".note")).to_have_text(
        say(
            language,
            "Some parts of this page are in English: the partner has not given "
            "them in this language yet.",
        )
    )
    facts = page.locator(".glance").inner_text()
    assert "1–5" in facts and say(language, "After school") in facts


def test_a_partner_page_leads_with_the_facts(page: Page, site_url: str) -> None:
    page.goto(site_url + "partners/city-arts/")
    headings = page.locator("main h2").all_inner_texts()
    assert headings.index("How to sign up or ask") < headings.index(
        "How it works with the district"
    )
    facts = page.locator(".glance dt").all_inner_texts()
    assert facts == ["What", "Grades", "When", "Where", "Cost", "Languages"]
    expect(page.locator(".glance")).to_contain_text("Summer, Weekends")
    expect(page.locator(".glance")).to_contain_text("Costs money")


def test_a_card_shows_grades_cost_and_the_program_in_the_chosen_language(
    page: Page, site_url: str
) -> None:
    page.goto(site_url + "a-z/")
    arts = page.locator(".card").filter(has_text="City Arts")
    expect(arts).to_contain_text("Grades: 9–12 · Costs money: ask the partner")
    page.goto(site_url + "?language=es")
    bright = page.locator("#results-list .card").filter(has_text="Bright Minds")
    expect(bright).to_contain_text("In Español (Spanish): Homework Club")
    expect(bright).to_contain_text("Grades: 1–5 · Free")


def test_a_school_named_in_a_search_ranks_its_partners_first(
    page: Page, site_url: str
) -> None:
    page.goto(site_url + "?q=tutoring+lake+middle")
    # Bright Minds has every word (one in its name) but no program at Lake Middle
    assert result_names(page, 2) == ["Mentor Match", "Bright Minds Tutoring"]


def test_choosing_a_filter_brings_the_results_into_view(
    page: Page, site_url: str
) -> None:
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(site_url + "?q=tutoring")
    expect(page.locator("#results-list .card")).to_have_count(2)
    page.get_by_text("Narrow by service, school, grade").click()
    page.get_by_label("When").select_option("AFTER_SCHOOL")
    expect(page.locator("#results-status")).to_contain_text("After school")
    title = page.locator("#results-title")
    expect(title).to_be_in_viewport()
    expect(page.locator("#narrow summary")).to_contain_text("(1 chosen)")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_phone_sees_the_whole_page(page: Page, site_url: str, language: str) -> None:
    page.goto(site_url + PREFIX[language] + "partners/mentor-match/")
    # a long unbroken address wraps instead of widening the page
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    tops = page.locator(".sections a").evaluate_all(
        "links => links.map(a => Math.round(a.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, f"the navigation takes {len(set(tops))} rows"
    page.goto(site_url + PREFIX[language] + "a-z/")
    heights = page.locator(".card-title a").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44
    page.goto(site_url + PREFIX[language])
    # the example in the search box fits it
    room, needed = page.locator("#q").evaluate(
        """box => {
          const style = getComputedStyle(box);
          const context = document.createElement("canvas").getContext("2d");
          context.font = style.font;
          const pad = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
          return [box.clientWidth - pad, context.measureText(box.placeholder).width];
        }"""
    )
    assert needed <= room


def test_without_javascript_a_search_link_says_so_and_offers_the_lists(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "es/?q=tutor%C3%ADa")
    expect(page.locator(".notice")).to_contain_text("JavaScript")
    expect(page.locator(".browse")).to_be_visible()
    assert page.locator("footer a[href='/graphql']").count() == 0
    page.goto(site_url + "about/")
    expect(page.locator("main a[href='/graphql']")).to_be_visible()
    context.close()


def test_a_first_visit_is_offered_the_browsers_language_once(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(locale="es-MX")
    page = context.new_page()
    page.goto(site_url + "schools/")
    offer = page.locator("#language-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Esta página también está en español.")
    assert page.url == site_url + "schools/"  # offered, never redirected
    offer.get_by_role("button").click()
    expect(offer).to_be_hidden()
    page.goto(site_url + "about/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(offer).to_be_hidden()
    context.close()
