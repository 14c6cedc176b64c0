"""The Jinja environment a language's pages are rendered in: templates escape by
default, read the API's answers (dicts) by key, and have what is the same on
every page of that language's site said once, when they are compiled."""

import dataclasses
import functools
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import CodeType
from typing import Any, cast
from urllib.parse import urlsplit

import jinja2
import markupsafe
from babel.core import UnknownLocaleError
from babel.dates import format_date
from jinja2.ext import Extension
from jinja2.lexer import (
    TOKEN_ASSIGN,
    TOKEN_COMMA,
    TOKEN_DOT,
    TOKEN_LPAREN,
    TOKEN_NAME,
    TOKEN_PIPE,
    TOKEN_RPAREN,
    TOKEN_STRING,
    Token,
    TokenStream,
)
from markupsafe import Markup, escape

from directory_site.facets import Say, grade_span, timing_words
from directory_site.language_names import NATIVE, marked
from directory_site.messages import translations
from models.languages import SOURCE

__all__ = ["NATIVE", "Site", "environment"]

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Site:
    """What every page needs to know about the site it belongs to."""

    district: str
    base: str  # URL path the site is served under, e.g. "/"
    url: str  # absolute URL of that path, for the sitemap and canonical links
    language: str = SOURCE  # the language of these pages
    languages: tuple[str, ...] = (SOURCE,)  # the languages the site is built in
    # The district's time zone, whose wall clock sessions meet by (calendar files
    # name it); "" until build() sets the settings' (models.clock.district_zone).
    timezone: str = ""

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


ENGLISH, NOTHING = Markup(' lang="en"'), Markup("")


def _english(record: dict[str, Any], field: str) -> Markup:
    """` lang="en"` where a text of the record stands in, untranslated."""
    return ENGLISH if field in record.get("fallback", ()) else NOTHING


def _cost(partner: dict[str, Any], say: Say) -> str:
    """What a partner's programs cost, in a word or two."""
    free = [program["free"] for program in partner["programs"]]
    if free and all(free):
        return say("Free")
    if any(free):
        return say("Some programs free")
    return say("Costs money: ask the partner")


# markupsafe's escaping of a str (its C speedup) without the Markup around it;
# should a later markupsafe move it, its public escape() does the same work.
escape_text: Callable[[str], str] = getattr(
    markupsafe, "_escape_inner", lambda text: str(escape(text))
)


def _escape(value: Any) -> Any:
    """What `{{ value }}` writes, exactly as markupsafe's escape() writes it; a
    str without the Markup object made for it, since it is joined into the page
    at once. A page has some hundred of these."""
    if type(value) is str:
        return escape_text(value)
    if type(value) is Markup:  # escape() would copy it
        return value
    return escape(value)


