"""The screenshots of README.md and docs/directory.md, from a built directory
served at BASE_URL.

partners build-site var/site && partners serve   # in one terminal
.venv/bin/python docs/screenshots.py http://127.0.0.1:8000/ PARTNER_SLUG
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).parent
PHONE = {"width": 360, "height": 760}


def main(base: str, partner: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page(viewport=PHONE, locale="en-US")
        page.goto(base)
        page.screenshot(path=HERE / "home.png")
        page = browser.new_page(viewport=PHONE, locale="es-MX")
        page.goto(base + "es/?q=ayuda+con+tareas&grade=5")
        page.locator("#results-list .card").first.wait_for()
        page.locator("#results-title").evaluate("title => title.scrollIntoView()")
        page.screenshot(path=HERE / "es-search.png")
        page.goto(base + f"es/partners/{partner}/")
        page.screenshot(path=HERE / "es-partner.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
