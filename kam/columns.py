"""Named numpy columns of one length: the account facts and rule frames as the scores compute on them.

Why: health, the warning rules and the KPI cards read a few dozen columns of a few hundred to a few thousand rows
per call; as a pandas DataFrame each column read, row filter and added column cost more than the arithmetic on it
(about a fifth of the scoreboard's time went to pandas bookkeeping). `Columns` is a dict of arrays with the few
frame operations they need: read and add a column, take rows, and turn into a DataFrame for callers that show it.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd


class Columns:
    """Equal-length numpy arrays by name, in insertion order."""

    def __init__(self, columns: Mapping[str, np.ndarray]):
        self._columns = dict(columns)
        lengths = {len(values) for values in self._columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: {sorted(lengths)}")
        self._length = lengths.pop() if lengths else 0

    def __getitem__(self, name: str) -> np.ndarray:
        return self._columns[name]

    def __setitem__(self, name: str, values: np.ndarray | float) -> None:
        values = np.full(self._length, values) if np.ndim(values) == 0 else np.asarray(values)
        if len(values) != self._length and self._columns:
            raise ValueError(f"column {name!r} has {len(values)} rows, not {self._length}")
        self._columns[name] = values
        self._length = len(values)

    def __contains__(self, name: object) -> bool:
        return name in self._columns

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        """The number of rows (as len() of a DataFrame)."""
        return self._length

    def take(self, rows: np.ndarray | slice) -> Columns:
        """The rows at `rows` (positions, a boolean mask or a slice) of every column, in that order."""
        return Columns({name: values[rows] for name, values in self._columns.items()})

    def to_frame(self, dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
        """A DataFrame of these columns; `dtypes` maps columns to a pandas dtype (e.g. nullable "Int64")."""
        dtypes = dtypes or {}
        return pd.DataFrame({name: pd.array(values, dtype=dtypes[name]) if name in dtypes else values
                             for name, values in self._columns.items()})
