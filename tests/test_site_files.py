"""The built directory as the server sends it: the current build, whole, from the
moment one exists; pages revalidated, build-addressed files kept for good."""

import asyncio
import dataclasses
import os
import threading
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest

import models as m
from api.app import create_app
from directory_site.build import build
from directory_site.pages import Site

SITE = Site(district="Riverton Public Schools", base="/", url="http://t/")


@pytest.fixture
async def served(
    district: date, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, Path]]:
    root = tmp_path / "site"
    app = create_app(site_dir=str(root), today=lambda: district)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client, root


async def test_the_site_is_served_as_soon_as_a_build_exists(
    served: tuple[httpx.AsyncClient, Path], district: date
) -> None:
    client, root = served
    before = await client.get("/")
    assert before.status_code == 503 and before.headers["retry-after"] == "30"
    await build(root, SITE, district)
    after = await client.get("/")
    assert after.status_code == 200 and "Community Partner Directory" in after.text


async def test_pages_revalidate_and_build_addressed_files_are_kept(
    served: tuple[httpx.AsyncClient, Path], district: date
) -> None:
    client, root = served
    await build(root, SITE, district)
    home = await client.get("/")
    assert home.headers["cache-control"] == "no-cache"
    again = await client.get("/", headers={"if-none-match": home.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    # a browser merges a 304's headers into its copy: the page's policy, not the
    # one for JSON, or every second visit renders without styles and scripts
    for path in ["/", "/about/", "/search/manifest.json"]:
        first = await client.get(path)
        revisit = await client.get(
            path, headers={"if-none-match": first.headers["etag"]}
        )
        assert revisit.status_code == 304, path
        for header in ["content-security-policy", "x-content-type-options"]:
            assert revisit.headers[header] == first.headers[header], (path, header)
    manifest = await client.get("/search/manifest.json")
    assert manifest.headers["cache-control"] == "no-cache"
    build_id, script = manifest.json()["build"], manifest.json()["script"]
    assert f'src="/static/{script}"' in home.text
    for path in [f"/static/{script}", f"/search/{build_id}/en/meta.json"]:
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"].endswith("immutable"), path
        assert response.headers["x-content-type-options"] == "nosniff"
    # pages load only the site's own files; nothing may frame them
    policy = home.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert home.headers["referrer-policy"] == "strict-origin-when-cross-origin"


async def test_missing_hidden_and_outside_paths(
    served: tuple[httpx.AsyncClient, Path], district: date
) -> None:
    client, root = served
    await build(root, dataclasses.replace(SITE, languages=("en", "es")), district)
    missing = await client.get("/partners/nobody/")
    assert missing.status_code == 404 and "Page not found" in missing.text
    # in the language of the folder asked for, when the site has it
    spanish = await client.get("/es/partners/nobody/")
    assert spanish.status_code == 404 and "No encontramos la página" in spanish.text
    other = await client.get("/so/partners/nobody/")
    assert other.status_code == 404 and "Page not found" in other.text
    for path in ["/.partners-site", "/../site.builds/.lock", "/%2e%2e/x"]:
        assert (await client.get(path)).status_code == 404, path
    folder = await client.get("/about", follow_redirects=False)
    assert folder.status_code == 308 and folder.headers["location"] == "/about/"
    assert (await client.post("/about/")).status_code == 405


async def test_no_request_sees_a_missing_site_while_builds_switch(
    served: tuple[httpx.AsyncClient, Path], district: date
) -> None:
    client, root = served
    await build(root, SITE, district)
    first = os.readlink(root)
    await m.Partner.filter(slug="city-arts").update(name="Renamed Arts")
    await build(root, SITE, district)
    second = os.readlink(root)
    stop = threading.Event()

    def flip() -> None:  # a new build switched in, again and again
        n = 0
        while not stop.is_set():
            link = root.with_name(f"flip-{n % 2}")
            link.unlink(missing_ok=True)
            link.symlink_to(first if n % 2 else second)
            os.replace(link, root)
            n += 1

    flipper = threading.Thread(target=flip)
    flipper.start()
    try:
        statuses = []
        for _ in range(150):
            pages = await asyncio.gather(
                client.get("/"),
                client.get("/a-z/"),
                client.get("/search/manifest.json"),
            )
            statuses += [p.status_code for p in pages]
    finally:
        stop.set()
        flipper.join()
    assert set(statuses) == {200}


async def test_build_json_says_what_the_build_is_true_for(
    served: tuple[httpx.AsyncClient, Path], district: date
) -> None:
    client, root = served
    await build(root, SITE, district)
    record = (await client.get("/build.json")).json()
    assert record["day"] == district.isoformat()
    assert record["revision"] == 0  # the test district was written without audit
    assert record["partners"] == 4
    # bright-minds' contract covers today only: tomorrow the listing changes
    assert record["valid_until"] == district.isoformat()
    assert record["site"] == {
        "url": "http://t/",
        "district": "Riverton Public Schools",
        "languages": ["en"],
    }


async def test_a_folder_is_redirected_within_the_site(
    served: tuple[httpx.AsyncClient, Path], district: date
) -> None:
    """A redirect's Location is a path with one leading slash: `//host/…` and
    `/\\host/…` are other sites to a browser."""
    client, root = served
    await build(root, SITE, district)
    # a folder whose name a browser reads as a host, and one whose name a header
    # cannot carry as it is
    for name in ["\\evil.com", "łódź"]:
        (root / name).mkdir()
        (root / name / "index.html").write_text("<p>here</p>")
    for path, location in [
        ("//about?x=1", "/about/?x=1"),
        ("///about", "/about/"),
        ("//partners//city-arts", "/partners/city-arts/"),
        ("/\\evil.com", "/%5Cevil.com/"),
        ("//\\evil.com?a=%22b%22", "/%5Cevil.com/?a=%22b%22"),
        ("/łódź?q=ł", "/%C5%82%C3%B3d%C5%BA/?q=%C5%82"),
    ]:
        response = await client.get(f"http://t{path}", follow_redirects=False)
        assert response.status_code == 308, path
        assert response.headers["location"] == location, path
        followed = await client.get(f"http://t{location}", follow_redirects=False)
        assert followed.status_code == 200, location
    partners = await client.get("http://t//partners?x=1", follow_redirects=False)
    assert partners.headers["location"] == "/partners/?x=1"  # issue 22's example
    for path in ["/\\/partners", "/\\\\partners"]:  # no such folder: not found
        assert (await client.get(f"http://t{path}")).status_code == 404, path
