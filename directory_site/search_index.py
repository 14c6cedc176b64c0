"""A compact static search index: word shards, facet lists and result records,
fetched by static/search.js only as a search needs them.

Partners are numbered by their place in the A–Z list. A list of partner numbers is
stored as gaps between them (sorted, first one as is), which gzip packs small."""

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from directory_site.facets import Facet

RECORDS_PER_CHUNK = 100
MAX_SCHOOLS_SHOWN = 3
STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or our that the "
    "their they this to we with who you your".split()
)

Partner = dict[str, Any]


def words(text: str) -> list[str]:
    """Lower-case ASCII words without accents; static/search.js does the same."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.findall(r"[a-z0-9]+", plain)


def gaps(numbers: Iterable[int]) -> list[int]:
    ordered = sorted(set(numbers))
    return [n - prev for prev, n in zip([0, *ordered], ordered, strict=False)]


def _dump(value: object) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def _text(p: Partner) -> Iterator[str]:
    yield from (p["summary"], p["description"])
    for key in ("serviceTypes", "schoolSites", "categories"):
        yield from (item["name"] for item in p[key])
    for lang in p["languages"]:
        yield from (lang["name"], lang["nativeName"])
    for program in p["programs"]:
        yield from (program["name"], program["description"])


def index_files(
    partners: list[Partner], facets: list[Facet]
) -> Iterator[tuple[str, bytes]]:
    """The index as (path under search/, bytes), in a fixed order."""
    everywhere: dict[str, set[int]] = defaultdict(set)
    in_name: dict[str, set[int]] = defaultdict(set)
    for number, p in enumerate(partners):
        for word in words(p["name"]):
            in_name[word].add(number)
            everywhere[word].add(number)
        for text in _text(p):
            for word in words(text):
                if word not in STOPWORDS:
                    everywhere[word].add(number)
    shards: dict[str, dict[str, list[list[int]]]] = defaultdict(dict)
    for word, numbers in everywhere.items():
        postings = [gaps(numbers)]
        if word in in_name:
            postings.append(gaps(in_name[word]))
        shards[word[:2]][word] = postings
    meta = {
        "version": 1,
        "total": len(partners),
        "chunk": RECORDS_PER_CHUNK,
        "shards": sorted(shards),
        "facets": [
            {"key": f.key, "options": {o.value: o.label for o in f.options}}
            for f in facets
        ],
    }
    yield "meta.json", _dump(meta)
    for prefix in sorted(shards):
        yield f"words/{prefix}.json", _dump(shards[prefix])
    for f in facets:
        for value, members in sorted(f.members.items()):
            yield f"facets/{f.key}/{value}.json", _dump(gaps(members))
    for start in range(0, len(partners), RECORDS_PER_CHUNK):
        chunk = partners[start : start + RECORDS_PER_CHUNK]
        yield (
            f"records/{start // RECORDS_PER_CHUNK}.json",
            _dump([_record(p) for p in chunk]),
        )


def _record(p: Partner) -> list[Any]:
    """What a result shows: slug, name, summary, services, schools (slug, name)."""
    return [
        p["slug"],
        p["name"],
        p["summary"],
        [s["name"] for s in p["serviceTypes"]],
        [[s["slug"], s["name"]] for s in p["schoolSites"]],
    ]
