import dataclasses
import json
import re
from datetime import date
from pathlib import Path

import pytest

import models as m
from demo import load_demo
from directory_site import queries
from directory_site.build import BuildError, build
from directory_site.messages import translations
from directory_site.pages import Site
from tests.district import DAY, LISTED, UNLISTED

SITE = Site(district="Riverton Public Schools", base="/", url="https://example.org/")
HOSTILE = "<script>alert(1)</script>"
LANGUAGES = ("en", "es", "so", "hmn")


def say(language: str, text: str) -> str:
    return translations(language).gettext(text)


def files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def index(site: Path, language: str = "en") -> Path:
    """A language's search index in the build served at `site`."""
    build: str = json.loads((site / "search/manifest.json").read_text())["build"]
    return site / "search" / build / language


def sitemap(site: Path) -> str:
    """Every URL the sitemaps list, one per line; each sitemap listed in the index."""
    top = (site / "sitemap.xml").read_text()
    assert top.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex')
    names = re.findall(r"<loc>https://example.org/(sitemap-\d+\.xml)</loc>", top)
    assert names and top.count("<loc>") == len(names)
    return "\n".join(
        url
        for name in names
        for url in re.findall(r"<loc>([^<]+)</loc>", (site / name).read_text())
    )


def everything(root: Path) -> str:
    return "\n".join(data.decode() for data in files(root).values())


async def test_listed_partners_have_pages_and_unlisted_appear_nowhere(
    district: date, tmp_path: Path
) -> None:
    summary = await build(tmp_path / "site", SITE, DAY)
    site = tmp_path / "site"
    assert summary.partners == len(LISTED)
    for slug in LISTED:
        assert (site / "partners" / slug / "index.html").is_file()
    text = everything(site)
    for slug in UNLISTED:
        assert slug not in text
    urls = sitemap(site)
    assert "https://example.org/partners/city-arts/" in urls.split()
    assert "https://example.org/about/" in urls.split()
    for name in ("index.html", "404.html", "about/index.html", "a-z/index.html"):
        assert (site / name).is_file()
    assert (site / "services/tutoring/index.html").is_file()
    assert (site / "schools/cedar-elementary/index.html").is_file()


async def test_staff_only_data_appears_nowhere(district: date, tmp_path: Path) -> None:
    await m.Partner.filter(slug="harbor-counseling").update(
        street="77 Hidden Lane", internal_notes="Board chair called about invoices"
    )
    await m.Partner.filter(slug="applied-org").update(name="Secret Applicant Org")
    await m.Agreement.filter(partner__slug="mentor-match").update(
        reference="C-2026-9999", notes="Renewal negotiated at a lower rate"
    )
    await build(tmp_path / "site", SITE, DAY)
    text = everything(tmp_path / "site")
    for secret in [
        "77 Hidden Lane",
        "Board chair called",
        "Secret Applicant Org",
        "C-2026-9999",
        "lower rate",
    ]:
        assert secret not in text
    page = (tmp_path / "site/partners/harbor-counseling/index.html").read_text()
    assert "Shared on request" in page


