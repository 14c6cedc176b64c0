"""The static search index: words folded as the browser folds them, partner
numbers as gaps, shards by their first two letters."""

import json
from typing import Any

from directory_site.facets import Facet, Option
from directory_site.search_index import RECORDS_PER_CHUNK, gaps, index_files, words


def partner(slug: str, name: str, summary: str = "") -> dict[str, Any]:
    return {
        "slug": slug,
        "name": name,
        "summary": summary,
        "description": "",
        "serviceTypes": [{"slug": "arts", "name": "Arts"}],
        "schoolSites": [{"slug": "x", "name": "X School"}],
        "categories": [],
        "languages": [],
        "programs": [],
    }


def test_words_fold_case_and_accents_like_the_browser_does() -> None:
    assert words("Español: Tutoring & HOMEWORK-help 4th") == [
        "espanol",
        "tutoring",
        "homework",
        "help",
        "4th",
    ]


def test_numbers_are_stored_as_gaps() -> None:
    assert gaps([7, 2, 3, 3]) == [2, 1, 4]
    assert gaps([]) == []


def test_the_index_holds_shards_facets_and_records_in_chunks() -> None:
    partners = [partner(f"p{i:03}", f"Partner {i:03}") for i in range(150)]
    partners[0]["summary"] = "Clay and paint for the youngest"
    arts = Facet(
        "service", "Service", "Any service", [Option("arts", "Arts")], {"arts": [0, 2]}
    )
    files = dict(index_files(partners, [arts]))
    meta = json.loads(files["meta.json"])
    assert meta["total"] == 150 and meta["chunk"] == RECORDS_PER_CHUNK
    assert json.loads(files["words/cl.json"]) == {"clay": [[0]]}  # not in a name
    everywhere, in_name = json.loads(files["words/pa.json"])["partner"]
    assert everywhere == in_name == [0] + [1] * 149  # every partner, by gaps
    indexed = {
        word
        for path, data in files.items()
        if path.startswith("words/")
        for word in json.loads(data)
    }
    assert not indexed & {"and", "for", "the"}  # stopwords
    assert json.loads(files["facets/service/arts.json"]) == [0, 2]
    assert [len(json.loads(files[f"records/{n}.json"])) for n in (0, 1)] == [100, 50]
    assert json.loads(files["records/1.json"])[0][:2] == ["p100", "Partner 100"]
