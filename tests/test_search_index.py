"""The static search index: words folded as the browser folds them, partner
numbers as gaps, shards by their first two letters."""

import json
import math
from datetime import date
from typing import Any

from directory_site.facets import Facet, Option
from directory_site.facets import facets as all_facets
from directory_site.search_index import RECORDS_PER_CHUNK, gaps, index_files, words
from directory_site.when import When


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


def facets(*schools: str) -> list[Facet]:
    """The facets the partners above are in: the arts, and X School and others."""
    names = ["X School", *schools]
    return [
        Facet("service", "Service", "Any service", [Option("arts", "Arts")], {}),
        Facet(
            "school",
            "School",
            "Any school",
            [Option(name.split()[0].lower(), name) for name in names],
            {},
        ),
    ]


def test_words_fold_case_and_accents_like_the_browser_does() -> None:
    assert words("Español: Tutoring & HOMEWORK-help 4th") == (
        "espanol",
        "tutoring",
        "homework",
        "help",
        "4th",
    )


def test_numbers_are_stored_as_gaps() -> None:
    assert gaps([7, 2, 3, 3]) == [2, 1, 4]
    assert gaps([]) == []


def test_the_index_holds_shards_facets_and_records_in_chunks() -> None:
    partners = [partner(f"p{i:03}", f"Partner {i:03}") for i in range(150)]
    partners[0]["summary"] = "Clay and paint for the youngest"
    arts, school = facets()
    arts.members["arts"] = [0, 2]
    files = dict(index_files(partners, [arts, school], "en"))
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
    count = math.ceil(150 / RECORDS_PER_CHUNK)
    chunks = [json.loads(files[f"records/{n}.json"]) for n in range(count)]
    assert f"records/{count}.json" not in files
    assert [len(c) for c in chunks[:-1]] == [RECORDS_PER_CHUNK] * (count - 1)
    assert sum(len(c) for c in chunks) == 150
    assert chunks[1][0][:2] == [
        f"p{RECORDS_PER_CHUNK:03}",
        f"Partner {RECORDS_PER_CHUNK:03}",
    ]


def program(name: str, free: bool, languages: list[str], low: int, high: int) -> Any:
    return {
        "name": name,
        "description": "",
        "free": free,
        "gradeMin": low,
        "gradeMax": high,
        "languages": [{"code": c, "name": c, "nativeName": c} for c in languages],
    }


def test_a_record_has_grades_cost_programs_by_language_and_english_marks() -> None:
    p = partner("casa", "Casa Club", "Tareas y juegos")
    p["programs"] = [
        program("Club de tareas", True, ["en", "es"], 0, 5),
        program("Chess", False, ["en"], 3, 8),
    ]
    p["gradeMin"], p["gradeMax"] = 0, 8
    p["fallback"] = ["name"]
    p["schoolSites"].append({"slug": "oak", "name": "Oak Elementary"})
    files = dict(index_files([p], facets("Oak Elementary"), "es", lambda word: word))
    record = json.loads(files["records/0.json"])[0]
    meta = json.loads(files["meta.json"])
    assert record[3:5] == [[0], [0, 1]]  # places in the meta's lists
    assert meta["services"] == [["arts", "Arts"]]
    assert [school[:2] for school in meta["schools"]] == [
        ["x", "X School"],
        ["oak", "Oak Elementary"],
    ]
    assert record[5:] == [
        "K–8",
        1,  # some programs free
        ["Club de tareas", "Chess"],
        {"en": [0, 1], "es": [0]},
        1,  # the name stands in English, the summary does not
        "",  # when: nothing said
    ]
    assert meta["language"] == "es" and "con" in meta["stopwords"]
    assert "tareas" in json.loads(files["words/ta.json"])


def test_a_school_is_named_by_the_words_that_tell_it_apart() -> None:
    names = ["Oak Hill Elementary", "Cedar Elementary", "Hill Middle School",
             "Maple Elementary", "Elm Middle School", "Birch High School"]  # fmt: skip
    schools = Facet(
        "school", "School", "Any school",
        [Option(f"s{i}", name) for i, name in enumerate(names)],
        {f"s{i}": [0] for i in range(len(names))},
    )  # fmt: skip
    nowhere = partner("a", "A")
    nowhere["serviceTypes"] = nowhere["schoolSites"] = []
    meta = json.loads(dict(index_files([nowhere], [schools], "en"))["meta.json"])
    telling = {slug: found for slug, _, found in meta["schools"]}
    assert telling["s0"] == ["hill", "oak"]  # not "elementary": 3 of 6 have it
    assert telling["s2"] == ["hill", "middle"]  # 2 of 6: still telling
    assert telling["s5"] == ["birch", "high"]


def session(days: list[str], term: tuple[str, str], school: str | None) -> Any:
    return {
        "days": days,
        "startsAt": "15:30:00",
        "endsAt": "17:00:00",
        "validFrom": term[0],
        "validUntil": term[1],
        "schoolSite": {"slug": school} if school else None,
    }


def test_days_are_a_facet_and_a_record_says_when_the_partner_meets_next() -> None:
    day = date(2031, 3, 12)  # a Wednesday
    year, summer, over = (
        ("2030-09-08", "2031-05-28"),
        ("2031-06-16", "2031-08-07"),
        (
            "2030-09-08",
            "2031-03-11",
        ),
    )
    partners = [partner(f"p{i}", f"Partner {i}") for i in range(4)]
    programs = [
        # a term on now, and one still to begin (its Fridays count too)
        [
            session(["TUESDAY", "THURSDAY"], year, "x"),
            session(["FRIDAY"], summer, None),
        ],
        [session(["MONDAY"], summer, "x")],  # only to begin
        [session(["SATURDAY"], over, "x")],  # over: no day, no line
        [],
    ]
    for p, sessions in zip(partners, programs, strict=True):
        p["programs"] = [
            {"name": "Club", "sessions": sessions, "timing": [], "free": True,
             "languages": [], "gradeMin": 1, "gradeMax": 5, "description": ""}
        ]  # fmt: skip
        p["gradeMin"], p["gradeMax"] = 1, 5
    directory = {
        "listing": {"day": day.isoformat()},
        "serviceTypes": [{"slug": "arts", "name": "Arts"}],
        "schoolSites": [{"slug": "x", "name": "X School"}],
        "categories": [],
        "languages": [],
    }
    found = all_facets(directory, partners, str, "en")
    days = next(f for f in found if f.key == "day")
    assert [o.label for o in days.options] == [
        "Monday",
        "Tuesday",
        "Thursday",
        "Friday",
    ]
    assert days.members == {
        "monday": [1],
        "tuesday": [0],
        "thursday": [0],
        "friday": [0],
    }
    when = When("en", day, str)
    files = dict(index_files(partners, found, "en", str, when.soonest))
    assert json.loads(files["facets/day/tuesday.json"]) == [0]
    assert "facets/day/saturday.json" not in files
    records = json.loads(files["records/0.json"])
    assert [r[10] for r in records] == [
        "Tue, Thu 3:30 PM at X School",
        "Mon 3:30 PM from Jun 16 at X School",
        "",
        "",
    ]
