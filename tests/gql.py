"""Posting GraphQL documents to the app, as any client would."""

from typing import Any

import httpx


async def query(
    client: httpx.AsyncClient, document: str, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    """The `data` of a query that must succeed."""
    answer = await post(client, document, token, **variables)
    assert "errors" not in answer, answer["errors"]
    data: dict[str, Any] = answer["data"]
    return data


async def post(
    client: httpx.AsyncClient, document: str, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    """The whole answer, errors included; `token` is sent as a staff credential."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": document, "variables": variables}, headers=headers
    )
    body: dict[str, Any] = response.json()
    return body


def error_messages(answer: dict[str, Any]) -> list[str]:
    return [error["message"] for error in answer.get("errors", [])]
