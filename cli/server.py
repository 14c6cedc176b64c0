"""The app `partners serve` runs: the API, the directory and the endpoint its "Become
a partner" form posts to, the publisher that keeps the directory current (unless
publishing is off), and the directory's queries as trusted documents, which
clients may send by their hash."""

import sys

from starlette.applications import Starlette

from api.access_log import AccessLines
from api.app import create_app as create_api
from directory_site.application_endpoint import ApplicationEndpoint
from directory_site.publisher import publishing
from directory_site.queries import documents
from directory_site.update_endpoint import UpdateEndpoint
from models.clock import district_today
from models.settings import Settings, configure


def make(settings: Settings) -> Starlette:
    """The served app for these settings."""
    AccessLines.to(sys.stderr)  # a line per request (api/access_log.py)
    if settings.engine != "fast":
        print(f"partners: a worker runs the {settings.engine} engine", file=sys.stderr)
    services = [
        lambda: publishing(settings.site_dir, settings.database_url, district_today)
    ]
    return create_api(
        settings=settings,
        services=services if settings.publish else [],
        trusted=documents(),
        forms=[
            *ApplicationEndpoint(settings, district_today).routes(),
            *UpdateEndpoint(settings, district_today).routes(),
        ],
    )


def create_app() -> Starlette:
    """Made in each worker uvicorn starts, from the settings `partners serve` put
    in the environment."""
    return make(configure(Settings.from_environ()))
