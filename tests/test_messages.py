"""The directory's words in each of the district's languages: every word the
templates and modules say has a translation in every configured language, with
the same placeholders, and the catalogs' template is current."""

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from directory_site import messages
from models.languages import translated_languages

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def ids(catalog: object) -> set[str | tuple[str, ...]]:
    return {m.id for m in catalog if m.id}  # type: ignore[attr-defined]


def test_the_configured_languages_have_catalogs() -> None:
    assert set(translated_languages()) <= set(messages.catalogs())
    assert set(messages.catalogs()) == {"es", "so", "hmn"}


@pytest.mark.parametrize("language", messages.catalogs())
def test_every_word_has_a_translation(language: str) -> None:
    assert messages.missing(language) == []


@pytest.mark.parametrize("language", messages.catalogs())
def test_translations_keep_the_placeholders(language: str) -> None:
    for message in messages.read(language):
        if not message.id:
            continue
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = message.string
        texts = [strings] if isinstance(strings, str) else list(strings or ())
        wanted = set(PLACEHOLDER.findall(sources[-1]))
        for text in texts:
            assert set(PLACEHOLDER.findall(text)) == wanted, (language, message.id)
            assert "<" not in text, (language, message.id)  # words, never markup


def test_the_catalogs_template_is_current() -> None:
    """After changing words: `make messages` (the catalogs follow the code)."""
    with messages.TEMPLATE.open("rb") as handle:
        kept = read_po(handle)
    assert ids(kept) == ids(messages.extract())


def test_the_words_come_from_templates_and_modules() -> None:
    found = ids(messages.extract())
    assert "Find a community partner" in found  # pages.py
    assert "What are you looking for?" in found  # templates/index.html
    assert ("%(num)d partner", "%(num)d partners") in found  # ngettext in templates
    assert "Any service" in found  # N_() in facets.py


def test_a_missing_or_fuzzy_translation_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(messages.LOCALE, tmp_path / "locale")
    monkeypatch.setattr(messages, "LOCALE", tmp_path / "locale")
    catalog = messages.read("es")
    catalog["Search"].string = ""
    catalog["Summer"].flags.add("fuzzy")
    del catalog["Weekends"]
    with messages.path("es").open("wb") as handle:
        write_po(handle, catalog)
    assert sorted(messages.missing("es")) == ["Search", "Summer", "Weekends"]
