"""Reading a request: a body whole, over its limit, or too slow; text that is
not text."""

import asyncio
from datetime import date
from typing import Any

import httpx
import pytest

from api.exchange import RawRequest

SCOPE: dict[str, Any] = {"type": "http", "method": "POST", "headers": []}


def receiving(*parts: bytes, then_wait: bool = False) -> Any:
    messages = [
        {
            "type": "http.request",
            "body": p,
            "more_body": i < len(parts) - 1 or then_wait,
        }
        for i, p in enumerate(parts)
    ]

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # a client that sends nothing more
        raise AssertionError("unreachable")

    return receive


async def test_a_body_is_read_whole_from_its_parts() -> None:
    assert await RawRequest(SCOPE, receiving(b"ab", b"cd")).body(10, 1.0) == b"abcd"
    assert await RawRequest(SCOPE, receiving(b"abcd")).body(10, 1.0) == b"abcd"


async def test_a_body_over_its_limit_is_not_read_on() -> None:
    assert (
        await RawRequest(SCOPE, receiving(b"abcdef", then_wait=True)).body(4, 1.0)
        is None
    )
    assert await RawRequest(SCOPE, receiving(b"ab", b"cd", b"ef")).body(4, 1.0) is None


async def test_a_body_that_stops_coming_is_given_up_on() -> None:
    with pytest.raises(TimeoutError):
        await RawRequest(SCOPE, receiving(b"{", then_wait=True)).body(100, 0.01)


async def test_half_a_utf16_pair_is_refused_where_it_stands(
    client: httpx.AsyncClient, district: date
) -> None:
    for body, where in [
        (
            '{"query": "query($s: String!) { partner(slug: $s) { name } }", '
            '"variables": {"s": "a\\ud800"}}',
            "variables.s",
        ),
        ('{"query": "{ partner(slug: \\"\\ud800\\") { name } }"}', "query"),
        ('{"query": "{ __typename }", "variables": {"\\udfff": 1}}', "variables"),
    ]:
        response = await client.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 400, body
        [error] = response.json()["errors"]
        assert error["message"].startswith(where), error
        assert "UTF-16" in error["message"]
