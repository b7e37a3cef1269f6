"""The raw measures behind the tier score, for one or many as-of dates at once.

In: a connection and a list of as-of dates. Out: one row per (as_of, account that exists at that date) with
revenue over the 12 months to as_of and the 12 months before, gross margin rate, relationship start, product
breadth, strategic flag and open pipeline. All accounts of the company, never filtered: a tier is a company-wide
standing, so filters only choose which rows a page shows (see kam.tiers).

Missing is kept missing: margin rate is NULL when no order line of the window has a known margin; growth is NULL
when there was no revenue in the prior 12 months. An account exists at a date when it was created or ordered by
then (or when neither date is known), so history does not count customers before they were customers.
How: every measure is computed in numpy from a few small reads: the accounts, each account's first order day,
the product runs (kam.order_days: breadth counts the runs active at a date) and the deals; the revenue and margin
windows come from the running totals of the order days (kam.order_day_totals), each the difference of two of them,
so they are exact to 6 decimals. Why: one SQL statement joining every date to the accounts, the runs and the deals
cost 13-20 ms at 1M order lines (on both cores) where these reads cost about 5; the tier history got about 20%
faster, the tier table and the KPI cards about 8% (A/B in one process). The revenue windows were a second pass
over the order days in that SQL until kam.scoreboard read them once for both of its sides.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from kam import db, order_day_totals, order_days
from kam.arrays import unmasked
from kam.dated_rows import as_of_grid, day_numbers, year_before

COLUMNS = ("as_of", "account_id", "name", "owner", "region", "industry", "revenue_12m", "revenue_prior_12m",
           "gross_margin", "growth", "relationship", "breadth", "strategic", "pipeline")

# The account's own columns, in id order (the order of kam.order_day_totals.every_account).
_ACCOUNTS = """SELECT account_id, name, owner, region, industry, created_date,
       CASE WHEN coalesce(strategic, FALSE) THEN 1.0 ELSE 0.0 END AS strategic
FROM accounts ORDER BY account_id"""
# Each account's first order day: the one without a gap to a previous day.
_FIRSTS = "SELECT account_id, order_date FROM ({daily}) WHERE gap IS NULL"
# A product counts at as_of when the account ordered it in the 12 months to as_of: as_of falls in one of its runs.
_RUNS = "SELECT account_id, active_from, active_until FROM ({runs})"
# A deal is open at as_of when created by then (or of unknown creation) and open now or closed after as_of.
_DEALS = """SELECT account_id, coalesce(amount, 0) AS amount, created_date,
       coalesce(status = 'open', FALSE) AS open, closed_date
