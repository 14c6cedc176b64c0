"""Every setting the project reads from the environment, read once, here.

`models` sits under the API, the site and the command line, so they all take their
settings from this module; README.md lists each variable with its default."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {value!r}") from None


def flag(value: str | None) -> bool:
    """How every on/off variable is read: 1, true, yes or on (any case) mean on."""
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


# The data
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite://var/partners.sqlite3")
# Contracts start and end at midnight here; see models.clock.
DISTRICT_TIMEZONE = os.environ.get("DISTRICT_TIMEZONE", "America/Chicago")

# The public directory: its name, where builds go, where it is served, and whether
# `partners serve` keeps it current (see directory_site/publisher.py).
DISTRICT_NAME = os.environ.get("DISTRICT_NAME", "Riverton Public Schools")
# The languages of the district's families, English first: texts may be translated
# into the others, and the directory is built in each (site languages can be fewer,
# `build-site --languages`).
DISTRICT_LANGUAGES = tuple(
    code.strip()
    for code in os.environ.get("DISTRICT_LANGUAGES", "en,es,so,hmn").split(",")
    if code.strip()
)
# Where the district is, for addresses given to other directories (Open Referral).
DISTRICT_STATE = os.environ.get("DISTRICT_STATE", "MN")
DISTRICT_COUNTRY = os.environ.get("DISTRICT_COUNTRY", "US")
DISTRICT_EMAIL = os.environ.get("DISTRICT_EMAIL", "partnerships@example.org")
# Public ids (UUIDs) are made from this and each row's key: set it once per
# installation and never change it, or every mirror sees new records.
ID_NAMESPACE = os.environ.get("PARTNERS_ID_NAMESPACE", DISTRICT_NAME)
SITE_DIR = os.environ.get("SITE_DIR", "var/site")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000/")
PUBLISH = flag(os.environ.get("PARTNERS_PUBLISH", "1"))

# E-mail for `partners remind`: sent when SMTP_HOST is set. SMTP_SECURITY is
# starttls (default), ssl, or none (a relay on the same host or network).
SMTP_HOST = os.environ.get("SMTP_HOST", "")
SMTP_PORT = _int("SMTP_PORT", 587)
SMTP_SECURITY = os.environ.get("SMTP_SECURITY", "starttls")
SMTP_USER = os.environ.get("SMTP_USER", "")
SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
REMINDERS_FROM = os.environ.get("REMINDERS_FROM", DISTRICT_EMAIL)
REMINDERS_TO = os.environ.get("REMINDERS_TO", DISTRICT_EMAIL)

# The API. Production: no GraphiQL, no "Did you mean …?" hints, several workers.
PRODUCTION = flag(os.environ.get("PARTNERS_PRODUCTION"))
MAX_DEPTH = _int("PARTNERS_MAX_DEPTH", 12)
MAX_ALIASES = _int("PARTNERS_MAX_ALIASES", 30)
MAX_TOKENS = _int("PARTNERS_MAX_TOKENS", 2000)
# Counted once fragments are expanded (each fragment measured once, api/shape.py):
# fields, fragment spreads, and how many fields may merge at one place of the
# answer (graphql-core's check that they can merge is quadratic in that number).
MAX_FIELDS = _int("PARTNERS_MAX_FIELDS", 2000)
MAX_SPREADS = _int("PARTNERS_MAX_SPREADS", 500)
MAX_REPEATS = _int("PARTNERS_MAX_REPEATS", 20)
# Text searches in one document (each reads every listed row's texts).
MAX_SEARCHES = _int("PARTNERS_MAX_SEARCHES", 5)
# Documents are kept parsed and validated (512 at most), and what a page's
# selections need (512 at most), each within so many bytes per worker.
DOCUMENT_CACHE_BYTES = _int("PARTNERS_DOCUMENT_CACHE_BYTES", 24 * 1024 * 1024)
SELECTION_CACHE_BYTES = _int("PARTNERS_SELECTION_CACHE_BYTES", 8 * 1024 * 1024)
# Cost: each field 1; a connection multiplies what is under it by `first` (a
# variable `first` counts as 100), a plain list by the longest it is in the data.
# 25,000 answers in about a second on a small server at 10,000 partners.
MAX_COST = _int("PARTNERS_MAX_COST", 25_000)
MAX_BODY_BYTES = _int("PARTNERS_MAX_BODY_BYTES", 64 * 1024)
# A body sent in parts must be whole within this long (408 otherwise).
BODY_SECONDS = _int("PARTNERS_BODY_MS", 5_000) / 1000
# A request is stopped after this long (anonymous, staff), and an answer larger
# than this is refused: no single request may hold a worker or answer megabytes.
DEADLINE_SECONDS = _int("PARTNERS_DEADLINE_MS", 5_000) / 1000
STAFF_DEADLINE_SECONDS = _int("PARTNERS_STAFF_DEADLINE_MS", 30_000) / 1000
MAX_ANSWER_BYTES = _int("PARTNERS_MAX_ANSWER_BYTES", 1024 * 1024)
# Anonymous queries costing COSTLY or more run while those running cost at most
# CONCURRENT_COST together, per worker; others wait their turn, at most
# ADMISSION_WAIT, then are told to try again (429). See api/admission.py.
COSTLY = _int("PARTNERS_COSTLY", 5000)
# Anonymous requests that must run (not answered from the cache) run so many at
# a time in a worker, first come first served; the others wait, as above.
TURNS = _int("PARTNERS_TURNS", 2)
# Anonymous requests that must run, from one client address, per worker: this
# many at once, then so many a second (429 past that; answers from the cache are
# not counted). Behind a proxy, uvicorn's --forwarded-allow-ips gives the address.
ADDRESS_BURST = _int("PARTNERS_ADDRESS_BURST", 60)
ADDRESS_PER_SECOND = _int("PARTNERS_ADDRESS_PER_SECOND", 20)
CONCURRENT_COST = _int("PARTNERS_CONCURRENT_COST", 25_000)
ADMISSION_WAIT_SECONDS = _int("PARTNERS_ADMISSION_WAIT_MS", 2_000) / 1000
STAFF_MAX_ANSWER_BYTES = _int("PARTNERS_STAFF_MAX_ANSWER_BYTES", 16 * 1024 * 1024)
# One staff token may write this many times at once, then so many a second, per
# worker (api/rates.py): a sync of a few hundred records takes a minute or two.
STAFF_WRITES_BURST = _int("PARTNERS_STAFF_WRITES_BURST", 100)
STAFF_WRITES_PER_SECOND = _int("PARTNERS_STAFF_WRITES_PER_SECOND", 5)
# Anonymous answers are cached until the next write, and at most this long; the
# cache holds at most so many entries and bytes, and no answer over ENTRY_BYTES.
CACHE_SECONDS = _int("PARTNERS_CACHE_SECONDS", 60)
CACHE_ENTRIES = _int("PARTNERS_CACHE_ENTRIES", 1000)
CACHE_BYTES = _int("PARTNERS_CACHE_BYTES", 32 * 1024 * 1024)
CACHE_ENTRY_BYTES = _int("PARTNERS_CACHE_ENTRY_BYTES", 256 * 1024)
# How stale a worker's view of "has anything been written?" may be, in seconds.
REVISION_SECONDS = float(_int("PARTNERS_REVISION_MS", 1000)) / 1000


@dataclass(frozen=True)
class Settings:
    """What `partners serve` runs with, read once when it starts: the environment
    first, then the command line's flags, which win (`with_flags`). The server
    hands it to the app as an object with one worker, and through the environment
    (`environ`) to each worker uvicorn starts when there are more, so a flag means
    the same either way."""

    database_url: str = "sqlite://var/partners.sqlite3"
    site_dir: str = "var/site"
    site_url: str = "http://127.0.0.1:8000/"
    production: bool = False  # no GraphiQL, no "Did you mean …?" hints
    publish: bool = True  # keep the directory current

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        defaults = cls()
        return cls(
            database_url=environ.get("DATABASE_URL", defaults.database_url),
            site_dir=environ.get("SITE_DIR", defaults.site_dir),
            site_url=environ.get("SITE_URL", defaults.site_url),
            production=flag(environ.get("PARTNERS_PRODUCTION")),
            publish=flag(environ.get("PARTNERS_PUBLISH", "1")),
        )

    def with_flags(self, **given: Any) -> "Settings":
        """These settings with the flags that were given (None: not given)."""
        names = {f.name for f in fields(self)}
        return replace(
            self, **{k: v for k, v in given.items() if v is not None and k in names}
        )

    def environ(self) -> dict[str, str]:
        """The environment that gives these settings to another process."""
        return {
            "DATABASE_URL": self.database_url,
            "SITE_DIR": self.site_dir,
            "SITE_URL": self.site_url,
            "PARTNERS_PRODUCTION": "1" if self.production else "0",
            "PARTNERS_PUBLISH": "1" if self.publish else "0",
        }
