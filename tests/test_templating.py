"""What templates say at compile time (the site's fields, asset addresses, words
whose arguments are constants) reads exactly as Jinja would say it on each page."""

from typing import Any

import jinja2
import pytest
from markupsafe import Markup, escape

from directory_site.messages import translations
from directory_site.pages import Pages
from directory_site.templating import TEMPLATES, Site, _escape, environment

ASSETS = {"style.css": "style.0123456789ab.css"}
SOURCE = (
    '<title>{{ _("%(district)s Community Partner Directory", district=site.district) }}'
    '</title><a href="{{ site.home }}about/">{{ _("Skip to main content") }}</a>'
    '<link href="{{ asset("style.css") }}"><p lang="{{ site.language }}">'
    '{{ site.url }}{{ site.prefix() }}{{ _("Every organization listed here is approved '
    "by the %(district)s Community Partnerships office and, where the district "
    "requires it, holds a current contract. Listings change when agreements do; "
    'check with the partner before you enroll.", district=site.district) }}</p>'
    '{{ _("About %(name)s", name=site.district) }}'
    '{{ _("About %(name)s", name=p.name) }}{{ p.site.home }}{{ p.site.prefix() }}'
)
PARTNER = {
    "name": '<b>Kids & Co\'s "best"</b>',
    # a partner's own `site`, not the one the templates' constants come from
    "site": {"home": "/partner-home/", "prefix": lambda: "partner-prefix/"},
}


def unfolded(site: Site) -> jinja2.Environment:
    """The same templates as Jinja alone says them, on every render."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]
        translations(site.language), newstyle=True
    )
    env.globals.update(
        site=site, asset=lambda name: f"{site.base}static/{ASSETS[name]}"
    )
    return env


@pytest.mark.parametrize("language", ["en", "es", "so"])
@pytest.mark.parametrize(
    "district",
    ["Riverton Public Schools", 'A & B <script>alert("x")</script> Schools'],
)
def test_constants_read_as_jinja_says_them(language: str, district: str) -> None:
    site = Site(
        district=district,
        base="/dir/",
        url="https://example.org/dir/",
        language=language,
        languages=("en", "es", "so"),
    )
    folded = environment(site, ASSETS).from_string(SOURCE).render(p=PARTNER)
    assert folded == unfolded(site).from_string(SOURCE).render(p=PARTNER)
    assert "<script>" not in folded


def test_constants_are_said_once_when_compiled() -> None:
    site = Site(district="Riverton Public Schools", base="/", url="https://x.org/")
    compiled = environment(site, ASSETS).compile(SOURCE, raw=True)
    assert "Riverton Public Schools Community Partner Directory" in compiled
    assert "/static/style.0123456789ab.css" in compiled
    assert "resolve('site')" not in compiled  # the site is never looked up
    assert "About Riverton Public Schools" in compiled
    # a word with an argument that is not a constant is said on each page
    assert compiled.count("'About %(name)s'") == 1


@pytest.mark.parametrize(
    "value",
    ["<a href='x'>\"&\"</a>", "plain", "", Markup("<b>kept</b>"), 3, 2.5, None],
)
def test_a_value_is_written_as_markupsafe_writes_it(value: Any) -> None:
    assert str(_escape(value)) == str(escape(value))


@pytest.mark.parametrize("path", ["", "partners/city-arts/", "a-z/page/2/"])
@pytest.mark.parametrize("part", ["_alternates.html", "_offers.html"])
def test_a_part_is_the_page_s_own_with_its_path_filled_in(part: str, path: str) -> None:
    site = Site(district="R", base="/", url="https://x.org/", languages=("en", "es"))
    directory = {"listing": {"updatedOn": "2026-11-30"}, "categories": []}
    pages = Pages(directory, site, ASSETS)
    own = pages.env.get_template(part).render(canonical=path)
    assert pages.part(part, path) == own
    assert pages.part(part, path) == own  # the second time from the part kept
    hostile = 'x/"><script>alert(1)</script>'
    assert pages.part(part, hostile) == pages.env.get_template(part).render(
        canonical=hostile
    )
    assert "<script>alert" not in pages.part(part, hostile)


@pytest.mark.parametrize("levels", [(3, 4), (4, 3)])
def test_a_card_at_each_level_is_the_template_s_own(levels: tuple[int, int]) -> None:
    site = Site(district="R", base="/", url="https://x.org/")
    directory = {
        "listing": {"updatedOn": "2026-11-30", "day": "2026-11-30"},
        "categories": [],
    }
    pages = Pages(directory, site, ASSETS)
    partner = {
        "slug": "kids-co",
        "name": "<h3>Kids</h3> & Co </h3>",
        "summary": "Homework </h4> help",
        "fallback": ["name"],
        "programs": [
            {"free": True, "sessions": [], "timing": ["SUMMER"]},
            {"free": False, "sessions": [], "timing": []},
        ],
        "gradeMin": 1,
        "gradeMax": 5,
        "serviceTypes": [{"name": "Tutoring"}],
        "schoolSites": [{"name": f"School {n}"} for n in range(5)],
    }
    template = pages.env.get_template("_partner_card.html")
    card = pages.env.filters["card"]
    assert callable(card)
    for level in levels:
        own = template.render(p=partner, card_level=level, site=site)
        assert card(partner, level) == own
        assert f"<h{level} " in own
