"""Every setting the project reads from the environment, in one `Settings` value
that a program makes when it starts (`configure`) and everything below it asks
for when it needs a setting (`current`); nothing is read at import.

`models` sits under the API, the site and the command line, so they all take their
settings from this module; docs/operator.md lists each variable with its default."""

import os
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, fields, replace
from typing import Any, TypeVar

T = TypeVar("T")
ENGINES = ("fast", "reference")


def flag(value: str | None) -> bool:
    """How every on/off variable is read: 1, true, yes or on (any case) mean on."""
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _variable(name: str, default: T, follows: str = "", secret: bool = False) -> T:
    """A setting read from the environment variable `name`; when that is unset it
    is `default`, or, with `follows`, what the setting of that name was read as.
    A secret is left out of the settings' repr, which may be logged."""
    metadata = {"variable": name, "follows": follows}
    return field(default=default, metadata=metadata, repr=not secret)


@dataclass(frozen=True)
class Settings:
    """Every setting, read once when a program starts: the environment first,
    then the command line's flags, which win (`with_flags`). `partners serve`
    hands it to the app as an object with one worker, and through the environment
    (`environ`) to each worker uvicorn starts when there are more, so a flag means
    the same either way. A field's type says how its variable is read: whole
    numbers; on/off (`flag`); codes separated by commas; seconds, given in whole
    milliseconds (the variables ending in _MS)."""

    # The data
    database_url: str = _variable("DATABASE_URL", "sqlite://var/partners.sqlite3")
    # Contracts start and end at midnight here; see models.clock.
    district_timezone: str = _variable("DISTRICT_TIMEZONE", "America/Chicago")

    # The public directory: its name, where builds go, where it is served, and
    # whether `partners serve` keeps it current (see directory_site/publisher.py).
    district_name: str = _variable("DISTRICT_NAME", "Riverton Public Schools")
    # The languages of the district's families, English first: texts may be
    # translated into the others, and the directory is built in each (site
    # languages can be fewer, `build-site --languages`).
    district_languages: tuple[str, ...] = _variable(
        "DISTRICT_LANGUAGES", ("en", "es", "so", "hmn")
    )
    # Where the district is, for addresses given to other directories (Open Referral).
    district_state: str = _variable("DISTRICT_STATE", "MN")
    district_country: str = _variable("DISTRICT_COUNTRY", "US")
    district_email: str = _variable("DISTRICT_EMAIL", "partnerships@example.org")
    # Public ids (UUIDs) are made from this and each row's key: set it once per
    # installation and never change it, or every mirror sees new records.
    id_namespace: str = _variable(
        "PARTNERS_ID_NAMESPACE", "Riverton Public Schools", follows="district_name"
    )
    site_dir: str = _variable("SITE_DIR", "var/site")
    site_url: str = _variable("SITE_URL", "http://127.0.0.1:8000/")
    publish: bool = _variable("PARTNERS_PUBLISH", True)

    # E-mail for `partners remind`: sent when SMTP_HOST is set. SMTP_SECURITY is
    # starttls (default), ssl, or none (a relay on the same host or network).
    smtp_host: str = _variable("SMTP_HOST", "")
    smtp_port: int = _variable("SMTP_PORT", 587)
    smtp_security: str = _variable("SMTP_SECURITY", "starttls")
    smtp_user: str = _variable("SMTP_USER", "")
    smtp_password: str = _variable("SMTP_PASSWORD", "", secret=True)
    reminders_from: str = _variable(
        "REMINDERS_FROM", "partnerships@example.org", follows="district_email"
    )
    reminders_to: str = _variable(
        "REMINDERS_TO", "partnerships@example.org", follows="district_email"
    )
    # The digest lists approved partners last verified longer ago than this.
    verify_every_days: int = _variable("PARTNERS_VERIFY_EVERY_DAYS", 365)

    # The API. Production: no GraphiQL, no "Did you mean …?" hints, several workers.
    production: bool = _variable("PARTNERS_PRODUCTION", False)
    # How GraphQL documents run: "fast", or "reference", the libraries' own way.
    engine: str = _variable("PARTNERS_ENGINE", "fast")
    max_depth: int = _variable("PARTNERS_MAX_DEPTH", 12)
    max_aliases: int = _variable("PARTNERS_MAX_ALIASES", 30)
    max_tokens: int = _variable("PARTNERS_MAX_TOKENS", 2000)
    # Counted once fragments are expanded (each fragment measured once, api/shape.py):
    # fields, fragment spreads, and how many fields may merge at one place of the
    # answer (graphql-core's check that they can merge is quadratic in that number).
    max_fields: int = _variable("PARTNERS_MAX_FIELDS", 2000)
    max_spreads: int = _variable("PARTNERS_MAX_SPREADS", 500)
    max_repeats: int = _variable("PARTNERS_MAX_REPEATS", 20)
    # Text searches in one document (each reads every listed row's texts).
    max_searches: int = _variable("PARTNERS_MAX_SEARCHES", 5)
    # Documents are kept parsed and validated (512 at most), and what a page's
    # selections need (512 at most), each within so many bytes per worker.
    document_cache_bytes: int = _variable(
        "PARTNERS_DOCUMENT_CACHE_BYTES", 24 * 1024 * 1024
    )
    selection_cache_bytes: int = _variable(
        "PARTNERS_SELECTION_CACHE_BYTES", 8 * 1024 * 1024
    )
    # Cost: each field 1; a connection multiplies what is under it by `first` (a
    # variable `first` counts as 100), a plain list by the longest it is in the data.
    # 25,000 answers in about a second on a small server at 10,000 partners.
    max_cost: int = _variable("PARTNERS_MAX_COST", 25_000)
    max_body_bytes: int = _variable("PARTNERS_MAX_BODY_BYTES", 64 * 1024)
    # A body sent in parts must be whole within this long (408 otherwise).
    body_seconds: float = _variable("PARTNERS_BODY_MS", 5.0)
    # A request is stopped after this long (anonymous, staff), and an answer larger
    # than this is refused: no single request may hold a worker or answer megabytes.
    deadline_seconds: float = _variable("PARTNERS_DEADLINE_MS", 5.0)
    staff_deadline_seconds: float = _variable("PARTNERS_STAFF_DEADLINE_MS", 30.0)
    max_answer_bytes: int = _variable("PARTNERS_MAX_ANSWER_BYTES", 1024 * 1024)
    # Anonymous queries costing `costly` or more run while those running cost at
    # most `concurrent_cost` together, per worker; others wait their turn, at most
    # `admission_wait_seconds`, then are told to try again (429). See
    # api/admission.py.
    costly: int = _variable("PARTNERS_COSTLY", 5000)
    # Anonymous requests that must run (not answered from the cache) run so many at
    # a time in a worker, first come first served; the others wait, as above.
    turns: int = _variable("PARTNERS_TURNS", 2)
    # Anonymous requests that must run, from one client address, per worker: this
    # many at once, then so many a second (429 past that; answers from the cache are
    # not counted). Behind a proxy, uvicorn's --forwarded-allow-ips gives the address.
    address_burst: int = _variable("PARTNERS_ADDRESS_BURST", 60)
    address_per_second: int = _variable("PARTNERS_ADDRESS_PER_SECOND", 20)
    concurrent_cost: int = _variable("PARTNERS_CONCURRENT_COST", 25_000)
    admission_wait_seconds: float = _variable("PARTNERS_ADMISSION_WAIT_MS", 2.0)
    staff_max_answer_bytes: int = _variable(
        "PARTNERS_STAFF_MAX_ANSWER_BYTES", 16 * 1024 * 1024
    )
    # One staff token may write this many times at once, then so many a second, per
    # worker (api/rates.py): a sync of a few hundred records takes a minute or two.
    staff_writes_burst: int = _variable("PARTNERS_STAFF_WRITES_BURST", 100)
    staff_writes_per_second: int = _variable("PARTNERS_STAFF_WRITES_PER_SECOND", 5)
    # Anonymous answers are cached until the next write, and at most this long; the
    # cache holds at most so many entries and bytes, and no answer over ENTRY_BYTES.
    cache_seconds: int = _variable("PARTNERS_CACHE_SECONDS", 60)
    cache_entries: int = _variable("PARTNERS_CACHE_ENTRIES", 1000)
    cache_bytes: int = _variable("PARTNERS_CACHE_BYTES", 32 * 1024 * 1024)
    cache_entry_bytes: int = _variable("PARTNERS_CACHE_ENTRY_BYTES", 256 * 1024)
    # Applications to become a partner (models/application.py): so many a day from
    # one client address, so many an hour in all, and so many waiting for the
    # office at once; past these the form says to try later or write.
    applications_per_address: int = _variable("PARTNERS_APPLY_PER_ADDRESS", 5)
    applications_per_hour: int = _variable("PARTNERS_APPLY_PER_HOUR", 30)
    applications_waiting: int = _variable("PARTNERS_APPLY_WAITING", 300)
    # How stale a worker's view of "has anything been written?" may be.
    revision_seconds: float = _variable("PARTNERS_REVISION_MS", 1.0)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        """The settings `environ` gives; SystemExit, saying which variable and
        why, when one cannot be read."""
        read: dict[str, Any] = {}
        for setting in fields(cls):
            variable = setting.metadata["variable"]
            follows = setting.metadata["follows"]
            if follows and variable not in environ:
                read[setting.name] = read[follows]
            else:
                read[setting.name] = _read(setting, environ.get(variable))
        if read["engine"] not in ENGINES:
            raise SystemExit(
                f"PARTNERS_ENGINE must be {' or '.join(ENGINES)}, "
                f"got {read['engine']!r}"
            )
        return cls(**read)

    def with_flags(self, **given: Any) -> "Settings":
        """These settings with the flags that were given (None: not given)."""
        names = {f.name for f in fields(self)}
        return replace(
            self, **{k: v for k, v in given.items() if v is not None and k in names}
        )

    def environ(self) -> dict[str, str]:
        """The environment that gives these settings to another process: every
        variable, so that it reads them as they are here."""
        return {
            setting.metadata["variable"]: _written(setting, getattr(self, setting.name))
            for setting in fields(self)
        }