async def test_partner_text_is_shown_as_text(district: date, tmp_path: Path) -> None:
    await m.Partner.filter(slug="city-arts").update(
        name=HOSTILE,
        summary='"><img src=x onerror=alert(2)>',
        website="javascript:alert(3)",
    )
    await build(tmp_path / "site", SITE, DAY)
    site = tmp_path / "site"
    page = (site / "partners/city-arts/index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>&lt;script&gt;" in page
    assert "javascript:" not in page
    for path, data in files(site).items():
        if path.endswith(".html"):
            html = data.decode()
            assert "<script>alert" not in html, path
            assert "<img src=x" not in html, path
    records = [
        record
        for path in sorted((index(site) / "records").iterdir())
        for record in json.loads(path.read_text())
    ]
    assert [r[1] for r in records if r[0] == "city-arts"] == [HOSTILE]


async def test_two_builds_are_identical(district: date, tmp_path: Path) -> None:
    await build(tmp_path / "one", SITE, DAY)
    await build(tmp_path / "two", SITE, DAY)
    one, two = files(tmp_path / "one"), files(tmp_path / "two")
    # build.json says when each was made; every other byte is the same
    assert one.pop("build.json") != b"" and two.pop("build.json") != b""
    assert one == two


async def test_rebuilding_replaces_the_previous_site(
    district: date, tmp_path: Path
) -> None:
    await build(tmp_path / "site", SITE, DAY)
    await m.Partner.filter(slug="city-arts").update(status=m.PartnerStatus.INACTIVE)
    await build(tmp_path / "site", SITE, DAY)
    assert not (tmp_path / "site/partners/city-arts").exists()
    assert [p.name for p in (tmp_path / "site.builds").glob(".staging-*")] == []


async def test_refuses_to_empty_a_folder_it_did_not_make(
    district: date, tmp_path: Path
) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine/thesis.txt").write_text("keep me")
    with pytest.raises(BuildError, match="not empty and was not made by build-site"):
        await build(tmp_path / "mine", SITE, DAY)
    assert (tmp_path / "mine/thesis.txt").read_text() == "keep me"


async def test_a_slug_that_would_escape_the_site_stops_the_build(
    district: date, tmp_path: Path
) -> None:
    await m.Partner.filter(slug="city-arts").update(slug="../../escaped")
    with pytest.raises(BuildError, match="not URL-safe"):
        await build(tmp_path / "site", SITE, DAY)
    assert not (tmp_path / "escaped").exists()
    assert not (tmp_path / "site").exists()


async def test_a_graphql_error_stops_the_build_loudly(
    district: date, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "queries"
    broken.mkdir()
    (broken / "directory.graphql").write_text("{ categories { noSuchField } }")
    monkeypatch.setattr(queries, "QUERIES", broken)
    with pytest.raises(queries.QueryError, match="noSuchField"):
        await build(tmp_path / "site", SITE, DAY)
    assert not (tmp_path / "site").exists()


async def test_demo_district_site_shows_exactly_the_public_partners(
    db: object, tmp_path: Path
) -> None:
    await load_demo(partners=120, seed=5, today=DAY)
    summary = await build(tmp_path / "site", SITE, DAY)
    listed = {p.slug for p in await m.Listing(DAY).partners()}
    hidden = await m.Partner.exclude(slug__in=listed)
    assert summary.partners == len(listed) and hidden
    site = tmp_path / "site"
    pages = {p.name for p in (site / "partners").iterdir()}
    assert pages == listed
    text = everything(site)
    for partner in hidden:
        assert f"/partners/{partner.slug}/" not in text
        assert f'"{partner.slug}"' not in text
    for partner in await m.Partner.exclude(internal_notes=""):
        assert partner.internal_notes not in text
    for agreement in await m.Agreement.exclude(reference=""):
        assert agreement.reference not in text
    assert sitemap(site).count("/partners/") == len(listed)


async def test_search_index_holds_words_facets_and_records(
    district: date, tmp_path: Path
) -> None:
    await build(tmp_path / "site", SITE, DAY)
    search = index(tmp_path / "site")
    meta = json.loads((search / "meta.json").read_text())
    assert meta["total"] == len(LISTED)
    records = json.loads((search / "records/0.json").read_text())
    order = [r[0] for r in records]  # partners are numbered A to Z
    assert order == ["bright-minds", "city-arts", "harbor-counseling", "mentor-match"]

    def members(postings: list[int]) -> list[str]:
        numbers, n = [], 0
        for gap in postings:
            n += gap
            numbers.append(order[n])
        return numbers

    shard = json.loads((search / "words/tu.json").read_text())
    everywhere, in_name = shard["tutoring"]
    assert members(everywhere) == ["bright-minds", "mentor-match"]
    assert members(in_name) == ["bright-minds"]
    indexed = {
        word
        for shard in (search / "words").iterdir()
        for word in json.loads(shard.read_text())
    }
    assert {"homework", "counselors", "club"} <= indexed
    assert not indexed & {"in", "the", "a"}  # "Homework help in small groups."
    school = json.loads((search / "facets/school/lake-middle.json").read_text())
    assert members(school) == ["harbor-counseling", "mentor-match"]
    assert not (search / "facets/grade/-1.json").exists()  # no listed pre-K program
    free = json.loads((search / "facets/free/yes.json").read_text())
    assert members(free) == ["bright-minds", "harbor-counseling", "mentor-match"]


async def test_every_page_in_each_language(district: date, tmp_path: Path) -> None:
    root = tmp_path / "site"
    summary = await build(root, dataclasses.replace(SITE, languages=LANGUAGES), DAY)

    def pages(folder: Path) -> set[str]:
        return {
            str(p.relative_to(folder))
            for p in folder.rglob("*.html")
            if p.relative_to(folder).parts[0] not in LANGUAGES
        }

    english = pages(root)
    assert summary.pages == 4 * len(english)
    urls = sitemap(root).split()
    for language in LANGUAGES[1:]:
        assert pages(root / language) == english
        home = (root / language / "index.html").read_text()
        assert f'<html lang="{language}">' in home
        assert say(language, "Find a community partner") in home
        for code in LANGUAGES:
            folder = "" if code == "en" else f"{code}/"
            assert (
                f'<link rel="alternate" hreflang="{code}" '
                f'href="https://example.org/{folder}">'
            ) in home
        assert f"https://example.org/{language}/partners/city-arts/" in urls
    assert (
        len(urls)
        == len(set(urls))
        == 4
        * len([p for p in english if p.endswith("index.html") and "/page/" not in p])
    )
    spanish = (root / "es/partners/bright-minds/index.html").read_text()
    assert '<h1 lang="en">Bright Minds Tutoring</h1>' in spanish  # no Spanish name
    assert '<p class="lead">Ayuda con tareas en grupos pequeños.</p>' in spanish
    assert "Tutoría y ayuda con tareas" in spanish  # the service, in Spanish
    words = {
        word
        for shard in (index(root, "es") / "words").iterdir()
        for word in json.loads(shard.read_text())
    }
    assert {"tutoria", "ayuda", "tareas", "pequenos"} <= words
    assert not words & {"con", "en", "y"}  # Spanish stopwords
    record = json.loads((index(root, "es") / "records/0.json").read_text())[0]
    assert record[:3] == [
        "bright-minds",
        "Bright Minds Tutoring",
        "Ayuda con tareas en grupos pequeños.",
    ]
    built = json.loads((root / "build.json").read_text())
    assert built["site"]["languages"] == list(LANGUAGES)


async def test_a_partner_without_programs_says_so(
    district: date, tmp_path: Path
) -> None:
    await m.Program.filter(partner__slug="city-arts").delete()
    await build(tmp_path / "site", SITE, DAY)
    page = (tmp_path / "site/partners/city-arts/index.html").read_text()
    assert "No programs are listed yet." in page
