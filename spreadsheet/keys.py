"""The keys of a file being imported, kept on disk rather than in memory.

Checking a file needs every row's keys at once (a program repeated 90,000 rows
later, a partner whose rows disagree, a program removed on one row and kept on
another), and writing a program needs its sessions, from whatever rows hold
them. Held in Python, they grew with the file, about a kilobyte a row; here
they go to a private SQLite database in a temporary file (Python's own sqlite3,
whatever database the district runs), which SQLite pages through a small, fixed
cache. The file goes when the import ends."""

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from models.validation import SLUG
from spreadsheet.columns import LIST_SEPARATOR

SCHEMA = """
CREATE TABLE partners (
    slug TEXT PRIMARY KEY, row INTEGER, status TEXT, reason TEXT,
    categories TEXT, digest TEXT
);
CREATE TABLE programs (
    row INTEGER PRIMARY KEY, partner TEXT, slug TEXT,
    service_types TEXT, sites TEXT, languages TEXT, session INTEGER, columns TEXT
);
CREATE INDEX programs_slug ON programs (slug, row);
CREATE TABLE sessions (
    row INTEGER PRIMARY KEY, program TEXT, days TEXT, start_minute INTEGER,
    end_minute INTEGER, valid_from TEXT, valid_until TEXT, site TEXT
);
CREATE INDEX sessions_program ON sessions (program, row);
CREATE TABLE removals (row INTEGER, partner TEXT, slug TEXT);
CREATE INDEX removals_slug ON removals (slug);
"""
RELATIONS = ("service_types", "sites", "languages")
CHUNK = 500  # keys a statement


@dataclass(frozen=True)
class PartnerKeys:
    row: int
    slug: str
    status: str
    reason: str
    categories: list[str]


@dataclass(frozen=True)
class ProgramKeys:
    row: int
    partner: str
    slug: str
    relations: dict[str, list[str]]


@dataclass(frozen=True)
class SessionKeys:
    """A row's session, checked: days as stored ("TU,TH"), minutes after
    midnight, the term, and the school's slug (None: the partner's own site)."""

    row: int
    program: str
    days: str
    start_minute: int
    end_minute: int
    valid_from: date
    valid_until: date
    site: str | None

    @property
    def key(self) -> tuple[str, int, int, date, date, str]:
        """What a session on file is compared by."""
        return (
            self.days,
            self.start_minute,
            self.end_minute,
            self.valid_from,
            self.valid_until,
            self.site or "",
        )


@dataclass(frozen=True)
class RemovalKeys:
    row: int
    partner: str
    slug: str


def slugs_to_look_up(slugs: Iterable[str]) -> list[str]:
    """Those of a file's keys that may name a record on file. A key that is no
    slug was reported by the checks already and names nothing; looking it up
    would hand the database text it may refuse outright (PostgreSQL refuses a
    NUL character, for one)."""
    return [slug for slug in slugs if SLUG.fullmatch(slug)]


