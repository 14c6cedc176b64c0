"""Pages of the directory, in one of the district's languages: the API's answers
(directory_site/localize.py puts them in that language) rendered through Jinja
templates whose words come from the language's catalog (messages.py)."""

import dataclasses
import functools
import gettext
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import jinja2
from babel.core import UnknownLocaleError
from babel.dates import format_date
from jinja2.ext import Extension
from jinja2.lexer import (
    TOKEN_LPAREN,
    TOKEN_NAME,
    TOKEN_RPAREN,
    TOKEN_STRING,
    Token,
    TokenStream,
)
from markupsafe import Markup

from directory_site.facets import TIMING_LABELS, Facet, Say, grade_span
from directory_site.lists import Page, a_to_z, paged
from directory_site.messages import N_, translations
from models.languages import SOURCE

TEMPLATES = Path(__file__).parent / "templates"
LEVELS = {
    "ELEMENTARY": N_("Elementary schools"),
    "K8": N_("K–8 schools"),
    "MIDDLE": N_("Middle schools"),
    "HIGH": N_("High schools"),
    "ALTERNATIVE": N_("Alternative schools"),
}
# The site's languages, as their speakers name them (for the language switch).
NATIVE = {"en": "English", "es": "Español", "so": "Soomaali", "hmn": "Hmoob"}

Partner = dict[str, Any]


@dataclass(frozen=True)
class Site:
    """What every page needs to know about the site it belongs to."""

    district: str
    base: str  # URL path the site is served under, e.g. "/"
    url: str  # absolute URL of that path, for the sitemap and canonical links
    language: str = SOURCE  # the language of these pages
    languages: tuple[str, ...] = (SOURCE,)  # the languages the site is built in

    def prefix(self, language: str | None = None) -> str:
        """A language's folder: "" for English, "es/" for Spanish."""
        language = language or self.language
        return "" if language == SOURCE else f"{language}/"

    @functools.cached_property
    def home(self) -> str:
        """The URL path of this language's home page."""
        return self.base + self.prefix()

    def speaking(self, language: str) -> "Site":
        return dataclasses.replace(self, language=language)


def _web_url(value: str) -> str:
    """Only http(s) addresses become links: a partner's text must never run script."""
    return value if urlsplit(value).scheme in ("http", "https") else ""


def _hostname(value: str) -> str:
    return urlsplit(value).netloc or value


@functools.lru_cache(maxsize=4096)
def _longdate(value: str, language: str) -> str:
    day = date.fromisoformat(value)
    try:
        return format_date(day, format="long", locale=language)
    except (UnknownLocaleError, ValueError):  # Babel knows no Hmong: as in the US
        return f"{day.month}/{day.day}/{day.year}"


def _english(record: dict[str, Any], field: str) -> Markup:
    """` lang="en"` where a text of the record stands in, untranslated."""
    return Markup(' lang="en"') if field in record.get("fallback", ()) else Markup("")


def _when(programs: list[dict[str, Any]], say: Say) -> str:
    """When some programs run, in the form's order: "After school, Summer"."""
    given = {t for program in programs for t in program["timing"]}
    return ", ".join(say(label) for key, label in TIMING_LABELS.items() if key in given)


def _cost(partner: dict[str, Any], say: Say) -> str:
    """What a partner's programs cost, in a word or two."""
    free = [program["free"] for program in partner["programs"]]
    if free and all(free):
        return say("Free")
    if any(free):
        return say("Some programs free")
    return say("Costs money: ask the partner")


class Constants(Extension):
    """Translates `_("a word")` once, when a template is compiled, rather than
    on every page: the environment is the language's own, so its templates'
    constant words are constants. (A word with arguments, or ngettext, is still
    said at render time.) Babel extracts the words from the source as before."""

    CALL = (TOKEN_NAME, TOKEN_LPAREN, TOKEN_STRING, TOKEN_RPAREN)

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        say = cast(Say, self.environment.globals["say_constant"])
        held: list[Token] = []
        for token in stream:
            held.append(token)
            tail = held[-4:]
            if (
                [t.type for t in tail] == list(self.CALL)
                and tail[0].value == "_"
                and "%" not in tail[2].value
            ):
                held[-4:] = [Token(tail[0].lineno, TOKEN_STRING, say(tail[2].value))]
            if len(held) > 3:
                yield held.pop(0)
        yield from held


