"""The error list as an .xlsx download, safe to open in Excel.

In: the errors DataFrame of a Preview (file, sheet, row, column, value, reason) and translated column titles.
Out: workbook bytes. Every text cell is written as text, never as a formula: a value such as '=HYPERLINK(...)' or
'+86 138...' that came from an uploaded file must not run when the analyst opens the error list (OWASP formula
injection: cells starting with = + - @ tab or CR).
"""
from __future__ import annotations

import io
from collections.abc import Sequence

import openpyxl
import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def errors_workbook(errors: pd.DataFrame, titles: Sequence[str] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "errors"
    sheet.append(list(titles or errors.columns))
    for record in errors.itertuples(index=False):  # an error list is short: a plain loop is fine here
        sheet.append([None if pd.isna(v) else (int(v) if isinstance(v, (int, float)) else str(v)) for v in record])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # stored as a plain string: Excel shows it, never evaluates it
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
