"""Frame columns as numpy arrays, for the scores' arithmetic.

Why: health, tiers and the warning rules compute a few dozen operations on a few hundred to a few thousand rows;
on pandas Series the per-operation cost was most of the total, on numpy arrays it is a small fraction, with the
same arithmetic (NaN for missing, and a comparison with NaN is False).
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def floats(values: pd.Series | np.ndarray) -> np.ndarray:
    """A column as floats, NaN where missing or not a number."""
    if isinstance(values, np.ndarray):
        if values.dtype.kind in "fiub":
            return values.astype(float, copy=False)  # a numeric array (kam.columns): nothing to convert
        values = pd.Series(values)
    try:
        return values.to_numpy(dtype=float, na_value=np.nan)  # numeric columns (the facts): nothing to parse
    except (TypeError, ValueError):
        return pd.to_numeric(values, errors="coerce").astype(float).to_numpy(dtype=float, na_value=np.nan)


def day_numbers_of(series: pd.Series | np.ndarray) -> np.ndarray:
    """A date column as days since 1970-01-01 (floats), NaN where missing."""
    dated = isinstance(series, np.ndarray) and series.dtype.kind == "M"   # (kam.columns): nothing to parse
    day = (series if dated else pd.to_datetime(series).to_numpy()).astype("datetime64[D]")
    return np.where(np.isnat(day), np.nan, day.astype(np.int64))


def unmasked(values: np.ndarray) -> np.ndarray:
    """A fetched column with its missing values as NaT (dates) or None (text), not a masked array."""
    if not isinstance(values, np.ma.MaskedArray):
        return values
    out = values.data.copy()
    out[np.ma.getmaskarray(values)] = np.datetime64("NaT") if values.dtype.kind == "M" else None
    return out
