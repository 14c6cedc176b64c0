"""When programs meet, on a 360 px phone in a real Chromium, in each of the
district's languages: a partner page says when and where each program meets, per
school; a result card says the session that matters next (or, for a program
without sessions, when it runs), and the day filter narrows the results to the
partners meeting on that weekday."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from directory_site.build import build
from directory_site.facets import day_names
from directory_site.messages import translations
from tests import test_browser
from tests.conftest import fresh_database
from tests.district import DAY, _partner, _program, _session, build_district, summer
from tests.test_browser import LANGUAGES, PREFIX, result_names, riverton, say, served

pytestmark = pytest.mark.browser
browser, page = test_browser.browser, test_browser.page  # the same fixtures


async def _build(out: Path) -> None:
    async with fresh_database():
        # Bright Minds meets Tue, Thu at Cedar Elementary; City Arts on Saturdays
        # at its own site, and Mon–Thu at North High in summer; Mentor Match and
        # Harbor Counseling have no sessions.
        await build_district(DAY)
        reading = await _partner("summer-reading", ["community-education"])
        program = await _program(
            reading, "reading-camp", ["tutoring"], ["lake-middle"], ["en"],
            summer=True, grade_min=6, grade_max=8,
        )  # fmt: skip
        await _session(program, "MO,WE", "9:00-11:00", summer(DAY), "lake-middle")
        await build(out, riverton(), DAY)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from served(tmp_path_factory.mktemp("days") / "site", _build)


# Bright Minds' card in each language: days and time as CLDR writes them (Hmong
# with the catalog's days and the United States' clock), and the school.
BRIGHT = {
    "en": "Tue, Thu 3:30 PM at Cedar Elementary",
    "es": "mar, jue 15:30 en Cedar Elementary",
    "so": "Tldo, Khms 3:30 GD, Cedar Elementary",
    "hmn": "Hnub Peb, Hnub Tsib 3:30 PM ntawm Cedar Elementary",
}


def when(page: Page, name: str) -> str:
    card = page.locator(".card").filter(has_text=name)
    return card.locator(".card-when").inner_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_card_says_when_the_partner_meets_next(
    page: Page, site_url: str, language: str
) -> None:
    home = site_url + PREFIX[language]
    label = say(language, "When")
    page.goto(home + "?q=bright")  # search.js's card
    expect(page.locator("#results-list .card-when")).to_have_text(
        f"{label}: {BRIGHT[language]}"
    )
    page.goto(home + "a-z/")  # the lists' cards say the same
    assert when(page, "Bright Minds") == f"{label}: {BRIGHT[language]}"
    if language == "en":
        # a term on now first: Saturdays, before the summer's weekdays
        assert when(page, "City Arts") == "When: Sat 10:00 AM at the partner's own site"
        assert when(page, "Summer Reading") == (
            "When: Mon, Wed 9:00 AM from Jun 16 at Lake Middle"
        )
        assert when(page, "Mentor Match") == "When: After school"  # no sessions


@pytest.mark.parametrize("language", LANGUAGES)
def test_choosing_a_day_narrows_the_results_to_partners_meeting_then(
    page: Page, site_url: str, language: str
) -> None:
    catalog = translations(language)
    monday, tuesday = day_names(language, catalog.gettext)[:2]
    page.goto(site_url + PREFIX[language])
    page.locator("#narrow summary").click()  # folded on phones
    select = page.get_by_label(say(language, "Day"), exact=True)
    options = select.locator("option").all_inner_texts()
    assert options[0] == say(language, "Any day")
    # no partner meets on Fridays or Sundays: no such choice
    assert options[1:] == [
        name for i, name in enumerate(day_names(language, catalog.gettext))
        if i in (0, 1, 2, 3, 5)
    ]  # fmt: skip
    select.select_option(label=tuesday)
    two = catalog.ngettext(
        "%(num)d partner matches %(what)s.", "%(num)d partners match %(what)s.", 2
    )
    expect(page.locator("#results-status")).to_have_text(
        two % {"num": 2, "what": tuesday}
    )
    assert result_names(page, 2) == ["Bright Minds Tutoring", "City Arts Collective"]
    assert "day=tuesday" in page.url
    # with another filter too, from the address: Mentor Match is at Lake Middle
    # too, without sessions
    page.goto(site_url + PREFIX[language] + "?school=lake-middle&day=monday")
    expect(page.get_by_label(say(language, "Day"), exact=True)).to_have_value("monday")
    one = catalog.ngettext(
        "%(num)d partner matches %(what)s.", "%(num)d partners match %(what)s.", 1
    )
    expect(page.locator("#results-status")).to_have_text(
        one % {"num": 1, "what": f"Lake Middle, {monday}"}
    )
    assert result_names(page, 1) == ["Summer Reading"]


def test_arrow_keys_on_the_day_filter_keep_it_in_view(
    page: Page, site_url: str
) -> None:
    page.emulate_media(reduced_motion="reduce")
    page.goto(site_url + "?q=tutoring")
    expect(page.locator("#results-list .card").first).to_be_visible()
    page.get_by_text("Narrow by service, school, grade").click()
    select = page.get_by_label("Day", exact=True)
    select.focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#results-status")).to_have_text(
        "1 partner matches “tutoring”, Monday."
    )
    expect(page.locator("#narrow summary")).to_contain_text("(1 chosen)")
    expect(select).to_be_focused()
    expect(select).to_be_in_viewport(ratio=1)


# Bright Minds' and City Arts' pages in each language: each place, then days,
# hours and term as CLDR writes them (Hmong: the catalog's days, the United
# States' clock and numeric dates); a term not begun yet says so. Babel's thin
# and narrow spaces are as it writes them.
T, N = "\u2009", "\u202f"
SESSIONS_ON_PAGES = {
    "en": (
        [f"Cedar Elementary: Tue, Thu · 3:30{T}–{T}5:00{N}PM · Sep 8{T}–{T}May 28"],
        [f"North High: Mon–Thu · 9:00{N}AM{T}–{T}12:00{N}PM · from Jun 16 to Aug 7",
         f"At the partner's own site: Sat · 10:00{N}AM{T}–{T}12:00{N}PM · "
         f"Sep 8{T}–{T}May 28"],
    ),
    "es": (
        [f"Cedar Elementary: mar, jue · 15:30–17:00 · 8 sept{T}–{T}28 may"],
        ["North High: lun–jue · 9:00–12:00 · del 16 jun al 7 ago",
         f"En la sede del socio: sáb · 10:00–12:00 · 8 sept{T}–{T}28 may"],
    ),
    "so": (
        [f"Cedar Elementary: Tldo, Khms · 3:30–5:00 GD · 08 Seb{T}–{T}28 May"],
        [f"North High: Isn–Khms · 9:00 GH{T}–{T}12:00 GD · laga bilaabo Jun 16 "
         "ilaa Ogs 7",
         f"Goobta lammaanaha: Sbti · 10:00 GH{T}–{T}12:00 GD · 08 Seb{T}–{T}28 May"],
    ),
    "hmn": (
        [f"Cedar Elementary: Hnub Peb, Hnub Tsib · 3:30{T}–{T}5:00{N}PM · "
         f"9/8{T}–{T}5/28"],
        [f"North High: Hnub Ob–Hnub Tsib · 9:00{N}AM{T}–{T}12:00{N}PM · txij 6/16 "
         "mus txog 8/7",
         f"Ntawm lub koom haum qhov chaw: Hnub Xya · 10:00{N}AM{T}–{T}12:00{N}PM · "
         f"9/8{T}–{T}5/28"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_partner_page_says_days_hours_and_term_per_place(
    page: Page, site_url: str, language: str
) -> None:
    bright, arts = SESSIONS_ON_PAGES[language]
    home = site_url + PREFIX[language]
    page.goto(home + "partners/bright-minds/")
    assert page.locator(".sessions li").all_inner_texts() == bright
    school = page.locator(".sessions li a")
    assert (
        school.get_attribute("href") == f"/{PREFIX[language]}schools/cedar-elementary/"
    )
    page.goto(home + "partners/city-arts/")
    assert page.locator(".sessions li").all_inner_texts() == arts
    # the line fits the phone's width: nothing scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