class Escaping(jinja2.Template):
    """A template whose `{{ value }}` is written by _escape (a compiled
    template's module looks `escape` up among its globals)."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = _escape
        return template


class Records(jinja2.Environment):
    """`p.name` on the API's answers (dicts) looks the key up first: Jinja's
    own order (an attribute, then a key) raises and catches an AttributeError
    for every field of every page. A key that is missing falls back to Jinja's
    way (dict methods, undefined)."""

    template_class = Escaping
    # What Constants says when a template compiles (set by environment()).
    site: "Site"
    asset: Callable[[str], str]
    say: Say

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: dict[str, jinja2.Template] = {}

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def get_template(
        self,
        name: str | jinja2.Template,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        """A template by name, kept in a plain dict: every page asks for its own,
        its base and its parts again, and Jinja's cache takes a lock and a weak
        reference each time. Templates are not reloaded during a build."""
        if globals is not None or not isinstance(name, str):
            return super().get_template(name, parent, globals)
        if parent is not None:
            name = self.join_path(name, parent)
        found = self._kept.get(name)
        if found is None:
            found = self._kept[name] = super().get_template(name)
        return found


class Constants(Extension):
    """Says, when a template is compiled, what is the same on every page of one
    language's site, so that Jinja writes it into the template as text: the
    site's fields (`site.home`, `site.prefix()`), a static file's address
    (`asset("style.css")`), and words whose arguments are such constants
    (`_("Skip to main content")`, `_("%(district)s …", district=site.district)`).
    The environment is the site's and the language's own (`environment()`). A
    word with other arguments, or ngettext, is said at render time; Babel
    extracts the words from the source as before."""

    FIELDS = ("base", "district", "home", "language", "url")

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        return iter(self._words(self._fields(list(stream))))

    def _fields(self, tokens: list[Token]) -> list[Token]:
        env = cast(Records, self.environment)
        site, asset = env.site, env.asset
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            t, kinds = tokens[i], [t.type for t in tokens[i : i + 5]]
            if out and out[-1].type == TOKEN_DOT:  # `p.site.home` is not the site's
                out.append(t)
                i += 1
                continue
            if t.value == "site" and kinds[:3] == [TOKEN_NAME, TOKEN_DOT, TOKEN_NAME]:
                name = tokens[i + 2].value
                if name in self.FIELDS:
                    out.append(Token(t.lineno, TOKEN_STRING, getattr(site, name)))
                    i += 3
                    continue
                if name == "prefix" and kinds[3:] == [TOKEN_LPAREN, TOKEN_RPAREN]:
                    out.append(Token(t.lineno, TOKEN_STRING, site.prefix()))
                    i += 5
                    continue
            if t.value == "asset" and kinds[:4] == [
                TOKEN_NAME, TOKEN_LPAREN, TOKEN_STRING, TOKEN_RPAREN
            ]:  # fmt: skip
                out.append(Token(t.lineno, TOKEN_STRING, asset(tokens[i + 2].value)))
                i += 4
                continue
            out.append(t)
            i += 1
        return out

    def _words(self, tokens: list[Token]) -> list[Token]:
        """`_(STRING)` and `_(STRING, name=STRING, ...)` said now; with arguments
        as gettext says them at render time: the words as markup, the arguments
        escaped (so the text is marked safe, in parentheses)."""
        say = cast(Records, self.environment).say
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            t = tokens[i]
            kinds = [t.type for t in tokens[i : i + 3]]
            if t.value != "_" or kinds != [TOKEN_NAME, TOKEN_LPAREN, TOKEN_STRING]:
                out.append(t)
                i += 1
                continue
            words, j, arguments = tokens[i + 2].value, i + 3, {}
            while [t.type for t in tokens[j : j + 4]] == [
                TOKEN_COMMA, TOKEN_NAME, TOKEN_ASSIGN, TOKEN_STRING
            ]:  # fmt: skip
                arguments[tokens[j + 1].value] = tokens[j + 3].value
                j += 4
            if j >= len(tokens) or tokens[j].type != TOKEN_RPAREN:
                out.append(t)  # an argument that is not a constant: said later
                i += 1
                continue
            line = t.lineno
            if arguments:
                said = Markup(say(words)) % arguments
                out += [
                    Token(line, TOKEN_LPAREN, "("),
                    Token(line, TOKEN_STRING, str(said)),
                    Token(line, TOKEN_PIPE, "|"),
                    Token(line, TOKEN_NAME, "safe"),
                    Token(line, TOKEN_RPAREN, ")"),
                ]
            elif "%" not in words:
                out.append(Token(line, TOKEN_STRING, say(words)))
            else:  # "%%" and the like: as gettext would
                out += tokens[i : j + 1]
            i = j + 1
        return out


def environment(site: Site, assets: dict[str, str]) -> jinja2.Environment:
    """The environment of `site`'s pages in `site.language`; `assets` maps a
    static file's name to its served name."""
    language = site.language
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
    env.site, env.say = site, say
    env.asset = lambda name: f"{site.base}static/{assets[name]}"
    # Each page's context starts as a copy of the globals: keep those in use.
    for unused in ("cycler", "dict", "joiner", "lipsum", "namespace", "pgettext",
                   "npgettext"):  # fmt: skip
        del env.globals[unused]
    env.globals["site"] = site
    env.filters.update(
        hostname=_hostname,
        weburl=_web_url,
        longdate=lambda value: _longdate(value, language),
        grades=lambda item: grade_span(item["gradeMin"], item["gradeMax"], say),
        when=lambda programs: timing_words(programs, say),
        cost=lambda partner: _cost(partner, say),
        english=_english,
        language=marked,
    )
    return env
