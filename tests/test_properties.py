"""Generated requests: an anonymous caller never reaches an unlisted partner, an
agreement or any other staff-only data; nested lists are answered within their
cost or refused; hostile values never cause a 5xx or an internal error."""

import base64
import json
import logging
from datetime import date
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    parse,
)
from hypothesis import given
from hypothesis import strategies as st

import models as m
from api.bounds import read_bounds
from api.cost import document_cost
from api.engine import graphql_schema
from api.hsds.endpoint import ALLOWED
from api.hsds.endpoint import LISTS as HSDS_LISTS
from api.schema import schema
from demo import load_demo
from models.public_ids import Kind, public_id
from models.settings import current
from tests.district import DAY, LISTED, UNLISTED
from tests.properties import examples

SECRETS = [
    "77 Hidden Lane",  # harbor-counseling's confidential street
    "Call the board chair",  # internal notes
    "C-2026-4242",  # an agreement's reference
    "renewal at a lower rate",  # an agreement's notes
    "Secret Applicant",  # an unlisted partner's name
    *UNLISTED,  # unlisted partners' slugs (and their programs' slugs start with them)
]
SLUGS = st.sampled_from([*LISTED, *UNLISTED, "", "x", "../etc", "<script>"])
TEXT = st.text(max_size=30)
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-5, 150), TEXT)


def global_id(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


NODE_IDS = st.one_of(
    st.builds(
        global_id,
        st.sampled_from(["Partner", "Program", "SchoolSite", "Agreement"]),
        st.one_of(SLUGS, st.sampled_from([f"{s}-tutoring" for s in UNLISTED])),
    ),
    TEXT,
)
PARTNER_FIELDS = st.lists(
    st.sampled_from(
        [
            "slug",
            "name",
            "summary",
            "description",
            "address { street }",
            "addressConfidential",
            "categories { slug partnerCount }",
            "programs { slug partner { slug } schoolSites { slug "
            "partners(first: 3) { edges { node { slug } } } } }",
            "serviceTypes { slug partnerCount }",
            "schoolSites { slug }",
            "languages { code }",
            "status",
            "internalNotes",
            "agreements { reference }",
        ]
    ),
    min_size=1,
    max_size=5,
).map(" ".join)


@st.composite
def filters(draw: st.DrawFn) -> str:
    parts = []
    for name, values in [
        ("search", TEXT.map(json.dumps)),
        ("categories", st.lists(SLUGS).map(json.dumps)),
        (
            "serviceTypes",
            st.lists(st.sampled_from(["tutoring", "arts", "nope"])).map(json.dumps),
        ),
        (
            "schoolSites",
            st.lists(st.sampled_from(["cedar-elementary", "x"])).map(json.dumps),
        ),
        ("grade", st.integers(-3, 15).map(str)),
        (
            "languages",
            st.lists(st.sampled_from(["en", "es", "so", "zz"])).map(json.dumps),
        ),
        (
            "timing",
            st.lists(st.sampled_from(["AFTER_SCHOOL", "SUMMER", "NOPE"])).map(
                lambda ts: "[" + ",".join(ts) + "]"
            ),
        ),
        ("free", st.sampled_from(["true", "false", "null"])),
    ]:
        if draw(st.booleans()):
            parts.append(f"{name}: {draw(values)}")
    return "{" + ", ".join(parts) + "}"


@st.composite
def documents(draw: st.DrawFn) -> str:
    fields = draw(PARTNER_FIELDS)
    first = draw(st.integers(-2, 120))
    after = json.dumps(draw(st.one_of(TEXT, st.just("b2Zmc2V0OjE="))))
    slug = json.dumps(draw(SLUGS))
    choices = [
        f"{{ partners(filter: {draw(filters())}, first: {first}, after: {after}) "
        f"{{ totalCount edges {{ node {{ {fields} }} }} }} }}",
        f"{{ partner(slug: {slug}) {{ {fields} }} }}",
        f"{{ programs(filter: {draw(filters())}, first: {first}) "
        "{ edges { node { slug partner { slug name } } } } }",
        f"{{ schoolSite(slug: {slug}) {{ slug partners(first: {first}) "
        f"{{ edges {{ node {{ {fields} }} }} }} }} }}",
        f"{{ schoolSites {{ partners {{ edges {{ node {{ {fields} }} }} }} }} }}",
        f"{{ node(id: {json.dumps(draw(NODE_IDS))}) {{ id ... on Partner {{ {fields} }}"
        " ... on Program { slug partner { slug } } } }",
        f"{{ staff {{ partners(first: {first}) "
        "{ edges { node { slug internalNotes } } } "
        "agreements { edges { node { reference notes } } } auditLog { totalCount } } }",
        'mutation { setPartnerStatus(slug: "applied-org", status: APPROVED, '
        'reason: "x") { record { slug internalNotes } } }',
        "{ categories { slug partnerCount } serviceTypes { slug partnerCount } }",
        draw(st.text(max_size=80)),  # not GraphQL at all, most of the time
    ]
    return draw(st.sampled_from(choices))


VARIABLES = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["first", "after", "slug", "filter", "id"]), SCALAR, max_size=3
    ),
    st.lists(SCALAR, max_size=2),
)


