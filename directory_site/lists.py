"""Lists of partners as pages: a service's, a school's, all of them A to Z."""

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import jinja2

PAGE_SIZE = 60

Partner = dict[str, Any]
Page = tuple[str, str]  # path under the language's folder, HTML


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int
    url: Callable[[int], str]


def page_path(folder: str, number: int) -> str:
    """Page 1 of a list is the folder itself; the others are folder/page/N/."""
    return folder + (f"page/{number}/" if number > 1 else "")


def paged(
    env: jinja2.Environment,
    template: str,
    folder: str,
    partners: list[Partner],
    home: str,
    per_page: Callable[[list[Partner]], dict[str, Any]] = lambda chunk: {},
    **context: Any,
) -> Iterator[Page]:
    """A list of partners as pages of PAGE_SIZE; `per_page` adds what a page's own
    partners decide (such as its letter headings). `home`: the language's root."""
    pages = max(1, math.ceil(len(partners) / PAGE_SIZE))

    def url(number: int) -> str:
        return home + page_path(folder, number)

    for number in range(1, pages + 1):
        path = page_path(folder, number)
        chunk = partners[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        html = env.get_template(template).render(
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


def a_to_z(
    env: jinja2.Environment, partners: list[Partner], home: str, **context: Any
) -> Iterator[Page]:
    """All partners A to Z, with a letter index that points into the right page."""
    letters: dict[str, str] = {}
    for i, p in enumerate(partners):
        letter = _letter(p["name"])
        page = page_path("a-z/", i // PAGE_SIZE + 1)
        letters.setdefault(letter, f"{home}{page}#{_anchor(letter)}")

    def headings(chunk: list[Partner]) -> dict[str, Any]:
        groups: dict[str, list[Partner]] = {}
        for p in chunk:
            groups.setdefault(_letter(p["name"]), []).append(p)
        return {"groups": [(k, _anchor(k), group) for k, group in groups.items()]}

    yield from paged(
        env,
        "a-z.html",
        "a-z/",
        partners,
        home,
        per_page=headings,
        letters=list(letters.items()),
        **context,
    )
