"""What every resolver receives: the caller's per-request loaders."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from strawberry.types import Info as StrawberryInfo

from api.loaders import Loaders

if TYPE_CHECKING:
    from api.auth import Staff


@dataclass
class Context:
    """One request's context: its loaders, and the staff member behind it if any.
    The site build makes one per query without staff, like an anonymous visitor."""

    loaders: Loaders = field(default_factory=Loaders)
    staff: "Staff | None" = None


Info = StrawberryInfo[Context, None]
