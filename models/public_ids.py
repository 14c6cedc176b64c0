"""Stable public ids: a UUID for each partner, program, school site, category and
service type, for mirrors that must recognise a record across syncs (Open
Referral's HSDS asks for UUIDs).

A slug can be renamed; a row's primary key cannot. So the UUID is made from the
installation (a namespace, PARTNERS_ID_NAMESPACE), the kind of record and its
primary key, as an RFC 9562 version 8 UUID: the first 64 bits come from the
namespace, the last 48 hold the key, and a nibble between holds the kind. The same
database always gives the same ids, a renamed slug keeps its id, and the id can be
read back into a row without a lookup table."""

import functools
import hashlib
import uuid
from enum import IntEnum

from models.settings import current

KEY_BITS = 48


class Kind(IntEnum):
    PARTNER = 1
    PROGRAM = 2
    SCHOOL_SITE = 3
    CATEGORY = 4
    SERVICE_TYPE = 5
    TAXONOMY = 6  # our vocabularies themselves (HSDS taxonomies)
    LINK = 7  # a program at a school site (HSDS service_at_location)


@functools.cache
def _prefix(namespace: str) -> int:
    """The namespace's 64 bits, worked out once for each namespace (every id
    needs them)."""
    return int.from_bytes(hashlib.sha256(namespace.encode()).digest()[:8], "big")


def public_id(kind: Kind, key: int) -> uuid.UUID:
    """The UUID of row `key` of `kind`."""
    if not 0 <= key < 1 << KEY_BITS:
        raise ValueError(f"key {key} is out of range")
    high = (_prefix(current().id_namespace) & ~(0xF << 12)) | (8 << 12)  # version 8
    low = (0b10 << 62) | (int(kind) << 56) | key  # RFC 9562 variant, kind, key
    return uuid.UUID(int=(high << 64) | low)


def key_of(kind: Kind, value: str) -> int | None:
    """The row key `value` stands for when it is one of our `kind` ids, else None."""
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return None
    key = parsed.int & ((1 << KEY_BITS) - 1)
    return key if public_id(kind, key) == parsed else None


def link_key(program: int, site: int) -> int:
    """One key for a (program, school site) pair: 32 bits of program, 16 of site."""
    if program >= 1 << 32 or site >= 1 << 16:
        raise ValueError("program or school site key is out of range")
    return (program << 16) | site


def link_of(key: int) -> tuple[int, int]:
    return key >> 16, key & 0xFFFF
