"""Dated rows of many accounts, sorted by account then day, for answering "as of" questions at many dates at once.

In: per row an account number (0..n-1), a day number (days since 1970-01-01) and optionally a tie-break key.
Out: `DatedRows`, whose `position(bounds)` says, for each (date, account) cell of a bounds array, how many rows sort
up to that account's bound; the difference of two positions counts the account's rows in a window (start, end],
and the row just before a position is the account's last row on or before the bound. kam.order_facts and
kam.interaction_facts build their window measures from these positions (running totals, last dates).
Why: one binary search per cell replaces joining every row to every date, the cost of the SQL this replaced.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

_DAY_BITS = 32                # keys: the account number above, the day (+ 2^31, never negative) below
_DAY_OFFSET = 1 << 31


def day_numbers(dates: Sequence[dt.date]) -> np.ndarray:
    """Dates as days since 1970-01-01 (int64)."""
    return np.array(dates, dtype="datetime64[D]").astype(np.int64)


def dates_or_nat(known: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Day numbers as datetime64[D], NaT where not `known`."""
    return np.where(known, day.astype("datetime64[D]"), np.datetime64("NaT"))


def year_before(day: dt.date) -> dt.date:
    """The same date 12 calendar months earlier (29 February -> 28 February), as DuckDB's date - INTERVAL."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


class DatedRows:
    """Rows sorted by account, day and `tie_break` (ascending); `order` maps sorted positions to the input rows (an
    index array, or a whole slice when the rows came sorted)."""

    def __init__(self, account: np.ndarray, day: np.ndarray, n_accounts: int, tie_break: np.ndarray | None = None):
        account, day = account.astype(np.int64, copy=False), day.astype(np.int64, copy=False)
        key = account << _DAY_BITS
        key += day
        key += _DAY_OFFSET
        if tie_break is None and _ascending(key):
            # already in order (a stored table read in its order): no sort, no copies (each large temporary is
            # fresh memory to fault in, about 1 ms per 2 MB on these machines)
            self.order, self.key, self.account, self.day = slice(None), key, account, day
        else:
            # timsort (stable) when there is no tie-break: rows read from DuckDB come in long sorted runs
            self.order = np.argsort(key, kind="stable") if tie_break is None else np.lexsort((tie_break, key))
            self.key, self.account, self.day = key[self.order], account[self.order], day[self.order]
        self.start = np.searchsorted(self.key, np.arange(n_accounts + 1) << _DAY_BITS)  # each account's first row

    def position(self, bound: np.ndarray) -> np.ndarray:
        """Per (date, account) cell of `bound` (day numbers; one column per account): the rows sorted before that
        account's, plus its own on or before the bound."""
        accounts = np.arange(bound.shape[1])[:, None]
        # account-major probes come (nearly) sorted, and numpy's search starts from the previous hit then
        probes = (accounts << _DAY_BITS) + (bound.T + _DAY_OFFSET)
        return np.searchsorted(self.key, probes.ravel(), side="right").reshape(probes.shape).T

    def has_before(self, position: np.ndarray) -> np.ndarray:
        """Whether the account has a row before each position (so `before` is one of its own)."""
        return position > self.start[None, :-1]

    def before(self, values: np.ndarray, position: np.ndarray) -> np.ndarray:
        """`values` (sorted like the rows) of the row just before each position; any value where the account has
        none (see `has_before`)."""
        return np.concatenate([values, np.zeros(1, values.dtype)])[position - 1]

    def count(self, end: np.ndarray, start: np.ndarray) -> np.ndarray:
        """Rows in (start, end] per (date, account) cell."""
        return self.position(end) - self.position(start)


def _ascending(key: np.ndarray) -> bool:
    return bool(len(key) < 2 or (key[1:] >= key[:-1]).all())


def as_of_grid(dates: Sequence[dt.date], n_accounts: int) -> np.ndarray:
    """Day numbers of `dates`, one row per date repeated across `n_accounts` columns."""
    return np.repeat(day_numbers(dates)[:, None], n_accounts, axis=1)
