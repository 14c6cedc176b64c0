"""The cost of a document is an upper bound on what its answer can hold, counted
with the data's own list lengths; documents over budget are refused before they
run."""

from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    get_introspection_query,
    get_named_type,
    parse,
)

from api.bounds import Bounds
from api.cost import UNBOUNDED, OverBudget, document_cost
from api.engine import graphql_schema
from api.schema import schema
from directory_site.queries import QUERIES
from models.settings import current

SCHEMA = graphql_schema(schema)
# A district like the demo one: 60 schools, partners with up to 3 programs at up
# to 11 schools, programs at up to 5.
DEMO_FIGURES = {
    "categories": 4,
    "service_types": 16,
    "languages": 10,
    "school_sites": 60,
    "partners": 200,
    "agreements": 319,
    "partner_categories": 2,
    "partner_programs": 3,
    "partner_agreements": 4,
    "partner_history": 0,
    "partner_support": 0,
    "program_service_types": 3,
    "program_sites": 5,
    "program_sessions": 3,
    "program_languages": 3,
    "partner_service_types": 3,
    "partner_sites": 11,
    "partner_languages": 5,
}
DEMO = Bounds.of_data(DEMO_FIGURES, SCHEMA)


def cost(document: str, bounds: Bounds = DEMO) -> int:
    return document_cost(SCHEMA, parse(document), bounds, limit=10**9)


def test_a_plain_list_counts_as_long_as_the_data_lets_it_be() -> None:
    assert cost("{ schoolSites { slug } }") == 1 + 60 * 1
    assert cost('{ partner(slug: "x") { programs { slug } } }') == 1 + 1 + 3 * 1
    assert cost('{ partner(slug: "x") { programs { schoolSites { slug } } } }') == (
        1 + 1 + 3 * (1 + 5 * 1)
    )


def test_a_connection_counts_first_times_what_is_under_it() -> None:
    assert cost("{ partners(first: 7) { edges { node { slug } } } }") == (
        1 + 7 * (1 + 1 + 1)
    )
    # a variable may be the largest page; no `first` is the default page of 20
    assert cost("query($n: Int!) { partners(first: $n) { totalCount } }") == 1 + 100
    assert cost("{ partners { totalCount } }") == 1 + 20


def test_the_nested_list_flood_of_issue_9_is_priced_for_what_it_is() -> None:
    # 60 schools x 20 partners x 11 schools x 20 partners x 3 programs
    flood = (
        "{ schoolSites { slug partners { edges { node { schoolSites { partners {"
        " edges { node { programs { slug partner { name } } id } } } } } } } } }"
    )
    programs = 1 + 3 * (1 + (1 + 1))  # each: slug, partner { name }
    inner = 1 + 20 * (1 + (1 + programs + 1))  # partners { edges { node {...} } }
    schools = 1 + 11 * inner
    outer = 1 + 20 * (1 + (1 + schools))
    assert cost(flood) == 1 + 60 * (1 + outer) == 3_448_921


def test_fragments_count_where_they_are_spread() -> None:
    spread = (
        '{ partner(slug: "x") { ...P } } fragment P on Partner { programs { slug } }'
    )
    inline = '{ node(id: "x") { ... on Partner { programs { slug } } } }'
    assert cost(spread) == cost('{ partner(slug: "x") { programs { slug } } }')
    assert cost(inline) == 1 + (1 + 3 * 1)


def test_introspection_is_counted_on_the_schema_itself() -> None:
    standard = cost(get_introspection_query())
    assert 1_000 < standard < 10_000  # what GraphiQL asks for on every load
    # counting stops as soon as it passes the budget, however big the document
    try:
        document_cost(SCHEMA, parse(get_introspection_query()), DEMO, limit=1_000)
    except OverBudget as over:
        assert over.limit == 1_000
    else:
        raise AssertionError("counting did not stop at the budget")


def test_every_list_of_objects_in_the_schema_has_a_bound() -> None:
    unbounded = []
    for kind in SCHEMA.type_map.values():
        if kind.name.startswith("__") or not isinstance(kind, GraphQLObjectType):
            continue
        for name, field in kind.fields.items():
            wrapped = (
                field.type.of_type
                if isinstance(field.type, GraphQLNonNull)
                else field.type
            )
            listed = isinstance(wrapped, GraphQLList)
            is_object = isinstance(get_named_type(field.type), GraphQLObjectType)
            in_connection = kind.name.endswith("Connection") and name == "edges"
            if listed and is_object and not in_connection:
                if DEMO.of(kind.name, name) is None:
                    unbounded.append(f"{kind.name}.{name}")
    assert unbounded == [], f"give these a bound in api/bounds.py ({UNBOUNDED=})"


def test_the_directory_build_asks_within_the_public_budget() -> None:
    # the build runs the public API's queries, under its limits (the data's
    # bounds at 10,000 demo partners: up to 13 schools and 6 languages a partner)
    big = Bounds.of_data(
        {**DEMO_FIGURES, "partner_sites": 13, "partner_languages": 6}, SCHEMA
    )
    for path in sorted(QUERIES.glob("*.graphql")):
        assert cost(path.read_text(), big) <= current().max_cost * 0.8, path.name