@pytest.fixture
async def secrets_on_file(district: date) -> None:
    await m.Partner.filter(slug="harbor-counseling").update(street="77 Hidden Lane")
    await m.Partner.filter(slug="mentor-match").update(
        internal_notes="Call the board chair"
    )
    await m.Partner.filter(slug="applied-org").update(name="Secret Applicant Org")
    await m.Agreement.filter(partner__slug="mentor-match").update(
        reference="C-2026-4242", notes="renewal at a lower rate"
    )


@examples(150)
@given(
    document=documents(),
    variables=VARIABLES,
    accept=st.sampled_from(
        ["application/json", "application/graphql-response+json", "*/*", "text/html"]
    ),
    method=st.sampled_from(["GET", "POST"]),
)
async def test_anonymous_callers_never_see_staff_data_or_a_5xx(
    client: httpx.AsyncClient,
    secrets_on_file: None,
    document: str,
    variables: Any,
    accept: str,
    method: str,
) -> None:
    if method == "POST":
        body = {"query": document, "variables": variables}
        response = await client.post("/graphql", json=body, headers={"accept": accept})
    else:
        params = {"query": document}
        if variables is not None:
            params["variables"] = json.dumps(variables)
        response = await client.get(
            "/graphql", params=params, headers={"accept": accept}
        )
    assert response.status_code < 500, response.text
    for secret in SECRETS:
        assert secret not in response.text, (secret, document)


# Nested lists, as an anonymous visitor could write them: lists within lists 3 to
# 5 deep, with and without `first`. Each is answered within its budget or refused
# with its cost; and an answer never holds more fields than its estimated cost.
LISTS: dict[str, list[tuple[str, str]]] = {
    # type: [(field as written, type of what it lists)]
    "Query": [
        ("schoolSites", "SchoolSite"),
        ("categories", "Category"),
        ("serviceTypes", "ServiceType"),
        ("partners{F} {{ edges {{ node", "Partner"),
        ("programs{F} {{ edges {{ node", "Program"),
    ],
    "Partner": [
        ("programs", "Program"),
        ("schoolSites", "SchoolSite"),
        ("categories", "Category"),
        ("serviceTypes", "ServiceType"),
        ("languages", "Language"),
    ],
    "Program": [
        ("schoolSites", "SchoolSite"),
        ("serviceTypes", "ServiceType"),
        ("languages", "Language"),
        ("partner", "Partner"),
    ],
    "SchoolSite": [("partners{F} {{ edges {{ node", "Partner")],
    "Category": [],
    "ServiceType": [],
    "Language": [],
}
LEAVES = {
    "Partner": "name",
    "Program": "slug",
    "SchoolSite": "slug",
    "Category": "slug",
    "ServiceType": "name",
    "Language": "code",
}


@st.composite
def nested_lists(draw: st.DrawFn) -> str:
    depth = draw(st.integers(3, 5))
    kind, opened = "Query", 0
    selection = ""
    for _ in range(depth):
        choices = LISTS[kind]
        if not choices:
            break
        written, below = draw(st.sampled_from(choices))
        first = draw(st.sampled_from(["", "(first: 1)", "(first: 5)", "(first: 100)"]))
        selection += " " + written.replace("{F}", first).replace("{{", "{") + " {"
        opened += 1 + written.count("{{")
        kind = below
    leaf = LEAVES.get(kind, "__typename")
    return "{" + selection + f" {leaf}" + " }" * opened + " }"


def fields_in(value: Any) -> int:
    """How many fields an answer holds: every key of every object."""
    if isinstance(value, dict):
        return sum(1 + fields_in(v) for v in value.values())
    if isinstance(value, list):
        return sum(fields_in(v) for v in value)
    return 0


@pytest.fixture
async def demo_district(db: object) -> None:
    await load_demo(partners=40, seed=9, today=DAY)


