"""Partner and program texts in the district's languages: kept per record, set by
editors, given by the public API in the language asked for, English standing in
field by field."""

from datetime import date

import httpx

import models as m
from tests.gql import post, query
from tests.test_mutations import UPDATE_PARTNER, problems, run

SPANISH = """
query($slug: String!, $language: String) {
  partner(slug: $slug, language: $language) {
    name summary description untranslated
    translations { language name summary description }
    categories { name }
    programs { name description untranslated serviceTypes { name } }
  }
}
"""


async def test_a_partner_in_spanish_with_english_standing_in(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    payload = await run(
        client,
        tokens["editor"],
        UPDATE_PARTNER,
        slug="bright-minds",
        input={
            "translations": [
                {"language": "es", "name": "Mentes Brillantes", "summary": "Tutoría."}
            ]
        },
    )
    assert payload["errors"] == []
    await m.Program.filter(slug="homework-club").update(
        translations={"es": {"name": "Club de tareas"}}
    )
    await m.ServiceType.filter(slug="tutoring").update(
        translations={"es": {"name": "Tutoría"}}
    )
    await m.AuditEntry.create(actor="t", action="a", entity="E", entity_key="k")
    partner = (await query(client, SPANISH, slug="bright-minds", language="es"))[
        "partner"
    ]
    assert partner["name"] == "Mentes Brillantes"
    assert partner["summary"] == "Tutoría."
    assert partner["description"] == "Homework help in small groups."  # English
    assert partner["untranslated"] == ["description"]
    es, *others = partner["translations"]
    assert es == {
        "language": "es",
        "name": "Mentes Brillantes",
        "summary": "Tutoría.",
        "description": None,
    }
    # the other languages (tests/district.py) stay, in the district's order
    assert [t["language"] for t in others] == ["so", "hmn"]
    [program] = partner["programs"]
    assert program["name"] == "Club de tareas"
    assert program["untranslated"] == []  # it has no description to translate
    assert program["serviceTypes"] == [{"name": "Tutoría"}]
    english = (await query(client, SPANISH, slug="bright-minds"))["partner"]
    assert english["name"] == "Bright Minds Tutoring" and english["untranslated"] == []


async def test_translations_are_checked_like_any_text(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    payload = await run(
        client,
        tokens["editor"],
        UPDATE_PARTNER,
        slug="city-arts",
        input={
            "translations": [
                {"language": "fr", "name": "Arts"},
                {"language": "so", "name": "<b>x</b>", "summary": "y" * 301},
            ]
        },
    )
    assert problems(payload) == {
        "input.translations.0.language": "must be one of es, so, hmn",
        "input.translations.1.name": "must be plain text, not HTML",
        "input.translations.1.summary": "is 301 characters; at most 300",
    }


async def test_an_empty_text_removes_a_translation(
    client: httpx.AsyncClient, district: date, tokens: dict[str, str]
) -> None:
    await m.Partner.filter(slug="city-arts").update(
        translations={"es": {"name": "Artes", "summary": "Arte."}}
    )
    payload = await run(
        client,
        tokens["editor"],
        UPDATE_PARTNER,
        slug="city-arts",
        input={"translations": [{"language": "es", "name": ""}]},
    )
    assert payload["errors"] == []
    stored = await m.Partner.get(slug="city-arts")
    assert stored.translations == {"es": {"summary": "Arte."}}


async def test_a_language_the_district_does_not_have_is_a_clear_error(
    client: httpx.AsyncClient, district: date
) -> None:
    answer = await post(client, '{ categories(language: "fr") { name } }')
    assert answer["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "argument": "language",
    }
    assert "es, so, hmn" in answer["errors"][0]["message"]
