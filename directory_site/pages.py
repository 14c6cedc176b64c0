"""Pages of the directory: the API's answers rendered through Jinja templates."""

import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from directory_site.facets import TIMING_LABELS, Facet

TEMPLATES = Path(__file__).parent / "templates"
PAGE_SIZE = 60
LEVELS = {
    "ELEMENTARY": "Elementary schools",
    "K8": "K–8 schools",
    "MIDDLE": "Middle schools",
    "HIGH": "High schools",
    "ALTERNATIVE": "Alternative schools",
}

Partner = dict[str, Any]


@dataclass(frozen=True)
class Site:
    """What every page needs to know about the site it belongs to."""

    district: str
    base: str  # URL path the site is served under, e.g. "/"
    url: str  # absolute URL of that path, for the sitemap and canonical links

    @property
    def name(self) -> str:
        return f"{self.district} Community Partner Directory"

    @property
    def description(self) -> str:
        return (
            f"Find approved community partners of {self.district}: tutoring, "
            "mentoring, arts, sports, mental health and more, by school and grade."
        )


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int
    url: Callable[[int], str]


def _web_url(value: str) -> str:
    """Only http(s) addresses become links: a partner's text must never run script."""
    return value if urlsplit(value).scheme in ("http", "https") else ""


def _hostname(value: str) -> str:
    return urlsplit(value).netloc or value


def _longdate(value: str) -> str:
    day = date.fromisoformat(value)
    return f"{day:%B} {day.day}, {day.year}"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        timing=lambda t: TIMING_LABELS[t],
        hostname=_hostname,
        weburl=_web_url,
        longdate=_longdate,
    )
    return env


def _page_path(folder: str, number: int) -> str:
    """Page 1 of a list is the folder itself; the others are folder/page/N/."""
    return folder + (f"page/{number}/" if number > 1 else "")


def _paged(
    env: jinja2.Environment,
    template: str,
    folder: str,
    partners: list[Partner],
    site: Site,
    per_page: Callable[[list[Partner]], dict[str, Any]] = lambda chunk: {},
    **context: Any,
) -> Iterator[tuple[str, str]]:
    """A list of partners as pages of PAGE_SIZE; `per_page` adds what a page's own
    partners decide (such as its letter headings)."""
    pages = max(1, math.ceil(len(partners) / PAGE_SIZE))

    def url(number: int) -> str:
        return site.base + _page_path(folder, number)

    for number in range(1, pages + 1):
        path = _page_path(folder, number)
        chunk = partners[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        html = env.get_template(template).render(
            site=site,
            partners=chunk,
            total=len(partners),
            pager=Pager(number, pages, url),
            canonical=path,
            **per_page(chunk),
            **context,
        )
        yield f"{path}index.html", html


def _letter(name: str) -> str:
    """The A–Z heading a name files under; digits and other scripts under "#"."""
    first = name[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def _anchor(letter: str) -> str:
    return f"letter-{letter if letter != '#' else 'other'}"


def render(
    directory: dict[str, Any],
    partners: list[Partner],
    facet_list: list[Facet],
    site: Site,
    assets: dict[str, str],
) -> Iterator[tuple[str, str]]:
    """Every page of the site as (path, html), in a fixed order. `assets` maps a
    static file's name to the name it is served under."""
    env = environment()
    cards: dict[tuple[str, int], Markup] = {}
    card_template = env.get_template("_partner_card.html")

    def card(p: Partner, level: int) -> Markup:
        """A partner's card, rendered once per build (it is on several lists)."""
        key = (p["slug"], level)
        if key not in cards:
            cards[key] = Markup(card_template.render(p=p, card_level=level, site=site))
        return cards[key]

    env.globals.update(
        asset=lambda name: f"{site.base}static/{assets[name]}",
        updated=directory["listing"]["updatedOn"],
        card=card,
    )
    categories = {c["slug"]: c for c in directory["categories"]}
    by_service: dict[str, list[Partner]] = defaultdict(list)
    by_school: dict[str, list[Partner]] = defaultdict(list)
    for p in partners:
        for s in p["serviceTypes"]:
            by_service[s["slug"]].append(p)
        for s in p["schoolSites"]:
            by_school[s["slug"]].append(p)
    services = [
        {**s, "count": len(by_service[s["slug"]])}
        for s in directory["serviceTypes"]
        if by_service[s["slug"]]
    ]
    schools = [
        {**s, "count": len(by_school[s["slug"]])} for s in directory["schoolSites"]
    ]
    common = {"site": site, "categories": categories}

    def page(template: str, path: str, **context: Any) -> tuple[str, str]:
        html = env.get_template(template).render(canonical=path, **common, **context)
        return f"{path}index.html" if path.endswith("/") or not path else path, html

    yield page(
        "index.html",
        "",
        title="Find a community partner",
        section="home",
        services=services,
        facets=facet_list,
        total=len(partners),
    )
    yield page(
        "about.html", "about/", title="About community partners", section="about"
    )
    yield page(
        "services.html",
        "services/",
        title="Partners by service",
        section="services",
        services=services,
    )
    levels = [
        (label, [s for s in schools if s["level"] == level])
        for level, label in LEVELS.items()
    ]
    yield page(
        "schools.html",
        "schools/",
        title="Partners by school",
        section="schools",
        levels=[(label, group) for label, group in levels if group],
    )
    for p in partners:
        yield page(
            "partner.html",
            f"partners/{p['slug']}/",
            title=p["name"],
            p=p,
            section="partner",
        )
    for s in directory["serviceTypes"]:
        yield from _paged(
            env,
            "list.html",
            f"services/{s['slug']}/",
            by_service[s["slug"]],
            site,
            title=s["name"],
            intro=s["description"],
            section="services",
            crumbs=[("Services", f"{site.base}services/")],
            empty="offers this service",
            categories=categories,
        )
    for s in schools:
        yield from _paged(
            env,
            "school.html",
            f"schools/{s['slug']}/",
            by_school[s["slug"]],
            site,
            title=s["name"],
            school=s,
            intro="",
            section="schools",
            crumbs=[("Schools", f"{site.base}schools/")],
            empty="runs a program here",
            categories=categories,
        )
    yield from _a_to_z(env, partners, site, categories)
    yield (
        "404.html",
        env.get_template("404.html").render(
            title="Page not found", section="", **common
        ),
    )


def _a_to_z(
    env: jinja2.Environment,
    partners: list[Partner],
    site: Site,
    categories: dict[str, Any],
) -> Iterator[tuple[str, str]]:
    """All partners A to Z, with a letter index that points into the right page."""
    letters: dict[str, str] = {}
    for i, p in enumerate(partners):
        letter = _letter(p["name"])
        page = _page_path("a-z/", i // PAGE_SIZE + 1)
        letters.setdefault(letter, f"{site.base}{page}#{_anchor(letter)}")

    def headings(chunk: list[Partner]) -> dict[str, Any]:
        groups: dict[str, list[Partner]] = {}
        for p in chunk:
            groups.setdefault(_letter(p["name"]), []).append(p)
        return {"groups": [(k, _anchor(k), group) for k, group in groups.items()]}

    yield from _paged(
        env,
        "a-z.html",
        "a-z/",
        partners,
        site,
        per_page=headings,
        title="All partners A–Z",
        intro="",
        section="a-z",
        crumbs=[],
        empty="is listed",
        letters=list(letters.items()),
        categories=categories,
    )
