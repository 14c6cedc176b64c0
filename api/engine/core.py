"""The graphql-core schema under Strawberry's.

Private: Strawberry's `Schema._schema`. Strawberry builds a graphql-core
`GraphQLSchema` and keeps it there; it has no public name for it, and validating,
pricing and running a document with graphql-core's public functions needs it."""

from graphql import GraphQLSchema
from strawberry import Schema


def graphql_schema(schema: Schema) -> GraphQLSchema:
    """The graphql-core schema Strawberry made for `schema`."""
    found = schema._schema
    assert isinstance(found, GraphQLSchema)
    return found
