"""`partners export --format hsds` writes CSV files that a spreadsheet may open:
text it would run as a formula gets the office export's guard (a leading '), and
numbers stay numbers for the programs that read the files as data."""

import csv
from pathlib import Path

import pytest

import models as m
from cli import commands
from cli.main import _parser
from demo import load_demo
from models.db import database
from models.validation import FORMULA_START
from spreadsheet.exporter import NUMBER, guarded
from tests.district import DAY
from tests.settings_helpers import configured


@pytest.mark.parametrize(
    ("value", "office", "data"),
    [
        ("-93.2", "'-93.2", "-93.2"),
        ("+5", "'+5", "+5"),
        ("1e-3", "1e-3", "1e-3"),
        (-94.16, "'-94.16", "-94.16"),
        ("-5 for members", "'-5 for members", "'-5 for members"),
        (" -3", "' -3", "' -3"),
        ("+1 320-555-0100", "'+1 320-555-0100", "'+1 320-555-0100"),
        (
            "-2+3+cmd|' /C calc'!A0",
            "'-2+3+cmd|' /C calc'!A0",
            "'-2+3+cmd|' /C calc'!A0",
        ),
        ("\t=1", "'\t=1", "'\t=1"),
        ("-", "'-", "'-"),
        ("Free", "Free", "Free"),
    ],
)
def test_plain_numbers_survive_only_where_asked(
    value: object, office: str, data: str
) -> None:
    assert guarded(value) == office
    assert guarded(value, numbers=True) == data


async def test_the_hsds_export_guards_text_and_keeps_numbers(
    migrated_url: str, tmp_path: Path
) -> None:
    async with database(migrated_url):
        await load_demo(partners=12, seed=4, today=DAY)
        await m.Partner.all().update(
            description='=HYPERLINK("http://example.org/x","Click")',
            summary="-5 for members",
        )
        await m.Program.all().update(description="\t@SUM(1+1)")
    out = tmp_path / "hsds"
    args = ["export", str(out), "--format", "hsds", "--day", DAY.isoformat()]
    with configured(database_url=migrated_url) as settings:
        await commands.export_csv(_parser().parse_args(args), settings)
    cells: dict[str, list[str]] = {}
    for table in out.glob("*.csv"):
        with table.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for column, value in row.items():
                    cells.setdefault(f"{table.stem}.{column}", []).append(value)
    risky = [
        (column, value)
        for column, values in cells.items()
        for value in values
        if value.lstrip(" ").startswith(FORMULA_START) and not NUMBER.fullmatch(value)
    ]
    assert risky == []
    assert cells["organizations.description"][0].startswith("'=HYPERLINK(")
    assert "'\t@SUM(1+1)" in cells["services.description"]
    longitudes = [v for v in cells["locations.longitude"] if v]
    assert longitudes and all(float(v) < -90 for v in longitudes)  # as numbers