@examples(120)
@given(document=nested_lists())
async def test_nested_lists_are_answered_within_their_cost_or_refused(
    client: httpx.AsyncClient, demo_district: None, document: str
) -> None:
    response = await client.post("/graphql", json={"query": document})
    assert response.status_code < 500, response.text
    answer = response.json()
    bounds = await read_bounds(graphql_schema(schema))
    estimated = document_cost(graphql_schema(schema), parse(document), bounds, 10**9)
    if estimated > current().max_cost:
        assert [e["extensions"]["code"] for e in answer["errors"]] == [
            "QUERY_TOO_COSTLY"
        ], document
        assert f"Query cost {estimated:,} is over" in answer["errors"][0]["message"]
        return
    assert "errors" not in answer, (document, answer)
    assert fields_in(answer["data"]) <= estimated, document


# Hostile values for every argument of every mutation and query: no 5xx, and
# nothing the API logs as its own failure.
HOSTILE_TEXT = st.one_of(
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "\x07bell\x1b[31m",
            "Bank\u202egnp.exe",
            "\u2066x\u2069",
            "\t=cmd|' /C calc'!A0",
            ' =HYPERLINK("x")',
            "<script>alert(1)</script>",
            "'; DROP TABLE partner; --",
            "x" * 60_000,
            "é" * 3000,
            "",
            "city-arts",
            "bright-minds",
        ]
    ),
    st.text(max_size=40),
)
HOSTILE_DATES = st.sampled_from(
    [
        "9999-12-31",
        "0001-01-01",
        "2026-02-30",
        "99999-01-01",
        "-0001-01-01",
        "1990-01-01",
        "2099-12-31",
        "2031-03-12",
        "tomorrow",
    ]
)
HOSTILE_INTS = st.sampled_from([-(2**31), -2, -1, 0, 1, 12, 13, 100, 2**31 - 1])
# Numbers and ids as text: other scripts' digits, past an integer column.
HOSTILE_NUMBERS = st.sampled_from(
    ["0", "1", "2", "-1", "+1", " 1", "1_0", "1e3", "²", "１", "١", "2147483648"]
    + ["99999999999999999999", "9" * 5000, "100", "101", "1000"]
)
HOSTILE_MOMENTS = st.sampled_from(
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "2026-09-01",
        "2026-02-30T00:00:00Z",
        "2026-09-01T24:00:00Z",
        "2026-09-01T00:00:00+25:00",
        "2026-09-01T00:00:00.123456789Z",
    ]
)


def _value(kind: Any, draw: st.DrawFn, depth: int = 0) -> Any:
    """A hostile value of the GraphQL input type `kind`."""
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    if isinstance(kind, GraphQLList):
        return [
            _value(kind.of_type, draw, depth) for _ in range(draw(st.integers(0, 3)))
        ]
    if isinstance(kind, GraphQLInputObjectType):
        names = draw(st.lists(st.sampled_from(sorted(kind.fields)), unique=True))
        return {n: _value(kind.fields[n].type, draw, depth + 1) for n in names}
    if isinstance(kind, GraphQLEnumType):
        return draw(st.sampled_from([*kind.values, "NOPE"]))
    name = getattr(kind, "name", "")
    if name == "Date":
        return draw(HOSTILE_DATES)
    if name == "DateTime":
        return draw(HOSTILE_MOMENTS)
    if name == "ID":
        return draw(st.one_of(HOSTILE_NUMBERS, HOSTILE_TEXT))
    if name == "Int":
        return draw(HOSTILE_INTS)
    if name == "Boolean":
        return draw(st.booleans())
    return draw(HOSTILE_TEXT)


def _operations() -> list[tuple[str, str, Any]]:
    found = []
    for root, kind in [
        ("mutation", graphql_schema(schema).mutation_type),
        ("query", graphql_schema(schema).query_type),
    ]:
        assert kind is not None
        for name, field in kind.fields.items():
            if field.args:
                found.append((root, name, field))
    return found


OPERATIONS = _operations()


