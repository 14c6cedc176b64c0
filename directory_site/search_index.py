"""A compact static search index: word shards, facet lists and result records,
fetched by static/search.js only as a search needs them.

Partners are numbered by their place in the A–Z list. A list of partner numbers is
stored as gaps between them (sorted, first one as is), which gzip packs small."""

import functools
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from directory_site.facets import Facet, Option, Say, grade_span

# Results come in A–Z order within ranks, so a page of them is scattered over
# the list: small chunks keep what a search fetches close to what it shows.
RECORDS_PER_CHUNK = 10
# Words too common to find anything by, per language (as words() leaves them);
# the index leaves them out and static/search.js skips them in a query.
STOPWORDS = {
    "en": "a an and are as at be by for from has have in is it its of on or our that "
    "the their they this to we with who you your",
    "es": "a al como con de del el en es la las lo los o para por que se su sus un "
    "una y",
    "so": "ah ay ee iyo ka ku la oo u waa",
    "hmn": "thiab rau ntawm hauv los yog",
}
# A word in more than this share of school names, and in three or more
# (Elementary, School), does not tell schools apart: a search is taken to name a
# school by its other words.
COMMON_IN_SCHOOL_NAMES = 0.2

Partner = dict[str, Any]


WORD = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=1 << 16)  # names of services and schools recur
def words(text: str) -> tuple[str, ...]:
    """Lower-case ASCII words without accents; static/search.js does the same."""
    if not text.isascii():
        plain = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in plain if not unicodedata.combining(c))
    return tuple(WORD.findall(text.lower()))


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


def _options(facets: list[Facet], key: str) -> list[Option]:
    return next((f.options for f in facets if f.key == key), [])


def _schools(facets: list[Facet], stopwords: frozenset[str]) -> list[list[Any]]:
    """The schools as records name them by place: [slug, name, telling words],
    the words a search must hold to name that school."""
    options = _options(facets, "school")
    named = {o.value: set(words(o.label)) - stopwords for o in options}
    seen: dict[str, int] = defaultdict(int)
    for found in named.values():
        for word in found:
            seen[word] += 1
    common = {
        w for w, n in seen.items() if n >= 3 and n > len(named) * COMMON_IN_SCHOOL_NAMES
    }
    return [
        [o.value, o.label, sorted(named[o.value] - common or named[o.value])]
        for o in options
    ]


def index_files(
    partners: list[Partner],
    facets: list[Facet],
    language: str,
    say: Say = str,
    when: Callable[[Partner], str] = lambda p: "",
) -> Iterator[tuple[str, bytes]]:
    """A language's index as (path under search/<build>/<language>/, bytes), in a
    fixed order; `partners` and `facets` are in that language, `say` its words,
    `when` what a partner's card says of when it meets (Pages.soonest)."""
    stopwords = frozenset(STOPWORDS.get(language, "").split())
    everywhere: dict[str, set[int]] = defaultdict(set)
    in_name: dict[str, set[int]] = defaultdict(set)
    for number, p in enumerate(partners):
        named = set(words(p["name"]))  # a name's words count, stopwords too
        found = set().union(*map(words, _text(p))) - stopwords | named
        for word in named:
            in_name[word].add(number)
        for word in found:
            everywhere[word].add(number)
    shards: dict[str, dict[str, list[list[int]]]] = defaultdict(dict)
    for word, numbers in everywhere.items():
        postings = [gaps(numbers)]
        if word in in_name:
            postings.append(gaps(in_name[word]))
        shards[word[:2]][word] = postings
    meta = {
        "version": 2,
        "language": language,
        "total": len(partners),
        "chunk": RECORDS_PER_CHUNK,
        "shards": sorted(shards),
        "stopwords": sorted(stopwords),
        # records name services and schools by their place in these lists
        "services": [[o.value, o.label] for o in _options(facets, "service")],
        "schools": _schools(facets, stopwords),
    }
    places = {
        key: {o.value: i for i, o in enumerate(_options(facets, key))}
        for key in ("service", "school")
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
            _dump([_record(p, say, places, when) for p in chunk]),
        )


def _record(
    p: Partner,
    say: Say,
    places: dict[str, dict[str, int]],
    when: Callable[[Partner], str],
) -> list[Any]:
    """What a result shows: slug, name, summary, services, schools (their places
    in the meta's lists), grades, cost (2 free, 1 some programs free, 0 not
    free), program names and the programs offered in each language {code: [their
    places]}, which of name (1) and summary (2) stand in English, and when it
    meets next ("Tue, Thu 3:30 PM at Hillcrest Middle") or runs ("" if unsaid)."""
    programs = p["programs"]
    free = {program["free"] for program in programs}
    offered: dict[str, list[int]] = defaultdict(list)
    for place, program in enumerate(programs):
        for lang in program["languages"]:
            offered[lang["code"]].append(place)
    fallback = p.get("fallback", ())
    return [
        p["slug"],
        p["name"],
        p["summary"],
        [places["service"][s["slug"]] for s in p["serviceTypes"]],
        [places["school"][s["slug"]] for s in p["schoolSites"]],
        grade_span(p["gradeMin"], p["gradeMax"], say) if programs else "",
        2 if free == {True} else 1 if len(free) > 1 else 0,
        [program["name"] for program in programs],
        dict(sorted(offered.items())),
        ("name" in fallback) + 2 * ("summary" in fallback),
        when(p),
    ]
