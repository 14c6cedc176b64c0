"""The office's spreadsheet: import (checked, all or nothing, idempotent) and export."""

from spreadsheet.columns import Rows, sheet_columns
from spreadsheet.exporter import export, guarded
from spreadsheet.importer import ImportSummary, apply
from spreadsheet.reader import SpreadsheetError, read

__all__ = [
    "ImportSummary",
    "Rows",
    "SpreadsheetError",
    "apply",
    "export",
    "guarded",
    "read",
    "sheet_columns",
]
