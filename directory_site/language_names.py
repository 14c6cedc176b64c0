"""What a page calls a language: by its own name, then by its name in the page's
language where that is another word ("Español (Spanish)" on English pages,
"Español" alone on Spanish ones, "Af-Soomaali (somalí)" on Spanish ones)."""

import functools
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError
from markupsafe import Markup

from directory_site.messages import N_
from models.languages import SOURCE

# The site's languages, as their speakers name them (the language switch, and
# wherever the district's data names them): "Af-Soomaali", the language, rather
# than "Soomaali", which is also the people and the country.
NATIVE = {"en": "English", "es": "Español", "so": "Af-Soomaali", "hmn": "Hmoob"}
# The site's languages in English: each catalog names them in its language.
# Other languages take their names in the page's language from Babel (CLDR),
# which knows no Hmong: on Hmong pages they keep the district's English name.
NAMES = {
    "en": N_("English"),
    "es": N_("Spanish"),
    "so": N_("Somali"),
    "hmn": N_("Hmong"),
}


@functools.cache
def _cldr(language: str) -> Mapping[str, str]:
    try:
        return Locale.parse(language).languages
    except (UnknownLocaleError, ValueError):
        return {}


def named(
    lang: dict[str, Any], language: str, say: Callable[[str], str]
) -> dict[str, Any]:
    """A language record (code, name, nativeName) as pages in `language` name it:
    `nativeName` its own name, `name` its name in `language`."""
    code = lang["code"]
    native = NATIVE.get(code, lang["nativeName"])
    if code == language:
        name = native
    elif code in NAMES:
        name = say(NAMES[code])
    elif language == SOURCE:
        name = lang["name"]
    else:
        name = _cldr(language).get(code) or lang["name"]
    return {**lang, "nativeName": native, "name": name}


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in plain if not unicodedata.combining(c))


def aside(lang: dict[str, Any]) -> str:
    """A named() language's name in the page's language, where it is not its own
    name over again ("español" beside "Español"): "" then."""
    name: str = lang["name"]
    return "" if _folded(name) == _folded(lang["nativeName"]) else name


def label(lang: dict[str, Any]) -> str:
    """A named() language in plain text: "Español (Spanish)", "Español"."""
    other = aside(lang)
    return f"{lang['nativeName']} ({other})" if other else str(lang["nativeName"])


def marked(lang: dict[str, Any]) -> Markup:
    """A named() language in a page: its own name marked as in it, then the
    page's name for it: `<span lang="es">Español</span> (Spanish)`."""
    return _marked(lang["code"], lang["nativeName"], lang["name"])


@functools.lru_cache(maxsize=1024)  # a build names a few dozen languages
def _marked(code: str, native: str, name: str) -> Markup:
    own = Markup('<span lang="%s">%s</span>') % (code, native)
    other = aside({"name": name, "nativeName": native})
    return own + Markup(" (%s)") % other if other else own
