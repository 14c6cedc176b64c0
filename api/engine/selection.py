"""What a query selects below a field, read from graphql-core's nodes and kept per
document: a kept document's nodes are the same objects in every request that
sends it, so a page's selections are worked out once, not on every request as
Strawberry's `Info.selected_fields` converts them (api/wanted.py, the reference).

Private: Strawberry's `Info._raw_info` (graphql-core's resolve info, which holds
the field's nodes and the document's fragments); Strawberry has no public way to
either."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from api.shape import held
from api.wanted import Wanted
from models.kept import BoundedLRU

if TYPE_CHECKING:
    from api.context import Info


def raw_selected(info: "Info", path: Sequence[str], kept: BoundedLRU) -> Wanted:
    """What the query selects at `path` below the field being resolved, found in
    `kept` by the identity of the field's nodes, or worked out and kept there."""
    raw = info._raw_info
    nodes = raw.field_nodes
    key = (*map(id, nodes), *path)
    found = kept.find(key)
    if found is not None:
        return cast(Wanted, found[1])
    below = (
        s for node in nodes if node.selection_set for s in node.selection_set.selections
    )
    wanted = Wanted(below, raw.fragments).at(path)
    # the nodes are kept with it, so their ids are not reused while it is kept
    kept.keep(key, (nodes, wanted), held(nodes[0]) if nodes else 0)
    return wanted
