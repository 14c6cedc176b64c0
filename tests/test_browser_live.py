"""The directory as `partners serve` keeps it, in a real Chromium: a tab left open
across a rebuild searches the new build, never a mix of two."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, browser, page, say  # noqa: F401

pytestmark = pytest.mark.browser
ROOT = Path(__file__).parent.parent
WORD = "tutoring"


def partners(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def graphql(url: str, query: str, token: str | None = None, **variables: Any) -> Any:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(url + "graphql", body, headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["data"]


def health(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url + "healthz", timeout=10) as response:
        answer: dict[str, Any] = json.loads(response.read())
        return answer


def serve(folder: Path) -> Iterator[tuple[str, str, dict[str, str]]]:
    """`partners serve` with its publisher, on a demo district in FOLDER: its URL,
    an editor token, and the environment its commands run with."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite://{folder / 'partners.sqlite3'}",
        "SITE_DIR": str(folder / "site"),
        "SITE_URL": url,
    }
    partners(env, "migrate")
    partners(env, "demo", "--partners", "80", "--seed", "7")
    token = partners(env, "token", "create", "--name", "editor", "--role", "editor")
    partners(env, "build-site", str(folder / "site"), "--base-url", url)
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                health(url)
                break
            except OSError:
                time.sleep(0.1)
        yield url, token.strip(), env
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """`partners serve` with its publisher, on a demo district; (URL, editor)."""
    for url, token, _ in serve(tmp_path_factory.mktemp("live")):
        yield url, token


def search(tab: Page) -> list[str]:
    """Search WORD in the tab as it is; the slugs of every result, in order."""
    box = tab.get_by_label("What are you looking for?")
    box.fill(WORD)
    # so that the wait below is for this search's answer, not the last one's
    tab.locator("#results-status").evaluate("status => status.textContent = ''")
    tab.get_by_role("button", name="Search").click()
    expect(tab.locator("#results-status")).to_contain_text("match")
    while tab.locator("#results-more").is_visible():
        tab.locator("#results-more").click()
    hrefs = tab.locator("#results-list .card-title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [h.strip("/").split("/")[-1] for h in hrefs]


def test_an_open_tab_searches_the_new_build_after_a_rebuild(
    page: Page,  # noqa: F811
    browser: Browser,  # noqa: F811
    server: tuple[str, str],
) -> None:
    url, editor = server
    page.goto(url)
    before = search(page)
    assert len(before) > 3
    # the first partner A to Z among them leaves: every later one moves up a place
    gone = min(before)
    built = health(url)["site"]["build"]
    graphql(
        url,
        "mutation($s: String!) { setPartnerStatus(slug: $s, status: SUSPENDED, "
        'reason: "test") { errors { field } } }',
        editor,
        s=gone,
    )
    for _ in range(300):  # the publisher rebuilds within seconds; nobody asked
        site = health(url)["site"]
        if site["build"] != built and site["current"]:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"no rebuild: {site}")
    after = search(page)  # the same tab, never reloaded
    fresh = browser.new_page()
    fresh.goto(url)
    assert after == search(fresh)  # what a new tab finds, in the same order
    fresh.close()
    assert gone not in after and set(after) == set(before) - {gone}
    assert page.request.get(url + f"partners/{gone}/").status == 404


def test_graphiql_offline_points_to_what_works_without_it(
    browser: Browser,  # noqa: F811
    server: tuple[str, str],
) -> None:
    url, _ = server
    tab = browser.new_page()
    tab.route("https://unpkg.com/**", lambda route: route.abort())  # offline
    tab.goto(url + "graphql", wait_until="load")
    offline = tab.locator("#offline")
    expect(offline).to_be_visible()
    expect(offline).to_contain_text("GraphiQL could not load")
    expect(tab.locator("#graphiql")).to_be_hidden()
    assert url.rstrip("/") + "/graphql" in offline.locator("code").inner_text()
    for link in ("/schema.graphql", "/hsds/services"):
        answer = tab.request.get(url + link.lstrip("/"))
        assert answer.status == 200, link
    assert "type Query" in tab.request.get(url + "schema.graphql").text()
    tab.close()


@pytest.mark.parametrize("language", ["en", "es", "so", "hmn"])
def test_a_page_visited_again_keeps_its_styles_and_search(
    browser: Browser,  # noqa: F811
    server: tuple[str, str],
    language: str,
) -> None:
    """Visit, leave, come back, reload: the revalidated page (a 304 whose headers
    the browser merges into its copy) keeps its styles and its search, and the
    console shows no Content-Security-Policy refusal."""
    url, _ = server
    home = url + ("" if language == "en" else f"{language}/")
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    console: list[str] = []
    tab.on("console", lambda message: console.append(message.text))
    tab.goto(home)
    styled = tab.evaluate("getComputedStyle(document.body).margin")
    tab.goto(home + "about/")
    tab.go_back()
    tab.reload()
    # the stylesheet applies (the browser's default margin is 8px)
    assert tab.evaluate("getComputedStyle(document.body).margin") == styled != "8px"
    box = tab.locator("#q")
    box.fill(say(language, "tutoring") if language == "en" else "tutor")
    tab.locator("#results-status").evaluate("status => status.textContent = ''")
    box.press("Enter")
    expect(tab.locator("#results-list .card").first).to_be_visible()
    assert not [m for m in console if "Content Security Policy" in m], console
    tab.close()
