"""What every resolver receives: the day's listing, the caller, and per-request
loaders."""

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from strawberry.types import Info as StrawberryInfo

import models as m
from api.bounds import Bounds
from api.loaders import Loaders

if TYPE_CHECKING:
    from api.auth import Staff
    from api.engine import Engine
    from api.vocabulary import Vocabularies


@dataclass
class Context:
    """One request's context. `listing` is the public's view on the request's day,
    made once where the request comes in (the HTTP endpoint, a site build, an
    export); every resolver, loader and staff field takes its day from it. `bounds`
    are the data's list lengths the cost limit counts with, `vocabulary` its small
    tables as GraphQL objects; both are read once per data revision. The site build
    makes one without staff, like an anonymous visitor. `engine` runs the request
    (api/engine/) and keeps what it prepares."""

    listing: m.Listing
    bounds: Bounds
    vocabulary: "Vocabularies"
    engine: "Engine"
    staff: "Staff | None" = None
    # The client's address (the HTTP request's), for what is bounded per address
    # (models/application.py); "" where there is no client, as in a site build.
    client: str = ""

    @cached_property
    def loaders(self) -> Loaders:
        """Made when a resolver first needs one: most requests never do."""
        return Loaders(self.listing)

    @property
    def day(self) -> date:
        return self.listing.day


Info = StrawberryInfo[Context, None]
