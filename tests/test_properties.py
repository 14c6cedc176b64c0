"""Generated queries and variables from an anonymous caller never reach an unlisted
partner, an agreement or any other staff-only data, and never cause a 5xx."""

import base64
import json
from datetime import date
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import models as m
from tests.district import LISTED, UNLISTED

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
