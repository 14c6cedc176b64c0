"""What a parent on a 360 px phone meets, in a real Chromium, in each of the
district's languages: a search that names a school, languages named as the page
speaks, English texts said to be English, how to sign up on the first screen, a
filter changed by keyboard, and pages that do not move once shown."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

import models as m
from directory_site.build import build
from tests import test_browser
from tests.conftest import fresh_database
from tests.district import DAY, _partner, _program, build_district
from tests.test_browser import (
    LANGUAGES,
    PREFIX,
    WIDTHS,
    result_names,
    riverton,
    say,
    served,
)

pytestmark = pytest.mark.browser
browser, page = test_browser.browser, test_browser.page  # the same fixtures

# Schools beside the small district's three: two share a name but for the level,
# and so many are elementary schools (as in the demo district) that "Elementary"
# tells none apart, while "Middle" does.
SCHOOLS = {
    "hillcrest-elementary": m.SchoolLevel.ELEMENTARY,
    "oak-hill-elementary": m.SchoolLevel.ELEMENTARY,
    "prairie-view-middle": m.SchoolLevel.MIDDLE,
    "hillcrest-middle": m.SchoolLevel.MIDDLE,
    **{
        f"{name}-elementary": m.SchoolLevel.ELEMENTARY
        for name in [
            "sunnyside",
            "meadowbrook",
            "pine-ridge",
            "willow-creek",
            "birchwood",
            "kingsley",
            "eastgate",
            "westbrook",
            "foundry",
        ]
    },
}
# A partner at fourteen schools, with its summary in English only.
MANY = [
    "cedar-elementary", "lake-middle", "north-high", "oak-hill-elementary",
    *(slug for slug in SCHOOLS if slug.endswith("-elementary")
      and not slug.startswith(("hillcrest", "oak-hill"))),
    "prairie-view-middle",
]  # fmt: skip


async def _build(out: Path) -> None:
    async with fresh_database():
        await build_district(DAY)
        await m.Language.create(code="hmn", name="Hmong", native_name="Hmoob")
        await m.Language.create(code="vi", name="Vietnamese", native_name="Tiếng Việt")
        for slug, level in SCHOOLS.items():
            middle = level == m.SchoolLevel.MIDDLE
            await m.SchoolSite.create(
                slug=slug,
                name=slug.replace("-", " ").title(),
                level=level,
                grade_min=6 if middle else 0,
                grade_max=8 if middle else 5,
                street="3 School Rd",
                city="Riverton",
                postal_code="55403",
            )
        # the case: Hillcrest Elementary and Prairie View Middle (tutoring
        # in summer there) against Hillcrest Middle; first in A–Z order
        acorn = await _partner("acorn-learning", ["community-education"])
        await _program(
            acorn, "art-club", ["arts"], ["hillcrest-elementary"], ["en"],
            after_school=True, grade_min=0, grade_max=5,
        )  # fmt: skip
        await _program(
            acorn, "summer-tutoring", ["tutoring"], ["prairie-view-middle"], ["en"],
            summer=True, grade_min=6, grade_max=8,
        )  # fmt: skip
        circle = await _partner("study-circle", ["community-education"])
        await _program(
            circle, "homework-lab", ["tutoring"], ["hillcrest-middle"], ["en"],
            after_school=True, grade_min=6, grade_max=8,
        )  # fmt: skip
        corps = await _partner(
            "reading-corps",
            ["community-education"],
            description="Reading Corps trains volunteers from the neighborhood.",
            phone="612-555-0142",
            email="hello@reading-corps.example.org",
            website="https://reading-corps.example.org/",
        )
        await m.Partner.filter(slug="reading-corps").update(
            summary="Trained volunteers read one-on-one with students who want "
            "help with reading, twice a week at school, all year."
        )
        await _program(
            corps, "reading-partners", ["tutoring", "mentoring"], MANY,
            ["en", "es", "so", "hmn", "vi"],
            during_school=True, after_school=True, grade_min=0, grade_max=12,
        )  # fmt: skip
        await build(out, riverton(), DAY)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from served(tmp_path_factory.mktemp("family") / "site", _build)


def test_a_search_that_names_a_school_ranks_that_schools_partners_first(
    page: Page, site_url: str
) -> None:
    page.goto(site_url)
    page.get_by_label("What are you looking for?").fill("tutoring hillcrest middle")
    page.get_by_role("button", name="Search").click()
    # Acorn Learning has every word, but from two schools (Hillcrest Elementary,
    # Prairie View Middle): Study Circle, at Hillcrest Middle, comes first
    assert result_names(page, 2) == ["Study Circle", "Acorn Learning"]


# The language filter's options on each language's pages: each language by its
# own name, then by the page's name for it where that is another word.
LANGUAGE_NAMES = {
    "en": ["English", "Hmoob (Hmong)", "Af-Soomaali (Somali)", "Español (Spanish)",
           "Tiếng Việt (Vietnamese)"],
    "es": ["English (inglés)", "Hmoob (hmong)", "Af-Soomaali (somalí)", "Español",
           "Tiếng Việt (vietnamita)"],
    "so": ["English (Ingiriisi)", "Hmoob (Hamong)", "Af-Soomaali",
           "Español (Isbaanish)", "Tiếng Việt (Fiitnaamays)"],
    # Babel knows no Hmong: other languages keep their English names there
    "hmn": ["English (lus Askiv)", "Hmoob", "Af-Soomaali (lus Somali)",
            "Español (lus Mev)", "Tiếng Việt (Vietnamese)"],
}  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_languages_are_named_in_their_own_words_and_the_pages(
    page: Page, site_url: str, language: str
) -> None:
    names = LANGUAGE_NAMES[language]
    page.goto(site_url + PREFIX[language] + "?language=es")
    options = page.locator("#f-language option").evaluate_all(
        "options => options.map(o => o.textContent)"
    )
    assert options[1:] == names
    spanish = names[3]
    offered = say(language, "In %(language)s") % {"language": spanish}
    card = page.locator("#results-list .card").filter(has_text="Reading Corps")
    expect(card).to_contain_text(f"{offered}: Reading Partners")
    page.goto(site_url + PREFIX[language] + "partners/reading-corps/")
    expect(page.locator(".glance")).to_contain_text(", ".join(names))
    own = page.locator(".glance [lang='es']")
    expect(own).to_have_text("Español")  # its own name, marked as Spanish


@pytest.mark.parametrize("language", ["es", "so", "hmn"])
def test_a_summary_in_english_says_so_on_cards_and_the_page_says_so_first(
    page: Page, site_url: str, language: str
) -> None:
    in_english = say(language, "In English (not translated yet):")
    home = site_url + PREFIX[language]
    for url, cards in [
        (home + "?q=reading+corps", "#results-list .card"),  # search.js's cards
        (home + "a-z/", ".cards .card"),  # the lists' cards
    ]:
        page.goto(url)
        summary = page.locator(cards).filter(has_text="Reading Corps")
        summary = summary.locator(".card-summary")
        expect(summary).to_have_attribute("lang", "en")
        note = summary.locator(".in-english")
        expect(note).to_have_text(in_english)
        expect(note).to_have_attribute("lang", language)
    # Bright Minds gave its summary in every language
    bright = page.locator(".card").filter(has_text="Bright Minds")
    expect(bright.locator(".in-english")).to_have_count(0)
    page.goto(home + "partners/reading-corps/")
    order = page.locator(".partner > h1, .partner > .note, .partner > .lead")
    assert order.evaluate_all(
        "nodes => nodes.map(n => n.className || n.localName)"
    ) == [
        "h1",
        "note",
        "lead",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_how_to_sign_up_is_on_a_phones_first_screen(
    page: Page, site_url: str, language: str
) -> None:
    page.goto(site_url + PREFIX[language] + "partners/reading-corps/")
    box = "element => element.getBoundingClientRect()"
    contact = page.locator("section.contact")
    expect(contact).to_contain_text(say(language, "How to sign up or ask"))
    assert contact.evaluate(box)["top"] < 740
    for link in ["a[href^='tel:']", "a[href^='mailto:']"]:
        assert contact.locator(link).evaluate(box)["bottom"] <= 740
    # the facts name three schools; the programs, below, all fourteen
    more = say(language, "and %(count)s more") % {"count": 11}
    expect(page.locator(".glance")).to_contain_text(more)
    schools = page.locator(".program a[href*='/schools/']")
    expect(schools).to_have_count(len(MANY))


def test_arrow_keys_on_a_filter_keep_it_in_view(page: Page, site_url: str) -> None:
    page.emulate_media(reduced_motion="reduce")  # a scroll, if any, at once
    page.goto(site_url + "?q=tutoring")
    expect(page.locator("#results-list .card").first).to_be_visible()
    page.get_by_text("Narrow by service, school, grade").click()
    select = page.get_by_label("When")
    select.focus()
    page.keyboard.press("ArrowDown")  # Chromium chooses the next option at once
    expect(page.locator("#results-status")).to_contain_text("During the school day")
    # the results are shown (and the choice counted, after which they would be
    # scrolled to): the select stays where it was
    expect(page.locator("#narrow summary")).to_contain_text("(1 chosen)")
    expect(select).to_be_focused()
    expect(select).to_be_in_viewport(ratio=1)


# The layout shifts a page has had, as Lighthouse counts them (not those just
# after an input), half a second after it was asked.
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const shift of list.getEntries()) {
      if (!shift.hadRecentInput) total += shift.value;
    }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


# Pages a visitor lands on, at a phone's width in every language; at a desktop's
# (where search.js opens the filters) in English. A filter in the address opens
# the filters on a phone too.
LANDINGS = ["", "?q=tutoring", "?q=tutoring&grade=3", "partners/reading-corps/"]
SHOWN = [
    *((language, path, "phone") for language in LANGUAGES for path in LANDINGS),
    *(("en", path, "desktop") for path in ["", "?q=tutoring", "?grade=3"]),
]


@pytest.mark.parametrize(("language", "path", "width"), SHOWN)
def test_nothing_moves_once_a_page_is_shown(
    browser: Browser, site_url: str, language: str, path: str, width: str
) -> None:
    # a first visit in an English browser: pages in the other languages offer
    # English (static/language.js), over the page
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h})
    page = context.new_page()
    page.goto(site_url + PREFIX[language] + path)
    if path.startswith("?"):
        expect(page.locator("#results-list .card").first).to_be_visible()
    if "grade" in path or width == "desktop":
        expect(page.locator("#narrow")).to_have_attribute("open", "")
    offer = page.locator("#language-offer")
    if language == "en":
        expect(offer).to_be_hidden()
    else:
        expect(offer).to_be_visible()
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
    context.close()
