"""What every resolver receives: the caller's per-request loaders."""

from dataclasses import dataclass, field

from strawberry.types import Info as StrawberryInfo

from api.loaders import Loaders


@dataclass
class Context:
    """One request's context; the site build makes one per query, like an
    anonymous visitor."""

    loaders: Loaders = field(default_factory=Loaders)


Info = StrawberryInfo[Context, None]