def _read(setting: Field[Any], value: str | None) -> Any:
    """A setting's value from its variable's text (None: unset)."""
    name: str = setting.metadata["variable"]
    default: Any = setting.default
    if setting.type is bool:
        return default if value is None else flag(value)
    if setting.type is int:
        return _whole(name, value, default)
    if setting.type is float:  # seconds, given in milliseconds
        return _whole(name, value, round(default * 1000)) / 1000
    if value is None:
        return default
    if setting.type == tuple[str, ...]:
        return tuple(code.strip() for code in value.split(",") if code.strip())
    return value


def _whole(name: str, value: str | None, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {value!r}") from None


def _written(setting: Field[Any], value: Any) -> str:
    """A setting's value as its variable's text, which _read reads back."""
    if setting.type is bool:
        return "1" if value else "0"
    if setting.type is float:
        return str(round(value * 1000))
    if setting.type == tuple[str, ...]:
        return ",".join(value)
    return str(value)


_current: Settings | None = None


def configure(settings: Settings) -> Settings:
    """Make `settings` this process's settings (a program does, when it starts)."""
    global _current
    _current = settings
    return settings


def current() -> Settings:
    """This process's settings: those configured, or, when no program configured
    any, those the environment gives at the first call (kept from then on)."""
    if _current is None:
        return configure(Settings.from_environ())
    return _current
