"""The office's spreadsheet: import (checked, all or nothing, idempotent) and export."""

from spreadsheet.columns import COLUMNS
from spreadsheet.reader import SpreadsheetError, read
from spreadsheet.writer import ImportSummary, apply, export

__all__ = ["COLUMNS", "ImportSummary", "SpreadsheetError", "apply", "export", "read"]
