"""Text grids: the one shape every reader returns, whatever the file format.

In: cells as read by a format's parser (any type, None or NaN when empty). Out: `RawTable`s whose grid is a
DataFrame with positional columns 0..n-1, every cell as text and None when empty; row i of the grid is row i+1 of
the sheet as the user sees it. Kept apart from kam.ingest.readers so each format's module can build grids without
importing the dispatcher that imports it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

# Cells a grid built from markup (HTML, SpreadsheetML) may hold: spans and index jumps make a few bytes into many
# cells, while a 200 MB upload of real markup holds about 4 million.
MAX_CELLS = 20_000_000


@dataclass(frozen=True)
class RawTable:
    file: str
    sheet: str | None          # sheet or table name; None for a CSV/Parquet file
    grid: pd.DataFrame         # positional columns, text cells, None when empty
    hidden: bool = False


def as_text(grid: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text, empty -> None; positional integer column labels."""
    text = grid.astype("str")
    text = text.where(grid.notna() & text.ne(""), None)
    text.columns = range(text.shape[1])
    return text.reset_index(drop=True)


def check_size(rows: int, columns: int) -> None:
    """Refuse a grid from markup that would hold more than MAX_CELLS cells, before building it."""
    if rows * columns > MAX_CELLS:
        raise ValueError(f"the table expands to more than {MAX_CELLS:,} cells: refused as a broken or hostile file")


def rows_grid(rows: Sequence[Sequence[str | None]]) -> pd.DataFrame:
    """A grid from rows of cell texts (ragged rows are padded with None); no rows -> an empty grid."""
    width = max(map(len, rows), default=0)
    check_size(len(rows), width)
    padded = [[*row, *[None] * (width - len(row))] for row in rows]  # pandas no longer pads ragged rows itself
    return as_text(pd.DataFrame(padded, dtype=object)) if rows else pd.DataFrame()
