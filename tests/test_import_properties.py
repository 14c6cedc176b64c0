"""Generated files for `partners import`: hostile text in any cell of a CSV file
(NUL and other control characters, very long strings, formula prefixes, scripts,
bidirectional overrides) gives a clear error by row and column, or a clean
import; never a traceback, and never half an import. The same hostile strings as
the API's property test (tests/test_properties.py), and some a file brings."""

import re
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import models as m
from models.db import database
from spreadsheet.columns import YES, column_names
from tests.properties import examples
from tests.test_import_limits import ROW, csv_file, partners_import
from tests.test_mutations import snapshot
from tests.test_properties import HOSTILE_TEXT

HOSTILE = st.one_of(
    HOSTILE_TEXT,
    st.sampled_from(
        [
            "=cmd|' /C calc'!A0",
            "'=1+1",
            " \t@SUM(A1)",
            "+1 320-555-0100",
            "-93.2",
            "\u202eevil.exe",
            "\x1b[31mred\x1b[0m",
            '<img src=x onerror="alert(1)">',
            "line\r\nbreak",
            "a;b;;c",
            "yes",
            "2031-03-12",
            "99999",
            "9" * 5000,
            "x" * 20_001,
            "s" * 81,
            "p" * 121,
            "n" * 201,
            "é" * 301,
        ]
    ),
)
# Text columns and where a clean import keeps them.
STORED = {
    "name": (m.Partner, "slug", "name"),
    "summary": (m.Partner, "slug", "summary"),
    "description": (m.Partner, "slug", "description"),
    "street": (m.Partner, "slug", "street"),
    "city": (m.Partner, "slug", "city"),
    "internal_notes": (m.Partner, "slug", "internal_notes"),
    "program_name": (m.Program, "program", "name"),
    "program_description": (m.Program, "program", "description"),
    "cost": (m.Program, "program", "cost"),
}
PROBLEM = re.compile(r"  row 2(, column [a-z_]+)?: \S|  \.\.\.and [\d,]+ more")


@st.composite
def hostile_files(draw: st.DrawFn) -> dict[str, Any]:
    """A valid row with hostile text in one to three of its cells, and now and
    then a column of the header named with hostile text."""
    columns = draw(
        st.lists(st.sampled_from(column_names()), min_size=1, max_size=3, unique=True)
    )
    row = {**ROW, **{column: draw(HOSTILE) for column in columns}}
    named = draw(st.one_of(st.none(), HOSTILE))
    if named is not None and named.strip() not in column_names():
        row[named] = "x"
    return {"row": row, "dry_run": draw(st.booleans())}


@examples(80)
@given(file=hostile_files())
async def test_hostile_cells_never_reach_a_traceback_nor_half_an_import(
    migrated_url: str,
    tmp_path: Path,
    file: dict[str, Any],
) -> None:
    row: dict[str, str] = file["row"]
    path = csv_file(tmp_path / "office.csv", [row])
    async with database(migrated_url):
        before = await snapshot()
    args = ["--dry-run"] if file["dry_run"] else []
    said = await partners_import(migrated_url, path, *args)
    async with database(migrated_url):
        after = await snapshot()
        if said or file["dry_run"]:
            assert after == before, said  # nothing written, not half of it
        if not said and not file["dry_run"]:
            removed = row.get("remove", "").strip().lower() in YES
            for column, (model, key, field) in STORED.items():
                slug = row[key].strip()
                if column not in row or (model is m.Program and (removed or not slug)):
                    continue
                typed = row[column].strip()
                kept = await model.get(slug=slug)
                assert getattr(kept, field) in (typed, typed[1:]), column
    if said:
        lines = said.splitlines()
        assert len(said) < 10_000
        assert all(line.isprintable() for line in lines), said  # escaped
        if lines[0].startswith("office.csv, row 1 (header): "):
            assert len(lines) == 1
        else:
            assert re.fullmatch(
                r"office\.csv: [\d,]+ problem\(s\), nothing was imported:", lines[0]
            ), said
            assert all(PROBLEM.match(line) for line in lines[1:]), said
