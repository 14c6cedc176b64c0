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

from models.settings import DATABASE_URL

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
]


def tortoise_config(url: str = DATABASE_URL) -> dict[str, Any]:
    """The Tortoise configuration for the app's single database."""
    return {
        "connections": {"default": url},
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


TORTOISE_ORM = tortoise_config()


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a file-backed SQLite URL, so a fresh checkout just works."""
    if url.startswith("sqlite://") and ":memory:" not in url:
        folder = os.path.dirname(url.removeprefix("sqlite://"))
        if folder:
            os.makedirs(folder, exist_ok=True)


@asynccontextmanager
async def database(url: str = DATABASE_URL) -> AsyncIterator[TortoiseContext]:
    """Open the database for a script or command. Connections close on exit."""
    ensure_sqlite_folder(url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        yield ctx


async def migrate(
    url: str = DATABASE_URL,
    progress: Callable[[str, str, str], object] | None = None,
) -> None:
    """Bring the database's tables up to the committed migrations."""
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
