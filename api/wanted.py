"""What a query selects below the field being resolved, by field name: the lists a
page loads ahead (api/prefetch.py) and the columns it reads (api/columns.py)
follow it.

It is read from Strawberry's `Info.selected_fields` here, the libraries' own way;
the fast engine reads graphql-core's nodes instead and keeps what it found per
document (api/engine/selection.py). Both give the same `Wanted`."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

if TYPE_CHECKING:
    from api.context import Info


Selections = dict[str, list[Any]]  # field name: the selections under it
Fragments = dict[str, Any]  # the document's fragments, by name (graphql-core's)


def _fields(selections: Iterable[Any], fragments: Fragments) -> Selections:
    """The fields selected (by name, not alias), fragments flattened, each with
    the selections below it, from graphql-core's nodes or Strawberry's. Directives
    are not looked at: a field left out by @skip is loaded all the same, and
    nobody reads it."""
    found: Selections = {}
    for selection in selections:
        if isinstance(selection, FieldNode):
            below = selection.selection_set
            found.setdefault(selection.name.value, []).extend(
                below.selections if below else ()
            )
            continue
        if isinstance(selection, SelectedField):
            found.setdefault(selection.name, []).extend(selection.selections)
            continue
        inner: Iterable[Any]
        if isinstance(selection, InlineFragmentNode):
            inner = selection.selection_set.selections
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            inner = fragment.selection_set.selections if fragment else ()
        elif isinstance(selection, FragmentSpread | InlineFragment):
            inner = selection.selections
        else:
            continue
        for name, below_it in _fields(inner, fragments).items():
            found.setdefault(name, []).extend(below_it)
    return found


class Wanted:
    """The fields a query selects on an object, by name; what it selects below
    each is worked out when first asked for, and kept."""

    def __init__(self, selections: Iterable[Any], fragments: Fragments) -> None:
        self.fields = _fields(selections, fragments)
        self.fragments = fragments
        self._below: dict[str, Wanted] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.fields

    def below(self, name: str) -> "Wanted":
        found = self._below.get(name)
        if found is None:
            found = Wanted(self.fields.get(name, ()), self.fragments)
            self._below[name] = found
        return found

    def at(self, path: Sequence[str]) -> "Wanted":
        """What is selected `path` further down, e.g. ("edges", "node")."""
        wanted = self
        for name in path:
            wanted = wanted.below(name)
        return wanted


def selected(info: "Info", path: Sequence[str]) -> Wanted:
    """What the query selects at `path` below the field being resolved, e.g.
    ("edges", "node") for a connection's nodes, as Strawberry tells it."""
    below = (s for field in info.selected_fields for s in field.selections)
    return Wanted(below, {}).at(path)
