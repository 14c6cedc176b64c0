"""The app `partners serve` runs: the API, the directory, the publisher that keeps
the directory current (unless PARTNERS_PUBLISH=0), and the directory's queries as
trusted documents, which clients may send by their hash."""

import sys

from starlette.applications import Starlette

from api.access_log import AccessLines
from api.app import create_app as create_api
from directory_site.publisher import publishing
from directory_site.queries import documents
from models.clock import district_today
from models.settings import DATABASE_URL, PUBLISH, SITE_DIR


def create_app() -> Starlette:
    """Made in each uvicorn worker."""
    AccessLines.to(sys.stderr)  # a line per request (api/access_log.py)
    services = [lambda: publishing(SITE_DIR, DATABASE_URL, district_today)]
    return create_api(services=services if PUBLISH else [], trusted=documents())
