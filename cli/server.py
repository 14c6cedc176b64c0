"""The app `partners serve` runs: the API, the directory, the publisher that keeps
the directory current (unless PARTNERS_PUBLISH=0), and the directory's queries as
trusted documents, which clients may send by their hash."""

import logging

from starlette.applications import Starlette

from api.app import create_app as create_api
from directory_site.publisher import publishing
from directory_site.queries import documents
from models.clock import district_today
from models.settings import DATABASE_URL, PUBLISH, SITE_DIR


def create_app() -> Starlette:
    """Made in each uvicorn worker."""
    # A log line per request (api/middleware.py), as cheap as logging makes it:
    # no look for the caller's source line, nor for thread and process names,
    # which no format of the server's prints.
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    services = [lambda: publishing(SITE_DIR, DATABASE_URL, district_today)]
    return create_api(services=services if PUBLISH else [], trusted=documents())
