"""Cells for spreadsheets that a spreadsheet cannot run (OWASP "CSV injection").

Every CSV and XLSX file stratdocs writes (export, the site's matrix CSVs) holds contributor text.
A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by
Excel, LibreOffice and Google Sheets (`=HYPERLINK(...)` phishing, DDE). In CSV such a text gets
a leading apostrophe, as OWASP recommends (spreadsheets hide it); in XLSX it is stored as a
string cell, which no spreadsheet evaluates, so its visible text is exactly the original.
Numbers, dates and booleans are data, not text, and pass unchanged.
"""

from __future__ import annotations

import csv
import io
from typing import Iterable

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value safe to write to a CSV cell."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as CSV text (UTF-8, `\\n` line ends) with every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


def append_row(sheet, row: Iterable[object]) -> None:
    """Append a row to an openpyxl sheet; text cells are always string cells, never formulas."""
    sheet.append([None if v is None else v for v in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
