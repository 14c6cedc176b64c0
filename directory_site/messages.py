"""The directory's words in the district's languages: gettext catalogs kept in
`locale/<language>/LC_MESSAGES/messages.po`, the words drawn from the templates and
the Python modules that say them (`{{ _("…") }}`, `N_("…")`).

    python -m directory_site.messages    # after changing words: update the catalogs

The catalogs are read at build time; nothing compiled is kept in the repository.
Babel knows no Hmong locale, so catalogs are read and written without one and keep
their own plural rule in their header."""

import functools
import gettext
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from models.languages import SOURCE, translated_languages

HERE = Path(__file__).parent
LOCALE = HERE / "locale"
TEMPLATE = LOCALE / "messages.pot"
METHODS = [
    ("templates/**.html", "jinja2"),
    ("**.py", "python"),
]
OPTIONS = {
    "templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}
}
# The names words are said through: in templates _() and ngettext(); in Python
# N_() where a word is only marked, say() and plural() where a catalog's gettext
# and ngettext are at hand.
KEYWORDS = {
    "_": None,
    "N_": None,
    "say": None,
    "gettext": None,
    "ngettext": (1, 2),
    "plural": (1, 2),
}
# Every catalog has two plural forms, as Spanish and Somali count; Hmong has no
# grammatical plural and gives both forms the same words (Babel, knowing no Hmong
# locale, would otherwise write two forms for a one-form header).
PLURALS = "nplurals=2; plural=(n != 1);"
PROJECT = "community-partners"
HOLDER = "the district's Community Partnerships office"


def N_(message: str) -> str:
    """Marks a word to translate where it is said; it is translated where shown."""
    return message


def extract() -> Catalog:
    """Every word the templates and modules say, as the catalogs' template."""
    catalog = Catalog(project=PROJECT, version="1", copyright_holder=HOLDER)
    found = extract_from_dir(
        HERE,
        METHODS,
        options_map=OPTIONS,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, line, message, comments, context in found:
        catalog.add(
            message,
            locations=[(filename, line)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "messages.po"


def catalog_exists(language: str) -> bool:
    return path(language).is_file()


def catalogs() -> list[str]:
    """The languages the site has words for besides English."""
    return sorted(
        p.parent.parent.name for p in LOCALE.glob("*/LC_MESSAGES/messages.po")
    )


def read(language: str) -> Catalog:
    with path(language).open("rb") as handle:
        return read_po(handle, locale=None, domain="messages")


def update() -> None:
    """Write the template and bring each language's catalog up to it: new words
    come in empty, gone words go."""
    template = extract()
    LOCALE.mkdir(exist_ok=True)
    with TEMPLATE.open("wb") as handle:
        write_po(
            handle, template, omit_header=False, sort_output=True, include_lineno=False
        )
    for language in sorted({*translated_languages(), *catalogs()}):
        catalog = (
            read(language)
            if path(language).exists()
            else Catalog(
                locale=None,
                domain="messages",
                project=PROJECT,
                version="1",
                copyright_holder=HOLDER,
            )
        )
        catalog.update(template, no_fuzzy_matching=True)
        catalog.language_team = language
        catalog.mime_headers  # noqa: B018 - makes Babel fill in the header
        path(language).parent.mkdir(parents=True, exist_ok=True)
        with path(language).open("wb") as handle:
            write_po(
                handle,
                catalog,
                sort_output=True,
                include_lineno=False,
                ignore_obsolete=True,
            )
        _plural_header(path(language), PLURALS)


def _plural_header(file: Path, rule: str) -> None:
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith('"Plural-Forms:')]
    for i, line in enumerate(kept):
        if line.startswith('"Content-Type:'):
            kept.insert(i, f'"Plural-Forms: {rule}\\n"\n')
            break
    file.write_text("".join(kept), encoding="utf-8")


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The language's catalog, compiled in memory; English is the words as said."""
    if language == SOURCE:
        return gettext.NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, read(language))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def missing(language: str) -> list[str]:
    """Words said in the templates or modules with no translation in the
    language's catalog (or one marked fuzzy)."""
    catalog = read(language)
    gaps = []
    for message in extract():
        if not message.id:
            continue
        found = catalog.get(message.id)
        strings = found.string if found is not None else None
        texts = strings if isinstance(strings, tuple | list) else (strings,)
        if found is None or found.fuzzy or not all(texts):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


if __name__ == "__main__":
    update()
    for language in catalogs():
        gaps = missing(language)
        print(f"{language}: {len(gaps)} to translate", file=sys.stderr)
