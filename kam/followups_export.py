"""Follow-up list to an Excel workbook, safe to open.

In: a DataFrame (a follow-up list) and the header text per column. Out: the .xlsx file as bytes.
A cell whose text starts with = + - @ tab or carriage return would run as a formula in Excel (CSV/formula
injection): such cells are written as text (string type plus Excel's quote prefix), so the value is kept exactly
and never evaluated. Dates stay dates, numbers stay numbers.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMN_WIDTH = 18  # characters: wide enough for dates and short texts without a resize


def to_excel(frame: pd.DataFrame, headers: Mapping[str, str] | None = None, sheet: str = "follow-ups") -> bytes:
    """The rows of `frame` as one sheet, headers from `headers` (column name when missing)."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append([str((headers or {}).get(column, column)) for column in frame.columns])
    for record in frame.itertuples(index=False):
        ws.append([_value(value) for value in record])
    for row in ws.iter_rows():
        for cell in row:
            _neutralise(cell)
    for letter in [cell.column_letter for cell in ws[1]]:
        ws.column_dimensions[letter].width = COLUMN_WIDTH
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _value(value: Any) -> Any:
    """A cell value openpyxl can write: missing -> empty, timestamps -> date/datetime, numpy -> Python."""
    if value is None or (not isinstance(value, (str, dt.date)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value


def _neutralise(cell: Cell) -> None:
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl typed it 'f' (formula) on assignment
        cell.quotePrefix = True