FROM opportunities WHERE account_id IS NOT NULL"""


def measures(con: duckdb.DuckDBPyConnection, dates: Sequence[dt.date]) -> pd.DataFrame:
    """Raw tier measures (COLUMNS) for every account existing at each date in `dates`."""
    return pd.DataFrame(measure_columns(con, dates))


def measure_columns(con: duckdb.DuckDBPyConnection, dates: Sequence[dt.date]) -> dict[str, np.ndarray]:
    """`measures` as columns (COLUMNS in order; the text ones as pandas "str" arrays), for kam.tiers to add the
    scores to before making one frame."""
    if not dates:
        return {name: np.empty(0, dtype=object) for name in COLUMNS}
    stored = order_days.ensure(con)
    accounts = db.execute(con, _ACCOUNTS).fetchnumpy()
    ids = pd.Index(accounts["account_id"])
    asked = sorted(set(dates))
    day = day_numbers(asked)[:, None]                       # one row per date, one column per account
    firsts = db.execute(con, _FIRSTS.format(daily=order_days.daily_sql(stored, "TRUE"))).fetchnumpy()
    first = _date_per_account(firsts, "order_date", ids)
    start = np.fmin(_masked_days(accounts["created_date"]), first)   # least() skips a missing date
    exists = np.isnan(start) | (start <= day)
    date, account = np.nonzero(exists)
    runs = db.execute(con, _RUNS.format(runs=order_days.product_runs_sql(stored))).fetchnumpy()
    deals = db.execute(con, _DEALS).fetchnumpy()
    found = {
        "as_of": np.array(asked, dtype=object)[date],
        **{name: pd.array(unmasked(accounts[name])[account], dtype="str")
           for name in ("account_id", "name", "owner", "region", "industry")},
        "relationship": ((day - start) / 365.25)[date, account],
        "breadth": _breadth(runs, ids, day)[date, account],
        "strategic": np.asarray(accounts["strategic"], dtype=float)[account],
        "pipeline": _pipeline(deals, ids, day)[date, account],
        **_windows(con, list(accounts["account_id"]), asked, date, account)}
    return {name: found[name] for name in COLUMNS}


def _masked_days(values: np.ndarray) -> np.ndarray:
    """A fetched date column as day numbers (floats), NaN where missing."""
    days = np.ma.getdata(values).astype("datetime64[D]").astype(np.int64).astype(float)
    return np.where(np.ma.getmaskarray(values), np.nan, days)


def _date_per_account(rows: dict[str, np.ndarray], column: str, ids: pd.Index) -> np.ndarray:
    """One date per account (NaN without one) from rows of (account_id, date), in the order of `ids`."""
    out = np.full(len(ids), np.nan)
    where = ids.get_indexer(unmasked(rows["account_id"]))
    known = where >= 0
    out[where[known]] = _masked_days(rows[column])[known]
    return out


def _per_account(account: np.ndarray, counted: np.ndarray, n_accounts: int,
                 weights: np.ndarray | None = None) -> np.ndarray:
    """Per date (rows of `counted`, a bool per date and item) and account: the count (or sum of `weights`) of the
    items counted, each item belonging to `account` (its position in the accounts; -1: none of them)."""
    mine = account >= 0
    out = np.zeros((counted.shape[0], n_accounts))
    for row, counts in enumerate(counted):
        keep = counts & mine
        out[row] = np.bincount(account[keep], None if weights is None else weights[keep], minlength=n_accounts)
    return out


def _breadth(runs: dict[str, np.ndarray], ids: pd.Index, day: np.ndarray) -> np.ndarray:
    """Products bought in the 12 months to each date (rows) per account (columns): runs active then."""
    active = (_masked_days(runs["active_from"]) <= day) & (_masked_days(runs["active_until"]) > day)
    return _per_account(ids.get_indexer(unmasked(runs["account_id"])), active, len(ids)).astype(np.int64)


def _pipeline(deals: dict[str, np.ndarray], ids: pd.Index, day: np.ndarray) -> np.ndarray:
    """The amount of the deals open at each date (rows) per account (columns)."""
    created = _masked_days(deals["created_date"])
    open_then = ((created <= day) | np.isnan(created)) & (np.asarray(deals["open"], dtype=bool)
                                                         | (_masked_days(deals["closed_date"]) > day))
    return _per_account(ids.get_indexer(unmasked(deals["account_id"])), open_then, len(ids),
                        np.asarray(np.ma.getdata(deals["amount"]), dtype=float))


def _windows(con: duckdb.DuckDBPyConnection, ids: list[str], dates: list[dt.date], date: np.ndarray,
             account: np.ndarray) -> dict[str, np.ndarray]:
    """Revenue over the 12 months to each row's date and the 12 before, gross margin rate and growth, for rows
    given as (position in `dates`, position in `ids`, every account), from the running totals of the order days
    (kam.order_day_totals): each window is the difference of two of them, so amounts are summed exactly to 6
    decimals."""
    totals = order_day_totals.read(con, ids, max(dates), margins=True)
    year = [year_before(d) for d in dates]
    now, before, two_before = (totals.position(as_of_grid(when, len(ids)))
                               for when in (dates, year, [year_before(d) for d in year]))

    def window(end: np.ndarray, start: np.ndarray, of: str = "amount") -> np.ndarray:
        return totals.window(end, start, of)[date, account]

    revenue, prior = window(now, before), window(before, two_before)
    margined = window(now, before, "margined_amount")
    with np.errstate(divide="ignore", invalid="ignore"):
        return {"revenue_12m": revenue, "revenue_prior_12m": prior,
                "gross_margin": np.where(margined > 0, window(now, before, "margin") / margined, np.nan),
                "growth": np.where(prior > 0, revenue / prior - 1, np.nan)}
