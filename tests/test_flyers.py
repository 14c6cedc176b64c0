"""Every school's flyer, in every language: linked from the school's page, naming
exactly the partners listed there, by service, each with what it runs at that
school, when (that school's sessions), its cost, how to reach it and a QR code to
its page in the flyer's language; the short form for a school with more partners
than a sheet holds."""

import re
from datetime import date
from pathlib import Path

import pytest
import segno

import models as m
from directory_site import flyers
from directory_site.build import build
from directory_site.messages import translations
from directory_site.pages import Site

LANGUAGES = ("en", "es", "so", "hmn")
SITE = Site(
    district="Riverton Public Schools",
    base="/",
    url="https://example.org/",
    languages=LANGUAGES,
)
ENGLISH = Site(district="Riverton Public Schools", base="/", url="https://example.org/")
PREFIX = {"en": "", "es": "es/", "so": "so/", "hmn": "hmn/"}
# The listed partners at each school of tests/district.py.
AT = {
    "cedar-elementary": ["Bright Minds Tutoring", "Mentor Match"],
    "lake-middle": ["Harbor Counseling", "Mentor Match"],
    "north-high": ["City Arts Collective", "Harbor Counseling"],
}


def code(url: str) -> str:
    """The QR code flyers.py draws for `url`."""
    qr = segno.make(
        url, error=flyers.ERRORS, boost_error=False, micro=False, mask=flyers.MASK
    )
    return str(qr.svg_inline(omitsize=True, svgclass="qr", lineclass=None))[5:]


def names(html: str) -> list[str]:
    """The partners a full flyer gives, in its order."""
    return re.findall(
        r'<h3><a href="[^"]*/partners/[^"]+/"[^>]*>([^<]+)</a></h3>', html
    )


@pytest.mark.parametrize("language", LANGUAGES)
async def test_each_school_has_a_flyer_of_exactly_its_partners(
    district: date, tmp_path: Path, language: str
) -> None:
    await build(tmp_path / "site", SITE, district)
    root = tmp_path / "site" / PREFIX[language]
    say = translations(language).gettext
    for school, partners in AT.items():
        flyer = (root / f"schools/{school}/flyer/index.html").read_text()
        assert sorted(names(flyer)) == partners
        link = f'href="/{PREFIX[language]}schools/{school}/flyer/"'
        assert link in (root / f"schools/{school}/index.html").read_text()
        assert f'<html lang="{language}">' in flyer
        assert "Riverton Public Schools" in flyer
        for partner in partners:  # its page in the flyer's language, as a QR code
            slug = {"Bright Minds Tutoring": "bright-minds", "Mentor Match":
                    "mentor-match", "Harbor Counseling": "harbor-counseling",
                    "City Arts Collective": "city-arts"}[partner]  # fmt: skip
            page = f"https://example.org/{PREFIX[language]}partners/{slug}/"
            assert code(page) in flyer
        assert flyer.count('<svg aria-hidden="true"') == len(partners)
    cedar = (root / "schools/cedar-elementary/flyer/index.html").read_text()
    assert say("Grades") + " 1–5" in cedar
    # the day it is true for, as the language writes a date
    assert {"en": "March 12, 2031", "es": "12 de marzo de 2031",
            "so": "Maarso 12, 2031", "hmn": "3/12/2031"}[language] in cedar  # fmt: skip


async def test_a_flyer_says_when_at_that_school_only(
    district: date, tmp_path: Path
) -> None:
    await build(tmp_path / "site", ENGLISH, district)
    north = (tmp_path / "site/schools/north-high/flyer/index.html").read_text()
    # City Arts meets at North High in summer; its Saturdays are at its own site
    assert "Mon–Thu · 9:00" in north
    assert "Sat · 10:00" not in north
    assert "$20" in north
    # Harbor Counseling has no sessions: its timing words
    assert "During the school day" in north
    cedar = (tmp_path / "site/schools/cedar-elementary/flyer/index.html").read_text()
    assert "Tue, Thu · 3:30" in cedar
    # a partner named under its other services points to where it is in full
    assert "Mentor Match</a>: see Mentoring" in cedar or (
        "Mentor Match</a>: see Tutoring" in cedar
    )


async def test_a_school_with_more_partners_than_a_sheet_holds_gets_the_short_form(
    district: date, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flyers, "MOST_IN_FULL", 1)
    await build(tmp_path / "site", ENGLISH, district)
    flyer = (tmp_path / "site/schools/cedar-elementary/flyer/index.html").read_text()
    assert names(flyer) == []  # names only, in lines
    for partner in AT["cedar-elementary"]:
        assert f">{partner}</a></li>" in flyer
    # one QR code, to the school's page, which has the rest
    assert flyer.count("<svg") == 1
    assert code("https://example.org/schools/cedar-elementary/") in flyer


async def test_a_school_without_partners_says_so(
    district: date, tmp_path: Path
) -> None:
    await m.SchoolSite.create(
        slug="quiet-elementary",
        name="Quiet Elementary",
        level=m.SchoolLevel.ELEMENTARY,
        grade_min=0,
        grade_max=5,
        street="3 Elm St",
        city="Riverton",
        postal_code="55403",
    )
    await build(tmp_path / "site", ENGLISH, district)
    flyer = (tmp_path / "site/schools/quiet-elementary/flyer/index.html").read_text()
    assert "No listed partner runs a program here right now." in flyer
    assert "<svg" not in flyer
