"""The `partners` command as the office runs it: real processes, a real SQLite file."""

import csv
import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from cli.main import _flags, _parser
from models.settings import Settings

ROOT = Path(__file__).parent.parent


def partners(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite://{db}"}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "partners.sqlite3"
    assert partners(path, "migrate").returncode == 0
    return path


def test_a_token_is_printed_once_and_only_its_hash_is_kept(db: Path) -> None:
    made = partners(db, "token", "create", "--name", "jsmith", "--role", "editor")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("cpd_") and len(token) > 40
    assert "shown only this once" in made.stderr
    assert token.encode() not in db.read_bytes()
    listed = partners(db, "token", "list")
    assert (
        "jsmith" in listed.stdout
        and "editor" in listed.stdout
        and "active" in listed.stdout
    )
    assert token not in listed.stdout
    again = partners(db, "token", "create", "--name", "jsmith", "--role", "viewer")
    assert again.returncode == 1
    assert "a token named 'jsmith' exists" in again.stderr
    revoked = partners(db, "token", "revoke", "jsmith")
    assert revoked.returncode == 0
    with sqlite3.connect(db) as connection:
        [(when,)] = connection.execute("SELECT revoked_at FROM staff_token").fetchall()
    assert when is not None
    missing = partners(db, "token", "revoke", "jsmith")
    assert missing.returncode == 1
    assert "no active token named 'jsmith'" in missing.stderr


def test_import_reports_problems_and_exits_non_zero(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("slug,name\nBad Slug,Org\n")
    result = partners(db, "import", str(bad), "--by", "Ana Lopez")
    assert result.returncode == 1
    assert result.stderr.startswith("partners import: bad.csv: 1 problem(s)")
    assert "row 2, column slug" in result.stderr
    assert "Traceback" not in result.stderr
    missing = partners(db, "import", str(tmp_path / "nope.csv"), "--by", "Ana")
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_import_and_export_round_trip(db: Path, tmp_path: Path) -> None:
    assert partners(db, "demo", "--partners", "20").returncode == 0
    example = str(ROOT / "examples/partners.csv")
    nobody = partners(db, "import", example)
    assert nobody.returncode == 1
    assert 'say who is importing, as the history will name them: --by "Your Name"' in (
        nobody.stderr
    )
    first = partners(db, "import", example, "--by", "Ana Lopez")
    assert first.returncode == 0, first.stderr
    assert (
        "Imported partners.csv (3 partner and program rows): 2 partners created"
        in first.stdout
    )
    assert "partners and programs: 5/5" in first.stderr  # how far, not what changed
    again = partners(db, "import", example, "--dry-run", "--by", "Ana Lopez")
    assert again.stdout.startswith(
        "Checked partners.csv (3 partner and program rows); nothing was written. It "
        "would make: "
        "0 partners created, 0 updated, 2 unchanged"
    )
    assert "written" not in again.stderr and "saved" not in again.stderr
    out = tmp_path / "out.csv"
    exported = partners(db, "export", str(out))
    assert exported.returncode == 0 and out.is_file()
    back = partners(db, "import", str(out), "--by", "Ana Lopez")
    # a file that leaves out one of a partner's programs keeps it, and says so
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    partner, program = next(
        (r["slug"], r["program"]) for r in rows
        if r["program"]
        and len({o["program"] for o in rows if o["slug"] == r["slug"]}) > 1
    )  # fmt: skip
    short = tmp_path / "short.csv"
    with short.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(
            r for r in rows if (r["slug"], r["program"]) != (partner, program)
        )
    kept = partners(db, "import", str(short), "--dry-run", "--by", "Ana Lopez")
    assert kept.returncode == 0, kept.stderr
    assert (
        "1 program not in this file was kept (remove=yes on a row, or "
        f"--remove-missing, removes them): {partner}/{program}." in kept.stdout
    )
    mixed = partners(db, "export", str(tmp_path / "x"), "--format", "hsds", "--records")
    assert mixed.returncode == 1 and "--records goes with the office's CSV" in (
        mixed.stderr
    )
    book = tmp_path / "out.xlsx"
    wrote = partners(db, "export", str(book))
    assert wrote.returncode == 0, wrote.stderr
    # export and import count a workbook's rows the same way, sheet by sheet
    counted = wrote.stdout.removeprefix("Wrote ").removesuffix(f" to {book}\n")
    assert re.fullmatch(
        r"\d+ partner and program rows( and \d+ support records?)?", counted
    ), wrote.stdout
    again = partners(db, "import", str(book), "--by", "Ana Lopez")
    assert f"Imported out.xlsx ({counted}): " in again.stdout
    assert "0 partners created, 0 updated, 22 unchanged" in again.stdout, again.stderr
    assert "0 partners created, 0 updated, 22 unchanged" in back.stdout


def test_commands_on_a_database_without_tables_say_what_to_do(tmp_path: Path) -> None:
    result = partners(tmp_path / "fresh.sqlite3", "token", "list")
    assert result.returncode == 1
    assert "has `partners migrate` been run" in result.stderr


def test_a_file_that_cannot_be_written_is_named_for_what_it_is(
    db: Path, tmp_path: Path
) -> None:
    full = partners(db, "export", "/dev/full")  # every write: ENOSPC
    assert full.returncode == 1
    assert full.stderr.strip() == "partners export: disk full"
    missing = tmp_path / "nowhere" / "out.csv"
    gone = partners(db, "export", str(missing))
    assert gone.returncode == 1
    assert gone.stderr.strip() == (
        f"partners export: No such file or directory: {missing}"
    )
    assert "database" not in full.stderr + gone.stderr


def test_a_setting_that_cannot_be_read_stops_the_command_saying_which() -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "cli.main", "token", "list"],
        cwd=ROOT,
        env={**os.environ, "PARTNERS_MAX_COST": "a lot"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 1
    assert ran.stderr.strip() == "PARTNERS_MAX_COST must be a whole number, got 'a lot'"


def test_the_flags_win_over_the_environment() -> None:
    environment = Settings.from_environ({"DISTRICT_NAME": "Lakeside"})
    args = _parser(environment).parse_args(["serve", "--production", "--no-publish"])
    settings = environment.with_flags(**_flags(args))
    assert settings == replace(environment, production=True, publish=False)
    args = _parser(environment).parse_args(["build-site", "out"])
    assert environment.with_flags(**_flags(args)).district_name == "Lakeside"
    args = _parser(environment).parse_args(["build-site", "out", "--district", "Hill"])
    assert environment.with_flags(**_flags(args)).district_name == "Hill"
