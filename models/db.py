"""Database configuration and the context that opens it."""

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from tortoise import connections
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate as apply_migrations
from tortoise.migrations.recorder import MigrationRecorder

from models.settings import current

MODEL_MODULES = [
    "models.taxonomy",
    "models.school",
    "models.partner",
    "models.program",
    "models.agreement",
    "models.staff",
    "models.audit",
    "models.changes",
    "models.support",
    "models.session",
    "models.application",
    "models.invitation",
]


def tortoise_config(url: str | None = None) -> dict[str, Any]:
    """The Tortoise configuration for the app's single database (by default, the
    one the settings name)."""
    return {
        "connections": {"default": url or current().database_url},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "models.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def __getattr__(name: str) -> Any:
    # `tortoise -c models.db.TORTOISE_ORM` (make migrations) reads this name:
    # made when asked, from the settings, like every other configuration.
    if name == "TORTOISE_ORM":
        return tortoise_config()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a file-backed SQLite URL, so a fresh checkout just works."""
    if url.startswith("sqlite://") and ":memory:" not in url:
        folder = os.path.dirname(url.removeprefix("sqlite://"))
        if folder:
            os.makedirs(folder, exist_ok=True)


@asynccontextmanager
async def database(url: str | None = None) -> AsyncIterator[TortoiseContext]:
    """Open the database for a script or command (by default, the one the
    settings name). Connections close on exit."""
    url = url or current().database_url
    ensure_sqlite_folder(url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        yield ctx


async def migrate(
    url: str | None = None,
    progress: Callable[[str, str, str], object] | None = None,
) -> None:
    """Bring the database's tables up to the committed migrations (by default,
    the settings' database's)."""
    url = url or current().database_url
    async with database(url):
        await apply_migrations(config=tortoise_config(url), progress=progress)


MIGRATIONS = sorted(
    p.stem for p in (Path(__file__).parent / "migrations").glob("[0-9]*.py")
)


async def applied_migrations() -> list[str]:
    """The migrations applied to the open database, oldest first (none when it
    was never migrated)."""
    recorder = MigrationRecorder(connections.get("default"))
    return [
        k.name for k in await recorder.applied_migrations() if k.app_label == "models"
    ]
