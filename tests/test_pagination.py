"""Relay connections over querysets: cursors, page edges and clear errors."""

from datetime import date

import pytest

import models as m
from api.errors import UserInputError
from api.pagination import (
    PAGE_SIZE_MAX,
    check_page_size,
    decode_cursor,
    encode_cursor,
    paginate,
)


def test_a_cursor_is_an_opaque_offset_that_round_trips() -> None:
    for offset in (0, 1, 99, 2**31 - 1):
        assert decode_cursor(encode_cursor(offset)) == offset
    assert "offset" not in encode_cursor(5)  # opaque to clients


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "abc",
        "b2Zmc2V0Oi0x",
        "b2Zmc2V0OjIxNDc0ODM2NDg=",
        "bm90IG91cnM=",
        "é",
        # "+1", " 1" and "1_0", which int() takes
        "b2Zmc2V0Oisx",
        "b2Zmc2V0OiAx",
        "b2Zmc2V0OjFfMA==",
    ],
)
def test_a_foreign_or_forged_cursor_is_a_user_error(cursor: str) -> None:
    # -1, 2**31 and "not ours", base64-encoded, among others
    with pytest.raises(UserInputError) as error:
        decode_cursor(cursor)
    assert error.value.extensions == {"code": "BAD_USER_INPUT", "argument": "after"}


@pytest.mark.parametrize("first", [0, -1, PAGE_SIZE_MAX + 1])
def test_page_size_is_bounded(first: int) -> None:
    with pytest.raises(UserInputError, match=f"got {first}"):
        check_page_size(first)


async def test_pages_meet_without_gaps_or_overlaps(district: date) -> None:
    rows = m.Partner.all()
    slugs = [p.slug for p in await rows]
    seen: list[str] = []
    after = None
    while True:
        page = await paginate(rows, lambda p: p.slug, 3, after)
        seen += [edge.node for edge in await page.edges_of()]
        assert page.page_info.has_previous_page is (after is not None)
        if not page.page_info.has_next_page:
            break
        after = page.page_info.end_cursor
    assert seen == slugs
    assert await page.total_count() == len(slugs)
    beyond = await paginate(rows, lambda p: p.slug, 3, encode_cursor(len(slugs) + 5))
    assert await beyond.edges_of() == [] and beyond.page_info.end_cursor is None
