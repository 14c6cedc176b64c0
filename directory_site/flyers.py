"""A printable flyer for every school, in each language: the partners listed at
the school on the build's day, by service, each with what it runs there, for which
grades, when (the sessions at that school, or the program's timing words), what it
costs and how to sign up, and a QR code to its page in the flyer's language. A
partner is given in full under the first of its services there, and named under
the others with a pointer to it, so that a sheet holds each partner once.

A school with more partners than two printed pages hold (MOST_IN_FULL) gets the
short form: the partners' names by service, and one QR code, to the school's page,
which has the rest. A family handed forty partners needs the list more than forty
codes; and a code costs a millisecond or two to make (segno is pure Python), too
much for every partner at every school of a district of thousands."""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import segno
from markupsafe import Markup

from directory_site.lists import Page
from directory_site.pages import Pages

Partner = dict[str, Any]
Program = dict[str, Any]
MOST_IN_FULL = 20  # partners a flyer gives in full: two printed pages hold them
# segno tries all eight masks and keeps the one ISO/IEC 18004 scores best, which is
# nine tenths of its time; every mask reads, so one is chosen here for all codes.
MASK = 0
ERRORS = "m"  # 15% of a code may be smudged or folded and still read
NAME = Markup('<li class="flyer-entry"><a href="%spartners/%s/"%s>%s</a></li>')
SEE = Markup(
    '<li class="flyer-entry flyer-see"><a href="%spartners/%s/"%s>%s</a>: %s</li>'
)


def folder(school: dict[str, Any]) -> str:
    return f"schools/{school['slug']}/flyer/"


class Flyers:
    """The flyers of one language's pages."""

    def __init__(self, pages: Pages) -> None:
        self.pages, self.site, say = pages, pages.site, pages.say
        services = pages.directory["serviceTypes"]
        other = {"slug": "other", "name": say("Other programs"), "fallback": []}
        self.groups = [*services, other]  # a program with no service goes last
        self.order = {s["slug"]: i for i, s in enumerate(services)}
        self.english = pages.env.filters["english"]
        # Translators: on a flyer, a partner given in full under another service:
        # "see Tutoring".
        self.see = [Markup(say("see %(service)s")) % {"service": g["name"]}
                    for g in self.groups]  # fmt: skip
        self.codes: dict[str, Markup] = {}
        self.names: dict[str, Markup] = {}

    def all(self, partners: list[Partner]) -> Iterator[Page]:
        """A flyer for every school, with its listed partners."""
        at: dict[str, list[tuple[Partner, list[Program]]]] = defaultdict(list)
        for p in partners:  # A to Z, so each school's list is too
            programs: dict[str, list[Program]] = defaultdict(list)
            for program in p["programs"]:
                for school in program["schoolSites"]:
                    programs[school["slug"]].append(program)
            for slug, there in programs.items():
                at[slug].append((p, there))
        for school in self.pages.directory["schoolSites"]:
            yield self.flyer(school, at[school["slug"]])

    def flyer(
        self, school: dict[str, Any], partners: list[tuple[Partner, list[Program]]]
    ) -> Page:
        """A school's flyer: `partners`, each with its programs at the school."""
        slug, say, home = school["slug"], self.pages.say, self.site.home
        full, last = len(partners) <= MOST_IN_FULL, len(self.groups) - 1
        entries: list[list[Any]] = [[] for _ in self.groups]
        for p, programs in partners:
            first, *others = sorted(
                {self.order.get(s["slug"], last)
                 for program in programs for s in program["serviceTypes"]}
                or {last}
            )  # fmt: skip
            if full:
                entries[first].append(self._entry(p, programs, slug))
                for other in others:
                    entries[other].append({"see": self._see(p, first)})
            else:
                for group in (first, *others):
                    entries[group].append(self._name(p))
        groups = [
            {"service": group, "entries": found}
            if full
            else {"service": group, "names": Markup("".join(found))}
            for group, found in zip(self.groups, entries, strict=True)
            if found
        ]
        school_page = f"{self.site.url}{self.site.prefix()}schools/{slug}/"
        return self.pages.page(
            "flyer.html", folder(school),
            title=say("Community partners at %(school)s") % {"school": school["name"]},
            section="schools", school=school, groups=groups, full=full,
            school_page=school_page,
            listing_day=self.pages.directory["listing"]["day"],
            code=None if full else self.code(school_page),
            crumbs=[(say("Schools"), f"{home}schools/"),
                    (school["name"], f"{home}schools/{slug}/")],
        )  # fmt: skip

    def _entry(self, p: Partner, programs: list[Program], school: str) -> Any:
        """A partner in full: what it runs at the school, when, and its QR code."""
        return {
            "p": p,
            "programs": [
                {"program": pr, "when": self.pages.when.at(pr, school)}
                for pr in programs
            ],
            "code": self.code(self._page(p)),
            "see": None,
        }

    def _name(self, p: Partner) -> Markup:
        """A partner's name, linked: the same on every school's short flyer."""
        found = self.names.get(p["slug"])
        if found is None:
            found = self.names[p["slug"]] = NAME % (
                self.site.home,
                p["slug"],
                self.english(p, "name"),
                p["name"],
            )
        return found

    def _see(self, p: Partner, group: int) -> Markup:
        """A partner named under a service, pointing to where it is in full."""
        return SEE % (
            self.site.home, p["slug"], self.english(p, "name"), p["name"],
            self.see[group],
        )  # fmt: skip

    def _page(self, p: Partner) -> str:
        return f"{self.site.url}{self.site.prefix()}partners/{p['slug']}/"

    def code(self, url: str) -> Markup:
        """A QR code for `url`, as inline SVG; made once per address and language
        (a partner is on the flyer of each of its schools)."""
        found = self.codes.get(url)
        if found is None:
            qr = segno.make(
                url, error=ERRORS, boost_error=False, micro=False, mask=MASK
            )
            svg = qr.svg_inline(omitsize=True, svgclass="qr", lineclass=None)
            # segno's drawing of an address the build made: no partner text is in
            # it, and the link beside it says where it goes
            found = Markup(svg.replace("<svg ", '<svg aria-hidden="true" ', 1))
            self.codes[url] = found
        return found
