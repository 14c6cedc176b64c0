"""Sessions and flyers in a real Chromium, on the demo district: a school's flyer
as the school prints it (Chromium's PDF, Letter and A4) is one page naming exactly
the school's listed partners for a typical school and two at most for the largest,
in each language; and the flyer, a partner page with its sessions and calendar
links, and the school page that links the flyer pass axe at a phone's width."""

import html
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from pypdf import PdfReader

from demo import load_demo
from directory_site.build import build
from tests.conftest import fresh_database
from tests.district import DAY
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, axe, riverton, served

pytestmark = pytest.mark.browser

LANGUAGES = ("en", "es", "so", "hmn")
PREFIX = {"en": "", "es": "es/", "so": "so/", "hmn": "hmn/"}
LINK = re.compile(r'<a href="/(?:[a-z]+/)?partners/[^/"]+/"[^>]*>([^<]+)</a>')


async def _build(out: Path) -> None:
    async with fresh_database():
        await load_demo(partners=200, today=DAY)
        await build(out, riverton(), DAY)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    out = tmp_path_factory.mktemp("flyers") / "site"
    for url in served(out, _build):
        yield url, out


def schools(out: Path) -> list[tuple[str, list[str]]]:
    """Each school and its listed partners (as its page lists them), fewest first."""
    found = []
    for folder in sorted((out / "schools").iterdir()):
        if not (folder / "flyer").is_dir():
            continue
        pages = [folder / "index.html", *sorted(folder.glob("page/*/index.html"))]
        names = [n for page in pages for n in LINK.findall(page.read_text())]
        found.append((folder.name, names))
    return sorted(found, key=lambda school: (len(school[1]), school[0]))


def printed(browser: Browser, url: str) -> tuple[list[str], list[int]]:
    """The text of each page of the flyer at `url`, printed on Letter and on A4."""
    page = browser.new_page()
    page.goto(url)
    texts = []
    for paper in ("Letter", "A4"):
        pdf = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
        texts.append([" ".join(p.extract_text().split()) for p in pdf.pages])
    page.close()
    return [" ".join(text) for text in texts], [len(text) for text in texts]


def words(name: str) -> str:
    return " ".join(html.unescape(name).split())


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_typical_school_s_flyer_prints_on_one_page_naming_exactly_its_partners(
    browser: Browser,
    demo: tuple[str, Path],
    language: str,
) -> None:
    url, out = demo
    listed = schools(out)
    school, partners = listed[len(listed) // 2]  # the median school
    assert len(partners) >= 6
    texts, pages = printed(browser, f"{url}{PREFIX[language]}schools/{school}/flyer/")
    assert pages == [1, 1], (school, len(partners))
    everyone = {words(n) for _, names in listed for n in names}
    for text in texts:
        named = {n for n in everyone if n in text}
        # names that hold another name (none in the demo) would be found twice
        assert named == {words(n) for n in partners}


@pytest.mark.parametrize("language", ["en", "so"])  # Somali's words run longest
def test_the_largest_school_s_flyer_prints_on_two_pages_at_most(
    browser: Browser,
    demo: tuple[str, Path],
    language: str,
) -> None:
    url, out = demo
    school, partners = schools(out)[-1]
    _, pages = printed(browser, f"{url}{PREFIX[language]}schools/{school}/flyer/")
    assert all(count <= 2 for count in pages), (school, len(partners), pages)


def partner_with_sessions(out: Path) -> str:
    """A partner whose page says when its programs meet, in the A–Z order."""
    for page in sorted((out / "partners").glob("*/index.html")):
        if '.ics" type="text/calendar"' in page.read_text():
            return page.parent.name
    raise AssertionError("no partner page with sessions")


@pytest.mark.parametrize("kind", ["flyer", "partner", "school"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_accessibility_violations(
    browser: Browser, demo: tuple[str, Path], language: str, kind: str
) -> None:
    url, out = demo
    school, _ = schools(out)[-1]
    path = {
        "flyer": f"schools/{school}/flyer/",
        "partner": f"partners/{partner_with_sessions(out)}/",
        "school": f"schools/{school}/",
    }[kind]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{url}{PREFIX[language]}{path}")
    violations, report = axe(page)
    context.close()
    assert violations == []