class Records(jinja2.Environment):
    """`p.name` on the API's answers (dicts) looks the key up first: Jinja's
    own order (an attribute, then a key) raises and catches an AttributeError
    for every field of every page. A key that is missing falls back to Jinja's
    way (dict methods, undefined)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def environment(language: str = SOURCE) -> jinja2.Environment:
    env = Records(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n", Constants],
        auto_reload=False,  # a build's templates do not change under it
    )
    catalog = translations(language)
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    say = catalog.gettext
    env.globals["say_constant"] = say
    env.filters.update(
        hostname=_hostname,
        weburl=_web_url,
        longdate=lambda value: _longdate(value, language),
        grades=lambda item: grade_span(item["gradeMin"], item["gradeMax"], say),
        when=lambda programs: _when(programs, say),
        cost=lambda partner: _cost(partner, say),
        english=_english,
    )
    env.globals.update(native=NATIVE)
    return env


class Pages:
    """Every page of the site in `site.language` as (path, html), paths under that
    language's folder: each partner's page as the partners arrive (`partner`),
    then the pages that list them all (`front`, `lists`). `directory` and the
    partners are in that language already; `assets` maps a static file's name to
    its served name."""

    def __init__(
        self, directory: dict[str, Any], site: Site, assets: dict[str, str]
    ) -> None:
        self.directory, self.site = directory, site
        self.env = env = environment(site.language)
        self.catalog = translations(site.language)
        self.say = self.catalog.gettext
        env.globals.update(
            asset=lambda name: f"{site.base}static/{assets[name]}",
            updated=directory["listing"]["updatedOn"],
            card=_cards(env, site),
            site=site,
            alternates=lambda path: [
                (code, NATIVE.get(code, code), site.base + site.prefix(code) + path)
                for code in site.languages
            ],
            offers=lambda path: [
                _offer(code, site.base + site.prefix(code) + path)
                for code in site.languages
                if code != site.language
            ],
        )
        self.categories = {c["slug"]: c for c in directory["categories"]}

    def page(self, template: str, path: str, **context: Any) -> Page:
        html = self.env.get_template(template).render(
            canonical=path, categories=self.categories, **context
        )
        return f"{path}index.html" if path.endswith("/") or not path else path, html

    def partner(self, p: Partner) -> Page:
        return self.page(
            "partner.html", f"partners/{p['slug']}/", title=p["name"], p=p,
            section="partner",
        )  # fmt: skip

    def _by(self, partners: list[Partner], key: str) -> dict[str, list[Partner]]:
        """The partners of each service type or school site, by its slug."""
        grouped: dict[str, list[Partner]] = defaultdict(list)
        for p in partners:
            for item in p[key]:
                grouped[item["slug"]].append(p)
        return grouped

    def _services(self, by_service: dict[str, list[Partner]]) -> list[dict[str, Any]]:
        return [
            {**s, "count": len(by_service[s["slug"]])}
            for s in self.directory["serviceTypes"]
            if by_service[s["slug"]]
        ]

    def _schools(self, by_school: dict[str, list[Partner]]) -> list[dict[str, Any]]:
        return [
            {**s, "count": len(by_school[s["slug"]])}
            for s in self.directory["schoolSites"]
        ]

    def front(self, partners: list[Partner], facet_list: list[Facet]) -> list[Page]:
        """The home, about, services and schools pages."""
        say, page = self.say, self.page
        services = self._services(self._by(partners, "serviceTypes"))
        schools = self._schools(self._by(partners, "schoolSites"))
        levels = [
            (say(label), [s for s in schools if s["level"] == level])
            for level, label in LEVELS.items()
        ]
        return [
            page(
                "index.html", "", title=say("Find a community partner"),
                section="home", services=services, facets=facet_list,
                total=len(partners), search_words=_search_words(self.catalog),
            ),
            page(
                "about.html", "about/", title=say("About community partners"),
                section="about",
            ),
            page(
                "services.html", "services/", title=say("Partners by service"),
                section="services", services=services,
            ),
            page(
                "schools.html", "schools/", title=say("Partners by school"),
                section="schools",
                levels=[(label, group) for label, group in levels if group],
            ),
        ]  # fmt: skip

    def lists(self, partners: list[Partner]) -> Iterator[Page]:
        """Each service's and school's list, A–Z, and the page for a wrong address."""
        env, say, site = self.env, self.say, self.site
        home, categories = site.home, self.categories
        by_service = self._by(partners, "serviceTypes")
        by_school = self._by(partners, "schoolSites")
        for s in self.directory["serviceTypes"]:
            yield from paged(
                env, "list.html", f"services/{s['slug']}/", by_service[s["slug"]],
                home, title=s["name"], intro=s["description"], record=s,
                section="services", crumbs=[(say("Services"), f"{home}services/")],
                empty=say("No listed partner offers this service right now."),
                categories=categories,
            )  # fmt: skip
        for s in self._schools(by_school):
            yield from paged(
                env, "school.html", f"schools/{s['slug']}/", by_school[s["slug"]],
                home, title=s["name"], school=s, intro="", record={},
                section="schools", crumbs=[(say("Schools"), f"{home}schools/")],
                empty=say("No listed partner runs a program here right now."),
                categories=categories,
            )  # fmt: skip
        yield from a_to_z(
            env, partners, home, title=say("All partners A–Z"), intro="", record={},
            section="a-z", crumbs=[], empty=say("No partner is listed right now."),
            categories=categories,
        )  # fmt: skip
        yield self.page("404.html", "404.html", title=say("Page not found"), section="")


def _offer(language: str, href: str) -> dict[str, str]:
    """What static/language.js offers a visitor whose browser prefers `language`,
    in that language."""
    return {**_offer_words(language), "href": href}


@functools.cache
def _offer_words(language: str) -> dict[str, str]:
    say = translations(language).gettext
    return {
        "language": language,
        # Translators: offered to a reader whose browser asks for your language:
        # name your language here, not English ("…también está en español.").
        "text": say("This page is also in English."),
        # Translators: name your language, as above.
        "open": say("Read it in English"),
        "dismiss": say("No, thanks"),
    }


def _search_words(catalog: gettext.NullTranslations) -> dict[str, str]:
    """What static/search.js says, in the page's language. Counts take the
    singular and plural of the catalog (the district's languages have at most two
    forms)."""
    say, plural = catalog.gettext, catalog.ngettext
    return {
        "none": say(
            "No partners match %(what)s. Try fewer or shorter words, another "
            "spelling, or clear a filter."
        ),
        "one": plural(
            "%(num)d partner matches %(what)s.", "%(num)d partners match %(what)s.", 1
        ),
        "other": plural(
            "%(num)d partner matches %(what)s.", "%(num)d partners match %(what)s.", 2
        ),
        "unavailable": say(
            "Search is not available right now. Browse the lists below instead."
        ),
        "services": say("Services"),
        "schools": say("Schools"),
        "grades": say("Grades"),
        "more": say("and %(count)s more"),
        "free": say("Free"),
        "some": say("Some programs free"),
        "paid": say("Costs money: ask the partner"),
        "offered": say("In %(language)s"),
        "chosen": say("%(count)s chosen"),
    }


def _cards(env: jinja2.Environment, site: Site) -> Callable[[Partner, int], Markup]:
    """A partner's card, rendered once per language (it is on several lists)."""
    cards: dict[tuple[str, int], Markup] = {}
    template = env.get_template("_partner_card.html")

    def card(p: Partner, level: int) -> Markup:
        key = (p["slug"], level)
        if key not in cards:
            cards[key] = Markup(template.render(p=p, card_level=level, site=site))
        return cards[key]

    return card
