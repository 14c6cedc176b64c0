"""Stable ids for what exists only in HSDS (an address, a phone, a schedule…):
UUIDs derived from their owner's, so a mirror recognises them across syncs."""

import hashlib


def derived(owner: str, what: str) -> str:
    """A stable UUID for something `owner` (a UUID's text) has (its address, its
    phone…): `str(uuid.uuid5(uuid.UUID(owner), what))`, worked out on the text
    (a page of 50 services makes about 300 of them; the uuid module's objects took
    a third of the page's time)."""
    name = bytes.fromhex(owner.replace("-", "")) + what.encode()
    h = hashlib.sha1(name).hexdigest()
    variant = "89ab"[int(h[16], 16) & 0x3]  # RFC 9562's variant bits, version 5
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"
