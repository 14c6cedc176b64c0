"""Documents sent by their hash, as the common "automatic persisted queries"
protocol has it (`extensions: {"persistedQuery": {"version": 1, "sha256Hash":
…}}`): a client sends the hash alone, and the whole document only when the server
answers PersistedQueryNotFound. A GET by hash is a short URL that any HTTP cache
can keep. The directory's own queries are known from the start (trusted); others
are kept once a client has sent them with their hash, a bounded number of them."""

import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

KEPT = 1000  # documents clients registered, least recently used dropped first
NOT_FOUND = "PersistedQueryNotFound"


class PersistedQueryError(Exception):
    """The hash is unknown (code PERSISTED_QUERY_NOT_FOUND), or the request about
    it is malformed (code BAD_REQUEST)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def digest(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


class PersistedQueries:
    def __init__(self, trusted: Iterable[str] = ()) -> None:
        self.trusted = {digest(query): query for query in trusted}
        self.registered: OrderedDict[str, str] = OrderedDict()

    def resolve(self, given: dict[str, Any]) -> dict[str, Any]:
        """The request's parameters with its document found by hash, when it asks
        for persisted queries; otherwise as they are."""
        extensions = given.get("extensions")
        if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
            return given
        asked = extensions["persistedQuery"]
        if (
            not isinstance(asked, dict)
            or asked.get("version") != 1
            or not isinstance(asked.get("sha256Hash"), str)
        ):
            raise PersistedQueryError(
                'persistedQuery must be {"version": 1, "sha256Hash": "<hex>"}',
                "BAD_REQUEST",
            )
        wanted = asked["sha256Hash"].lower()
        query = given.get("query")
        if isinstance(query, str) and query:
            if digest(query) != wanted:
                raise PersistedQueryError(
                    "provided sha does not match query", "BAD_REQUEST"
                )
            if wanted not in self.trusted:
                self._keep(wanted, query)
            return given
        found = self.trusted.get(wanted) or self.registered.get(wanted)
        if found is None:
            raise PersistedQueryError(NOT_FOUND, "PERSISTED_QUERY_NOT_FOUND")
        if wanted in self.registered:
            self.registered.move_to_end(wanted)
        return {**given, "query": found}

    def _keep(self, wanted: str, query: str) -> None:
        self.registered[wanted] = query
        self.registered.move_to_end(wanted)
        while len(self.registered) > KEPT:
            self.registered.popitem(last=False)
