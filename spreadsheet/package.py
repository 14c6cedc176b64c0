"""A workbook's parts, checked by size before openpyxl opens it.

An .xlsx file is a zip of XML parts. Opening one, openpyxl reads the shared
strings, the list of sheets, the styles and the other small parts whole, and then
streams the sheets a row at a time; a 390 KB file can hold a 400 MB part. zipfile
tells each part's uncompressed size (`ZipInfo.file_size`) before anything is
read, and never reads a part past it, so each part is held to what reading it
costs (spreadsheet/limits.py) before openpyxl is given the file.

Which part is a sheet is told by the workbook itself, and the same part could be
named a sheet in one place and shared strings in another: a part gets a sheet's
bound only when the manifest declares it a worksheet, every relationship to it is
a worksheet's, and openpyxl reads nothing else by its name."""

import posixpath
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from spreadsheet.limits import (
    MAX_PARTS,
    MAX_SHARED_STRINGS,
    MAX_SHEETS,
    megabytes,
    shown,
)
from spreadsheet.reader import SpreadsheetError

MANIFEST = "[Content_Types].xml"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
SHARED_STRINGS = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
# Parts openpyxl reads whole by their names, whatever the workbook says they are.
READ_BY_NAME = {
    MANIFEST,
    "xl/workbook.xml",
    "xl/styles.xml",
    "xl/theme/theme1.xml",
    "docProps/core.xml",
    "docProps/custom.xml",
}
ADVICE = "save the sheet as CSV UTF-8 and import that instead"


def check_package(path: Path) -> None:
    """Raise SpreadsheetError when the workbook at `path` holds a part bigger than
    reading it may cost: its sheets, its shared strings, or its other parts."""
    with zipfile.ZipFile(path) as book:
        sizes = {info.filename: info.file_size for info in book.infolist()}
        described = [n for n in sizes if n == MANIFEST or n.endswith(".rels")]
        _bound(path, "parts other than sheets", described, sizes, MAX_PARTS)
        declared = _declared(book) if MANIFEST in sizes else {}
        uses = _uses(book, described)
    sheets = [
        name
        for name in sizes
        if declared.get(name) == {WORKSHEET}  # the manifest says so, and only that
        and uses.get(name) == {"worksheet"}  # as does every relationship to it
        and name not in READ_BY_NAME
        and name not in described
    ]
    strings = [n for n in sizes if SHARED_STRINGS in declared.get(n, set())]
    others = sorted(set(sizes) - set(sheets) - set(strings))
    _bound(path, "sheets", sheets, sizes, MAX_SHEETS)
    _bound(path, "shared strings", strings, sizes, MAX_SHARED_STRINGS)
    _bound(path, "parts other than sheets", others, sizes, MAX_PARTS)


def _bound(
    path: Path, what: str, names: list[str], sizes: dict[str, int], most: int
) -> None:
    total = sum(sizes[name] for name in names)
    if total > most:
        largest = max(names, key=sizes.__getitem__)
        raise SpreadsheetError(
            f"{path.name} is too big to read: its {what} take {megabytes(total)} "
            f"unpacked (the largest, {shown(largest)}, {megabytes(sizes[largest])}); "
            f"a workbook's may take at most {megabytes(most)}: {ADVICE}"
        )


def _declared(book: zipfile.ZipFile) -> dict[str, set[str]]:
    """The content types the manifest declares for each part, by part name."""
    root = ElementTree.fromstring(book.read(MANIFEST))
    found: dict[str, set[str]] = {}
    for override in root.iter(f"{{{TYPES}}}Override"):
        name = override.get("PartName", "").lstrip("/")
        found.setdefault(name, set()).add(override.get("ContentType", ""))
    return found


def _uses(book: zipfile.ZipFile, described: list[str]) -> dict[str, set[str]]:
    """How the workbook's relationships use each part ("worksheet", "styles"...),
    by part name, targets resolved as openpyxl resolves them."""
    found: dict[str, set[str]] = {}
    for rels in described:
        if rels == MANIFEST:
            continue
        parent = posixpath.dirname(posixpath.dirname(rels))  # "xl/_rels/x" -> "xl"
        root = ElementTree.fromstring(book.read(rels))
        for relation in root.iter(f"{{{RELATIONSHIPS}}}Relationship"):
            if relation.get("TargetMode") == "External":
                continue
            target = relation.get("Target", "")
            name = (
                target[1:]
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(parent, target))
            )
            kind = relation.get("Type", "").rsplit("/", 1)[-1]
            found.setdefault(name, set()).add(kind)
    return found