def _joined(items: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(items)


def _split(text: str) -> list[str]:
    return text.split(LIST_SEPARATOR) if text else []


class Keys:
    """What the checks of one file need of its rows, row numbers included."""

    def __init__(self) -> None:
        # "" is a private database in a temporary file, deleted when closed
        self.db = sqlite3.connect("", isolation_level=None)
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA cache_size = -4000")  # 4 MB, whatever the file
        self.db.executescript(SCHEMA)
        self.db.execute("BEGIN")  # one transaction while reading: fast inserts

    def close(self) -> None:
        self.db.close()

    def done_reading(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    # Reading the file --------------------------------------------------------

    def partner(self, slug: str) -> tuple[int, str] | None:
        """The row and digest of the partner's first row, if it has been read."""
        found = self.db.execute(
            "SELECT row, digest FROM partners WHERE slug = ?", (slug,)
        ).fetchone()
        return (found[0], found[1]) if found else None

    def add_partner(self, keys: PartnerKeys, digest: str) -> None:
        self.db.execute(
            "INSERT INTO partners VALUES (?, ?, ?, ?, ?, ?)",
            (
                keys.slug,
                keys.row,
                keys.status,
                keys.reason,
                _joined(keys.categories),
                digest,
            ),
        )

    def program(self, slug: str) -> tuple[int, str] | None:
        """The first row of a program already read, and the digests of its
        columns (spreadsheet.sessions.program_digests)."""
        found = self.db.execute(
            "SELECT row, columns FROM programs WHERE slug = ? ORDER BY row LIMIT 1",
            (slug,),
        ).fetchone()
        return (found[0], found[1]) if found else None

    def add_program(
        self, keys: ProgramKeys, *, session: bool = False, columns: str = ""
    ) -> None:
        """A program's row; `session`: whether the row gives it a session."""
        self.db.execute(
            "INSERT INTO programs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                keys.row,
                keys.partner,
                keys.slug,
                *(_joined(keys.relations[name]) for name in RELATIONS),
                session,
                columns,
            ),
        )

    def add_session(self, keys: SessionKeys) -> None:
        self.db.execute(
            "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                keys.row,
                keys.program,
                keys.days,
                keys.start_minute,
                keys.end_minute,
                keys.valid_from.isoformat(),
                keys.valid_until.isoformat(),
                keys.site,
            ),
        )

    def add_removal(self, keys: RemovalKeys) -> None:
        """A program to remove; removing one twice is removing it once."""
        self.db.execute(
            "INSERT INTO removals SELECT ?, ?, ? "
            "WHERE NOT EXISTS (SELECT 1 FROM removals WHERE slug = ?)",
            (keys.row, keys.partner, keys.slug, keys.slug),
        )

    # Checking and writing ----------------------------------------------------

    def count(self, table: str) -> int:
        assert table in ("partners", "programs", "removals")
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def partners(self, size: int) -> Iterator[list[PartnerKeys]]:
        """Every partner, by its first row, `size` at a time."""
        after = 0
        while batch := self.db.execute(
            "SELECT row, slug, status, reason, categories FROM partners "
            "WHERE row > ? ORDER BY row LIMIT ?",
            (after, size),
        ).fetchall():
            yield [PartnerKeys(r, s, st, re, _split(c)) for r, s, st, re, c in batch]
            after = batch[-1][0]

    def programs(self, size: int) -> Iterator[list[ProgramKeys]]:
        """Every program, by its first row, in row order, `size` at a time (its
        later rows, a session each, repeat it)."""
        after = 0
        while batch := self.db.execute(
            "SELECT row, partner, slug, service_types, sites, languages "
            "FROM programs WHERE row > ? AND NOT EXISTS (SELECT 1 FROM programs "
            "AS earlier WHERE earlier.slug = programs.slug AND earlier.row < "
            "programs.row) ORDER BY row LIMIT ?",
            (after, size),
        ).fetchall():
            yield [
                ProgramKeys(
                    row[0],
                    row[1],
                    row[2],
                    {name: _split(row[3 + i]) for i, name in enumerate(RELATIONS)},
                )
                for row in batch
            ]
            after = batch[-1][0]

    def removals(self, size: int) -> Iterator[list[RemovalKeys]]:
        """Every removal, in row order, `size` at a time."""
        after = -1
        while batch := self.db.execute(
            "SELECT rowid, row, partner, slug FROM removals WHERE rowid > ? "
            "ORDER BY rowid LIMIT ?",
            (after, size),
        ).fetchall():
            yield [RemovalKeys(r, p, s) for _, r, p, s in batch]
            after = batch[-1][0]

    def repeated_programs(self) -> Iterator[tuple[int, str, int]]:
        """(row, slug, first row) of every program row that repeats an earlier one."""
        yield from self.db.execute(  # a window, not a self-join: one slug on
            # 10,000 rows would pair each row with every earlier one
            "SELECT row, slug, first FROM (SELECT row, slug, "
            "min(row) OVER (PARTITION BY slug) AS first FROM programs) "
            "WHERE row > first ORDER BY row"
        )

    def sessionless_repeats(self) -> Iterator[tuple[int, str]]:
        """(row, slug) of each row without a session of a program on several rows."""
        yield from self.db.execute(
            "SELECT row, slug FROM (SELECT row, slug, session, "
            "count(*) OVER (PARTITION BY slug) AS rows FROM programs) "
            "WHERE rows > 1 AND NOT session ORDER BY row"
        )

    def crowded(self, most: int) -> Iterator[tuple[int, str]]:
        """(row, program) of the session past the `most`th of its program."""
        yield from self.db.execute(
            "SELECT row, program FROM (SELECT row, program, row_number() OVER "
            "(PARTITION BY program ORDER BY row) AS n FROM sessions) "
            "WHERE n = ? ORDER BY row",
            (most + 1,),
        )

    def _in(self, sql: str, slugs: list[str]) -> Iterator[Any]:
        """The rows of `sql` for `slugs`, CHUNK at a time: each `{marks}` in it
        stands for one chunk's placeholders."""
        for first in range(0, len(slugs), CHUNK):
            chunk = slugs[first : first + CHUNK]
            marks = ", ".join("?" * len(chunk))
            yield from self.db.execute(
                sql.format(marks=marks), chunk * sql.count("{marks}")
            )

    def sessions(self, slugs: list[str]) -> dict[str, list[SessionKeys]]:
        """The sessions the file gives each of these programs (none: [])."""
        found: dict[str, list[SessionKeys]] = {slug: [] for slug in slugs}
        for row, program, days, start, end, first, last, site in self._in(
            "SELECT * FROM sessions WHERE program IN ({marks}) ORDER BY row", slugs
        ):
            term = date.fromisoformat(first), date.fromisoformat(last)
            found[program].append(
                SessionKeys(row, program, days, start, end, *term, site)
            )
        return found

    def first_program_rows(self, slugs: list[str]) -> dict[str, int]:
        """The first row of each of these programs."""
        sql = (
            "SELECT slug, min(row) FROM programs WHERE slug IN ({marks}) GROUP BY slug"
        )
        return dict(self._in(sql, slugs))

    def removed_and_kept(self) -> Iterator[tuple[int, int]]:
        """(removal's row, keeping row) for each program both removed and kept."""
        yield from self.db.execute(
            "SELECT removals.row, min(programs.row) FROM removals "
            "JOIN programs ON programs.slug = removals.slug "
            "GROUP BY removals.rowid ORDER BY removals.rowid"
        )

    def named(self, slugs: list[str]) -> set[str]:
        """Those of `slugs` that the file names as programs, kept or removed."""
        sql = (
            "SELECT slug FROM programs WHERE slug IN ({marks}) "
            "UNION SELECT slug FROM removals WHERE slug IN ({marks})"
        )
        return {row[0] for row in self._in(sql, slugs)}

    def first_rows(self, slugs: list[str]) -> dict[str, int]:
        """The first row of each of these partners."""
        sql = "SELECT slug, row FROM partners WHERE slug IN ({marks})"
        return dict(self._in(sql, slugs))
