"""Generated requests: an anonymous caller never reaches an unlisted partner, an
agreement or any other staff-only data; nested lists are answered within their
cost or refused; hostile values never cause a 5xx or an internal error."""

import base64
import json
import logging
from datetime import date
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    parse,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import models as m
from api.bounds import read_bounds
from api.cost import document_cost
from api.schema import schema
from demo import load_demo
from models.settings import MAX_COST
from tests.district import DAY, LISTED, UNLISTED

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


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
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


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=nested_lists())
async def test_nested_lists_are_answered_within_their_cost_or_refused(
    client: httpx.AsyncClient, demo_district: None, document: str
) -> None:
    response = await client.post("/graphql", json={"query": document})
    assert response.status_code < 500, response.text
    answer = response.json()
    bounds = await read_bounds(schema._schema)
    estimated = document_cost(schema._schema, parse(document), bounds, 10**9)
    if estimated > MAX_COST:
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
    if name == "Int":
        return draw(HOSTILE_INTS)
    if name == "Boolean":
        return draw(st.booleans())
    return draw(HOSTILE_TEXT)


def _operations() -> list[tuple[str, str, Any]]:
    found = []
    for root, kind in [
        ("mutation", schema._schema.mutation_type),
        ("query", schema._schema.query_type),
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


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
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
