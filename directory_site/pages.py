"""Pages of the directory, in one of the district's languages: the API's answers
(directory_site/localize.py puts them in that language) rendered through Jinja
templates whose words come from the language's catalog (messages.py)."""

import functools
import gettext
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import jinja2
from markupsafe import Markup

from directory_site.application_form import Values, choices
from directory_site.facets import Facet, timing_words
from directory_site.lists import Page, a_to_z, paged
from directory_site.meetings import meetings
from directory_site.messages import N_, translations
from directory_site.templating import NATIVE, Site, environment
from directory_site.when import When

__all__ = ["NATIVE", "Pages", "Site"]

LEVELS = {
    "ELEMENTARY": N_("Elementary schools"),
    "K8": N_("K–8 schools"),
    "MIDDLE": N_("Middle schools"),
    "HIGH": N_("High schools"),
    "ALTERNATIVE": N_("Alternative schools"),
}
Partner = dict[str, Any]
# A page's path, as pages.part() fills it in: what HTML and JSON leave as it is.
PLAIN_PATH = re.compile(r"[A-Za-z0-9_./-]*")
STAND_IN = "pagepathstandin"  # letters alone: no escaping changes them
CARD_LEVEL = 3  # a card's heading, as rendered; other levels are made from it


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
        self.env = env = environment(site, assets)
        self.catalog = translations(site.language)
        self.say = self.catalog.gettext
        env.globals.update(
            updated=directory["listing"]["updatedOn"],
            # each language's name and home, for the links to this page in it
            languages=[
                (code, NATIVE.get(code, code), site.base + site.prefix(code))
                for code in site.languages
            ],
            offers=lambda path: [
                _offer(code, site.base + site.prefix(code) + path)
                for code in site.languages
                if code != site.language
            ],
        )
        self.categories = {c["slug"]: c for c in directory["categories"]}
        self.parts: dict[str, str] = {}
        self._soonest: dict[str, str] = {}
        env.filters["soonest"] = self.soonest  # before the card is compiled
        # filters, not globals: Jinja calls a filter directly (a global function
        # through the context), and these are called on every page
        env.filters.update(part=self.part, card=_cards(env, site))
        # when and where programs meet, as on the build's day
        env.filters["sessions"] = meetings(site, self.say, lambda: self.when)

    @functools.cached_property
    def when(self) -> When:
        """Sessions in the pages' language, as on the build's day."""
        day = date.fromisoformat(self.directory["listing"]["day"])
        return When(self.site.language, day, self.say)

    def soonest(self, p: Partner) -> str:
        """What a partner's card says of when: its session that matters next
        (When.soonest), else when its programs run ("After school, Summer"). The
        list pages' cards and the search index's records say the same."""
        found = self._soonest.get(p["slug"])
        if found is None:
            found = self.when.soonest(p) or timing_words(p["programs"], self.say)
            self._soonest[p["slug"]] = found
        return found

    def part(self, template: str, path: str = "") -> Markup:
        """A partial that is the same on every page but for the page's own path
        (its address in each language): rendered once, with a stand-in for the
        path that each page fills in. A path that would need escaping (the build
        refuses to write it anyway) is rendered the ordinary way."""
        if not PLAIN_PATH.fullmatch(path):
            return Markup(self.env.get_template(template).render(canonical=path))
        if template not in self.parts:
            html = self.env.get_template(template).render(canonical=STAND_IN)
            self.parts[template] = html
        return Markup(self.parts[template].replace(STAND_IN, path))

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
            *self.applying(),
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

    def applying(self) -> list[Page]:
        """The "Become a partner" form and the page that thanks for it."""
        say, language = self.say, self.site.language
        crumbs = [(say("About"), f"{self.site.home}about/")]
        return [
            self.page(
                "apply.html", "apply/", title=say("Become a partner"),
                section="about", crumbs=crumbs, form=Values(), errors={},
                programs=1, **choices(self.directory, say, language),
            ),
            self.page(
                "applied.html", "apply/thanks/", title=say("Thank you for applying"),
                section="about", crumbs=crumbs,
            ),
            # where a partner's own update form (behind its private link) leads
            self.page(
                "updated.html", "update/thanks/", title=say("Thank you"),
                section="about", crumbs=[],
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
        "when": say("When"),
        "more": say("and %(count)s more"),
        "free": say("Free"),
        "some": say("Some programs free"),
        "paid": say("Costs money: ask the partner"),
        "offered": say("In %(language)s"),
        "chosen": say("%(count)s chosen"),
        # Translators: before a partner's summary that stands in English on a card.
        "english": say("In English (not translated yet):"),
    }


def _cards(env: jinja2.Environment, site: Site) -> Callable[[Partner, int], Markup]:
    """A partner's card, rendered once per language (it is on several lists, under
    headings of two levels). The card at another level differs only in its
    heading's tags, the first `<hN ` and `</hN>` in it: partner text is escaped,
    so a `<` in the card is always the template's own."""
    rendered: dict[str, str] = {}
    cards: dict[tuple[str, int], Markup] = {}
    template = env.get_template("_partner_card.html")

    def card(p: Partner, level: int) -> Markup:
        key = (p["slug"], level)
        if key not in cards:
            if p["slug"] not in rendered:
                html = template.render(p=p, card_level=CARD_LEVEL, site=site)
                rendered[p["slug"]] = html
            cards[key] = Markup(
                rendered[p["slug"]]
                .replace(f"<h{CARD_LEVEL} ", f"<h{level} ", 1)
                .replace(f"</h{CARD_LEVEL}>", f"</h{level}>", 1)
            )
        return cards[key]

    return card