@st.composite
def hostile_requests(draw: st.DrawFn) -> dict[str, Any]:
    root, name, field = draw(st.sampled_from(OPERATIONS))
    variables = {arg: _value(a.type, draw) for arg, a in field.args.items()}
    declared = ", ".join(f"${arg}: {a.type}" for arg, a in field.args.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    selection = (
        "{ errors { field message } }"
        if name not in {"node", "partners", "programs", "partner", "schoolSite"}
        else "{ __typename }"
    )
    document = f"{root} O({declared}) {{ {name}({passed}) {selection} }}"
    return {"query": document, "variables": variables}


@examples(200)
@given(request=hostile_requests())
async def test_hostile_values_never_reach_a_traceback(
    client: httpx.AsyncClient,
    district: date,
    tokens: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    request: dict[str, Any],
) -> None:
    caplog.set_level(logging.ERROR, logger="partners.api")
    response = await client.post(
        "/graphql",
        json=request,
        headers={"authorization": f"Bearer {tokens['editor']}"},
    )
    assert response.status_code < 500, response.text
    internal = [r for r in caplog.records if r.name == "partners.api"]
    assert not internal, (request["query"], internal[0].exc_info)


# The same for Open Referral's parameters and path ids: no 5xx, every refusal a
# JSON answer that says what is wrong, nothing logged as our own failure.
KEYS = st.sampled_from([0, 1, 2, 2**31 - 1, 2**31, 2**32, 2**47, 2**48 - 1])
HOSTILE_UUIDS = st.one_of(
    st.uuids().map(str),
    st.builds(lambda kind, key: str(public_id(kind, key)), st.sampled_from(Kind), KEYS),
    st.just("00000000-0000-0000-0000-000000000000"),
)
# Long, but within what a client library sends in a URL (httpx: 64 KB a part).
HSDS_TEXT = HOSTILE_TEXT.map(lambda text: text[:1000])
HSDS_VALUES = st.one_of(HSDS_TEXT, HOSTILE_NUMBERS, HOSTILE_MOMENTS, HOSTILE_UUIDS)
PARAMETER_VALUES = {
    "search": HSDS_TEXT,
    "modified_after": HOSTILE_MOMENTS,
    "page": HOSTILE_NUMBERS,
    "per_page": HOSTILE_NUMBERS,
    "after": HSDS_TEXT,
    **dict.fromkeys(
        ("organization_id", "taxonomy_id", "taxonomy_term_id", "parent_id"),
        HOSTILE_UUIDS,
    ),
}
FLAGS = st.sampled_from(["true", "false", "1", "yes", "TRUE", "maybe", ""])
ITEM_KINDS = {
    "organizations": Kind.PARTNER,
    "services": Kind.PROGRAM,
    "service_at_locations": Kind.LINK,
    "taxonomies": Kind.TAXONOMY,
    "taxonomy_terms": Kind.CATEGORY,
}


@st.composite
def hsds_requests(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    """A path under /hsds/ and its query parameters, as a client could send them:
    the endpoint's own parameters with values of their kind or any other, and
    now and then one it does not take, or one given twice."""
    if draw(st.booleans()):
        kind = draw(st.sampled_from(sorted(ITEM_KINDS)))
        ours = st.builds(lambda key: str(public_id(ITEM_KINDS[kind], key)), KEYS)
        # Not a line feed: no route of Starlette's matches a path with one (its
        # patterns' "." stops there), so the app's router answers its plain 404.
        named = HSDS_TEXT.filter(lambda text: text and "\n" not in text)
        id_ = draw(st.one_of(ours, HOSTILE_UUIDS, named))
        path = f"/hsds/{kind}/{quote(id_, safe='')}"
        names = ["full_service"]
    else:
        kind = draw(st.sampled_from(HSDS_LISTS))
        path = f"/hsds/{kind}"
        names = list(ALLOWED[kind])
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=4))
    pairs = [
        (name, draw(st.one_of(PARAMETER_VALUES.get(name, FLAGS), HSDS_VALUES)))
        for name in chosen
    ]
    extra = st.tuples(st.one_of(st.sampled_from(names), HSDS_TEXT), HSDS_VALUES)
    pairs += draw(st.lists(extra, max_size=1))
    return path, pairs


@examples(300)
@given(request=hsds_requests())
async def test_hostile_hsds_parameters_and_ids_never_reach_a_traceback(
    client: httpx.AsyncClient,
    district: date,
    caplog: pytest.LogCaptureFixture,
    request: tuple[str, list[tuple[str, str]]],
) -> None:
    caplog.set_level(logging.ERROR, logger="partners.api")
    path, params = request
    response = await client.get(path, params=tuple(params))
    assert response.status_code < 500, (path, params, response.text)
    if response.status_code != 307:  # a list asked for with a trailing slash
        assert response.headers["content-type"] == "application/json", path
        answer = response.json()
        if response.status_code >= 400:
            assert answer["message"], (path, params)
    internal = [r for r in caplog.records if r.name == "partners.api"]
    assert not internal, (path, params, internal[0].getMessage())
