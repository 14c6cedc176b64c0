"""A page reads only the columns its query's fields need (api/columns.py): every
field of a partner and of a program, asked for alone, answers as it does when
everything is asked for (and so every column read), in English and in another
language."""

from datetime import date
from typing import Any

import pytest
from graphql import GraphQLNonNull, GraphQLObjectType, get_named_type

from api.bounds import read_bounds
from api.context import Context
from api.engine import Engine, graphql_schema
from api.execution import run
from api.schema import schema
from api.vocabulary import read_vocabulary
from models.listing import Listing


def selection(type_name: str, depth: int = 1) -> dict[str, str]:
    """Each field of the type (with no required arguments), with the leaves of an
    object field below it."""
    kind = graphql_schema(schema).type_map[type_name]
    assert isinstance(kind, GraphQLObjectType)
    chosen = {}
    for name, field in kind.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        inner = get_named_type(field.type)
        if isinstance(inner, GraphQLObjectType):
            if depth == 0 or field.args:
                continue
            below = selection(inner.name, depth - 1)
            if below:
                chosen[name] = f"{name} {{ {' '.join(below.values())} }}"
        else:
            chosen[name] = name
    return chosen


async def answer(document: str, day: date) -> Any:
    context = Context(
        listing=Listing(day),
        bounds=await read_bounds(graphql_schema(schema)),
        vocabulary=await read_vocabulary(),
        engine=Engine(schema),
    )
    result = await run(document, context)
    assert not result.errors, result.errors
    return result.data


@pytest.mark.parametrize(
    "page, node", [("partners", "Partner"), ("programs", "Program")]
)
@pytest.mark.parametrize("language", ["en", "es"])
async def test_each_field_alone_answers_as_with_every_column(
    district: date, page: str, node: str, language: str
) -> None:
    fields = selection(node)
    assert {"name", "translations", "untranslated"} <= set(fields)
    query = '{ %s(first: 50, language: "%s") { edges { node { slug %s } } } }'
    every = " ".join(fields.values())
    everything = await answer(query % (page, language, every), district)
    full = {e["node"]["slug"]: e["node"] for e in everything[page]["edges"]}
    assert len(full) >= 3
    for name, asked in fields.items():
        alone = await answer(query % (page, language, asked), district)
        for edge in alone[page]["edges"]:
            found = edge["node"]
            assert found[name] == full[found["slug"]][name], (name, found["slug"])
