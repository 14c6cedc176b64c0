"""A partner keeps its own record on a 360 px phone, in a real Chromium without
JavaScript, against `partners serve`: the office's `partners invite` prints a
private link; the partner proposes a new phone number and a new session; the link
is dead after it; the office reads the difference with `partners proposals`,
approves it, and the change is on the partner's page and in Open Referral (HSDS)
without anyone typing a command. A link opens one partner only, and not once it
has expired."""

import json
import sqlite3
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, axe, browser  # noqa: F401
from tests.test_browser_apply import status
from tests.test_browser_live import graphql, partners, serve

pytestmark = pytest.mark.browser

PHONE = "612-555-0166"
PUBLIC = """query($slug: String!) { partner(slug: $slug) { uuid phone
  programs { slug uuid sessions { days startsAt } } } }"""


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, str, dict[str, str]]]:
    yield from serve(tmp_path_factory.mktemp("update"))


def a_listed_partner(url: str, skip: int = 0) -> dict[str, Any]:
    """A listed partner with a program (the `skip`-th such, A to Z)."""
    found = graphql(url, "{ partners(first: 30) { edges { node { slug } } } }")
    slugs = [e["node"]["slug"] for e in found["partners"]["edges"]]
    with_programs = []
    for slug in slugs:
        partner = graphql(url, PUBLIC, slug=slug)["partner"]
        if partner["programs"]:
            with_programs.append({"slug": slug, **partner})
    return with_programs[skip]


def invite(env: dict[str, str], slug: str) -> str:
    printed = partners(env, "invite", slug, "--no-mail", "--by", "Ana Lopez")
    return printed.strip().split(": ", 1)[1]


def hsds(url: str, path: str) -> str:
    with urllib.request.urlopen(url + "hsds/" + path, timeout=10) as response:
        return str(response.read().decode())


def test_a_partner_proposes_a_phone_and_a_session_the_office_approves(
    browser: Browser,  # noqa: F811
    live: tuple[str, str, dict[str, str]],
) -> None:
    url, _, env = live
    partner = a_listed_partner(url)
    slug = partner["slug"]
    link = invite(env, slug)
    assert link.startswith(f"{url}update/?key=cpi_")
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    context.set_default_timeout(5000)
    page = context.new_page()
    # axe needs JavaScript (and a script of its own, past the page's CSP); the
    # form does not; reading the form does not use the link up
    checked = browser.new_context(
        viewport={"width": 360, "height": 740}, bypass_csp=True
    )
    tab = checked.new_page()
    tab.goto(link)
    violations, report = axe(tab)
    assert violations == [] and report["passes"], violations
    checked.close()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your listing")
    page.locator("#phone").fill(PHONE)
    shown = page.locator("input[name='p0.slug']").input_value()
    program = next(p for p in partner["programs"] if p["slug"] == shown)
    rows = page.locator("#program-1 fieldset.session").count()
    new = f"p0.s{rows - 1}."  # the last row is empty, to add a session
    page.locator(f"[id='{new}days'] input[value='SATURDAY']").check()
    page.locator(f"[id='{new}starts']").fill("09:30")
    page.locator(f"[id='{new}ends']").fill("11:00")
    today = datetime.now(UTC).date()
    page.locator(f"[id='{new}from']").fill((today + timedelta(days=30)).isoformat())
    page.locator(f"[id='{new}until']").fill((today + timedelta(days=120)).isoformat())
    page.locator("#your_name").fill("Dana Reyes")
    page.locator("#your_email").fill("dana@example.org")
    page.get_by_role("button", name="Send these changes to the office").click()
    expect(page).to_have_url(f"{url}update/thanks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    # the link is dead once used
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not open")
    assert status(link) == 404
    context.close()

    listed = partners(env, "proposals")
    assert "by Dana Reyes <dana@example.org>" in listed
    assert f"  phone:\n    - {partner['phone']}\n    + {PHONE}" in listed
    assert f"programs.{program['slug']}.sessions:" in listed
    number = listed.split("Proposal ", 1)[1].split(":", 1)[0]
    # nothing public before the office approves
    assert graphql(url, PUBLIC, slug=slug)["partner"]["phone"] == partner["phone"]
    partners(env, "proposals", "approve", number, "--reason", "Called", "--by", "Ana")

    page_address = f"{url}partners/{slug}/"
    for _ in range(300):  # the publisher rebuilds within seconds; nobody asked
        with urllib.request.urlopen(page_address, timeout=10) as response:
            if PHONE in response.read().decode():
                break
        time.sleep(0.1)
    else:
        raise AssertionError(f"{PHONE} never appeared on {page_address}")
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    tab.goto(page_address)
    expect(tab.locator("main")).to_contain_text(PHONE)
    expect(tab.locator("main")).to_contain_text("9:30")
    tab.close()
    organization = json.loads(hsds(url, f"organizations/{partner['uuid']}"))
    assert PHONE in json.dumps(organization)
    service = json.loads(hsds(url, f"services/{program['uuid']}"))
    assert '"byday": "SA"' in json.dumps(service) and "09:30" in json.dumps(service)


def test_a_link_opens_its_own_partner_only_and_not_once_expired(
    browser: Browser,  # noqa: F811
    live: tuple[str, str, dict[str, str]],
) -> None:
    url, _, env = live
    mine, other = a_listed_partner(url, 1), a_listed_partner(url, 2)
    link = invite(env, mine["slug"])
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    context.set_default_timeout(5000)
    page = context.new_page()
    page.goto(link)
    # the form names one partner's programs; another's, slipped in, is refused
    page.locator("input[name='p0.slug']").evaluate(
        f"input => input.value = {json.dumps(other['programs'][0]['slug'])}"
    )
    page.locator("[id='p0.description']").fill("Ours now")
    page.locator("#your_name").fill("Mallory")
    page.locator("#your_email").fill("mallory@example.org")
    page.get_by_role("button", name="Send these changes to the office").click()
    expect(page.locator("#problems")).to_be_visible()
    assert "Ours now" not in partners(env, "proposals")
    # expired: the office's record of it says so, and the link opens nothing
    database = env["DATABASE_URL"].removeprefix("sqlite://")
    with sqlite3.connect(database) as db:
        db.execute(
            "UPDATE invitation SET expires_at = ? WHERE used_at IS NULL",
            ((datetime.now(UTC) - timedelta(minutes=1)).isoformat(),),
        )
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not open")
    context.close()
