"""The office's spreadsheet: import (checked, all or nothing, idempotent) and export."""

from models.spreadsheet.columns import COLUMNS
from models.spreadsheet.reader import SpreadsheetError, read
from models.spreadsheet.writer import ImportSummary, apply, export

__all__ = ["COLUMNS", "ImportSummary", "SpreadsheetError", "apply", "export", "read"]
