"""An organization applies to become a partner on a 360 px phone, in a real
Chromium against `partners serve`: in English with JavaScript and in Spanish
without. The thank-you page shows in the page's language; the office finds the
application in its staff query and in `partners remind`'s digest; approved, with a
current contract, the partner is in the served directory without anyone typing a
command (the publisher rebuilds)."""

import time
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from urllib.error import HTTPError

import pytest
from playwright.sync_api import Browser, expect

from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, browser  # noqa: F401
from tests.test_browser_live import graphql, partners, serve

pytestmark = pytest.mark.browser

WAITING = """{ staff { applications { edges { node {
  id language contactEmail partner { slug name status } } } } } }"""
DECIDE = """mutation($id: ID!) { decideApplication(id: $id, decision: APPROVE,
  reason: "Board approved") { errors { field message } } }"""
CONTRACT = """mutation($slug: String!, $input: AgreementInput!) {
  recordAgreement(partner: $slug, input: $input) { errors { field message } } }"""
CASES = [
    # language, JavaScript on, what the page says
    ("en", True, {"link": "Become a partner", "send": "Send the application",
                  "thanks": "Thank you for applying", "services": "Show the"}),
    ("es", False, {"link": "Hágase socio", "send": "Enviar la solicitud",
                   "thanks": "Gracias por su solicitud", "services": "Mostrar las"}),
]  # fmt: skip


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, str, dict[str, str]]]:
    """`partners serve` with its publisher: URL, editor token, environment."""
    yield from serve(tmp_path_factory.mktemp("apply"))


def status(address: str) -> int:
    try:
        with urllib.request.urlopen(address, timeout=10) as response:
            return int(response.status)
    except HTTPError as error:
        return error.code


@pytest.mark.parametrize(("language", "javascript", "words"), CASES)
def test_an_organization_applies_and_is_listed_once_approved(
    browser: Browser,  # noqa: F811
    live: tuple[str, str, dict[str, str]],
    language: str,
    javascript: bool,
    words: dict[str, str],
) -> None:
    url, editor, env = live
    prefix = "" if language == "en" else f"{language}/"
    name = f"Riverside Chess Club {language.upper()}"
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=javascript
    )
    context.set_default_timeout(5000)
    page = context.new_page()
    page.goto(f"{url}{prefix}about/")
    page.locator("footer").get_by_role("link", name=words["link"]).click()
    expect(page).to_have_url(f"{url}{prefix}apply/")
    page.locator("#organization").fill(name)
    page.locator("#contact_name").fill("Ada Ngo")
    page.locator("#contact_email").fill(f"ada.{language}@chess.example.org")
    page.locator("#category input[value='contracted-partner']").check()
    page.locator("#p0\\.name").fill("Chess Club")
    page.locator("#p0\\.service summary").click()  # the list is folded
    page.locator("#p0\\.service input[value='tutoring']").check()
    page.locator("#p0\\.grade_min").select_option("3")
    page.locator("#p0\\.grade_max").select_option("8")
    page.locator("#attest input[value='insurance']").check()
    page.locator("#attest input[value='background_checks']").check()
    page.get_by_role("button", name=words["send"]).click()
    expect(page).to_have_url(f"{url}{prefix}apply/thanks/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["thanks"])
    context.close()

    found = graphql(url, WAITING, editor)["staff"]["applications"]["edges"]
    mine = [e["node"] for e in found if e["node"]["partner"]["name"] == name]
    assert len(mine) == 1 and mine[0]["language"] == language
    assert mine[0]["partner"]["status"] == "APPLIED"
    slug = mine[0]["partner"]["slug"]
    digest = partners(env, "remind", "--no-mail")
    assert f"- {name} ({slug}): from Ada Ngo" in digest
    page_address = f"{url}{prefix}partners/{slug}/"
    assert status(page_address) == 404  # never listed before approval

    assert (
        graphql(url, DECIDE, editor, id=mine[0]["id"])["decideApplication"]["errors"]
        == []
    )
    today = date.fromisoformat(graphql(url, "{ listing { day } }")["listing"]["day"])
    contract = {"kind": "CONTRACT", "startsOn": (today - timedelta(days=1)).isoformat(),
                "endsOn": (today + timedelta(days=300)).isoformat()}  # fmt: skip
    recorded = graphql(url, CONTRACT, editor, slug=slug, input=contract)
    assert recorded["recordAgreement"]["errors"] == []
    for _ in range(300):  # the publisher rebuilds within seconds; nobody asked
        if status(page_address) == 200:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"{page_address} never appeared")
    listed = browser.new_page(viewport={"width": 360, "height": 740})
    listed.goto(page_address)
    expect(listed.get_by_role("heading", level=1)).to_have_text(name)
    listed.close()


def test_a_problem_is_said_under_its_field_in_the_page_language(
    browser: Browser,  # noqa: F811
    live: tuple[str, str, dict[str, str]],
) -> None:
    """Somali, without JavaScript: what the browser cannot check (the grades'
    order) comes back from the server under its field, the rest kept as typed."""
    url, _, _ = live
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{url}so/apply/")
    page.locator("#organization").fill("Naadiga Shaxda")
    page.locator("#contact_name").fill("Cali")
    page.locator("#contact_email").fill("cali@shax.example.org")
    page.locator("#p0\\.name").fill("Shax")
    page.locator("#p0\\.grade_min").select_option("8")
    page.locator("#p0\\.grade_max").select_option("3")
    page.get_by_role("button", name="Dir codsiga").click()
    expect(page.locator("#problems h2")).to_have_text("Fadlan hubi jawaabahan")
    expect(page.locator("#p0\\.grade_max-error")).to_have_text(
        "Fasalka ugu dambeeya kama horrayn karo kan koowaad."
    )
    expect(page.locator("#p0\\.grade_max")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#organization")).to_have_value("Naadiga Shaxda")
    # what was not chosen is said too, each by its field, in Somali
    expect(page.locator("#category-error")).to_have_text("Fadlan buuxi tan.")
    context.close()
