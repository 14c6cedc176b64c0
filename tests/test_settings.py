"""Settings are read once, into one `Settings`, when a program starts: from the
environment (models/settings.py), then the command line's flags; a worker
process rebuilds the same settings from `environ()`, and nothing reads a
setting when a module is imported."""

import os
import subprocess
import sys
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

import models.settings
from models.settings import Settings, current
from tests.settings_helpers import configured

ROOT = Path(__file__).parent.parent


def test_an_empty_environment_gives_the_defaults() -> None:
    read = Settings.from_environ({})
    assert read == Settings()
    assert read.database_url == "sqlite://var/partners.sqlite3"
    assert read.district_languages == ("en", "es", "so", "hmn")
    assert read.max_depth == 12
    assert read.deadline_seconds == 5.0
    assert read.publish and not read.production
    assert read.engine == "fast"


def test_variables_are_read_as_their_settings_types() -> None:
    read = Settings.from_environ(
        {
            "DISTRICT_LANGUAGES": " en, fr ,,so",
            "PARTNERS_MAX_DEPTH": "7",
            "PARTNERS_DEADLINE_MS": "250",
            "PARTNERS_PUBLISH": "off",
            "PARTNERS_PRODUCTION": "Yes",
            "PARTNERS_MAX_COST": "",  # empty: the default
            "PARTNERS_ENGINE": "reference",
        }
    )
    assert read.district_languages == ("en", "fr", "so")
    assert read.max_depth == 7
    assert read.deadline_seconds == 0.25
    assert not read.publish and read.production
    assert read.max_cost == 25_000
    assert read.engine == "reference"


def test_the_namespace_and_the_digest_follow_the_district_unless_set() -> None:
    read = Settings.from_environ({"DISTRICT_NAME": "Lakeside", "DISTRICT_EMAIL": "a@l"})
    assert read.id_namespace == "Lakeside"
    assert (read.reminders_from, read.reminders_to) == ("a@l", "a@l")
    own = Settings.from_environ({"DISTRICT_NAME": "L", "PARTNERS_ID_NAMESPACE": "N"})
    assert own.id_namespace == "N"


def test_a_number_that_is_not_whole_says_which_variable() -> None:
    with pytest.raises(SystemExit) as stopped:
        Settings.from_environ({"PARTNERS_MAX_DEPTH": "oops"})
    assert str(stopped.value) == "PARTNERS_MAX_DEPTH must be a whole number, got 'oops'"


def test_an_unknown_engine_says_which_there_are() -> None:
    with pytest.raises(SystemExit) as stopped:
        Settings.from_environ({"PARTNERS_ENGINE": "turbo"})
    assert (
        str(stopped.value) == "PARTNERS_ENGINE must be fast or reference, got 'turbo'"
    )


def _unlike_the_defaults() -> Settings:
    """Settings with every field other than its default."""
    changed: dict[str, Any] = {}
    for setting in fields(Settings):
        default: Any = setting.default
        if setting.name == "engine":
            changed[setting.name] = "reference"
        elif setting.type is bool:
            changed[setting.name] = not default
        elif setting.type is int:
            changed[setting.name] = default + 7
        elif setting.type is float:
            changed[setting.name] = default + 1.25
        elif setting.type == tuple[str, ...]:
            changed[setting.name] = ("en", "fr")
        else:
            changed[setting.name] = f"{default}-changed"
    return Settings(**changed)


def test_the_environment_it_gives_another_process_gives_the_same_settings() -> None:
    given = _unlike_the_defaults()
    assert all(
        getattr(given, f.name) != getattr(Settings(), f.name) for f in fields(Settings)
    )
    assert len(given.environ()) == len(fields(Settings))  # every variable
    assert Settings.from_environ(given.environ()) == given


def test_flags_win_when_given() -> None:
    given = Settings().with_flags(production=True, publish=None, nothing="x")
    assert given == replace(Settings(), production=True)


def test_the_configured_settings_are_current_until_others_are() -> None:
    before = current()
    with configured(max_depth=3) as settings:
        assert current() is settings
        assert current().max_depth == 3
    assert current() is before
    with pytest.raises(AttributeError):
        models.settings.MAX_DEPTH  # type: ignore[attr-defined]  # noqa: B018


def _python(code: str, **environ: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_with_none_configured_the_environment_is_read_at_the_first_call() -> None:
    ran = _python(
        "from models.settings import current; print(current().max_depth)",
        PARTNERS_MAX_DEPTH="7",
    )
    assert ran.stdout.strip() == "7", ran.stderr


# Modules that still read settings when imported, left out until they no longer
# do. A module that imports one of them fails until then (cli.main imports them
# all).
NOT_YET: set[str] = set()
PACKAGES = ("api", "bench", "cli", "demo", "directory_site", "models", "spreadsheet")
FIRST = ("cli.main", "directory_site.build")  # the programs' order of imports


def _modules() -> list[str]:
    """Every module of the project but those NOT_YET, the programs' first."""
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                found.add(name.removesuffix(".__init__"))
    rest = sorted(found - NOT_YET - set(FIRST))
    return [*FIRST, *rest]


def test_no_module_reads_a_setting_when_imported() -> None:
    ran = _python(
        f"import {', '.join(_modules())}",
        PARTNERS_MAX_DEPTH="oops",
        PARTNERS_DEADLINE_MS="oops",
        PARTNERS_ENGINE="oops",
        DISTRICT_TIMEZONE="Nowhere/Never",
    )
    assert ran.returncode == 0, ran.stderr
    assert len(_modules()) > 100
