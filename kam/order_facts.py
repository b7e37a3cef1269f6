"""Order facts per account and as-of date: the last order, the usual interval between order days, and revenue and
order days in the health and risk windows, computed in numpy from the order days.

In: a connection, Settings (health.trend_window_days and interval_lookback_days, risk.comparison_window_days),
as-of dates and account ids. Out: `order_facts` -> column -> 2-D array, one row per date and one column per
account, in the order given (ORDER_COLUMNS; kam.health_facts joins them to the other facts); `order_facts_frame`,
the same as a long frame. Definitions (docs/metrics.md): a window is (start, end] in days; "a year before" is
as_of minus 12 calendar months; the usual interval is the median gap between consecutive order days whose both
dates are within the lookback; amounts are summed exactly to 6 decimals, so an empty window, or one whose orders
and returns cancel, is exactly 0.
Why numpy: every window measure is the difference of two running totals (kam.order_day_totals), each found by one
binary search in the order days sorted by account and date (kam.dated_rows), and the median reads a small
histogram of gaps, where the SQL it replaced summed the order days into date buckets with several grouping
passes (see kam.health_facts for the figures).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from kam import order_day_totals
from kam.columns import Columns
from kam.dated_rows import as_of_grid, dates_or_nat, day_numbers, year_before
from kam.order_day_totals import OrderDays

ORDER_COLUMNS = ("last_order_date", "days_since_order", "usual_interval", "interval_orders", "revenue_12m",
                 "revenue_trend_now", "revenue_trend_before", "order_days_trend_now", "order_days_trend_before",
                 "revenue_cmp_now", "revenue_cmp_before", "order_days_cmp_now", "order_days_cmp_before")

def _gap_histogram(days: OrderDays, edges: np.ndarray, lookback: int) -> tuple[np.ndarray, ...]:
    """(account, gap, bucket, previous bucket, count) of every gap between consecutive order days that can fall in
    a lookback window: a bucket is the index of the first edge on or after a date. Sorted by account, then gap.
    Built on views of the sorted order days (day i against day i - 1) and one stable sort: gathers and the
    quicksort of np.unique cost twice as much here (every large temporary is fresh memory to fault in)."""
    day, previous = days.day[1:], days.day[:-1]
    keep = (days.account[1:] == days.account[:-1]) & (day <= edges[-1]) & (previous > edges[0]) \
        & (day - previous < lookback)
    bucket = np.searchsorted(edges, days.day)
    # one int64 per gap: account and gap (mixed radix) above the two bucket numbers
    bits, width = len(edges).bit_length(), lookback + 1
    packed = ((((days.account[1:] * width + day - previous) << bits) + bucket[1:]) << bits) + bucket[:-1]
    packed = np.sort(packed[keep], kind="stable")
    first = np.flatnonzero(np.concatenate([[len(packed) > 0], packed[1:] != packed[:-1]]))
    count, packed = np.diff(np.append(first, len(packed))), packed[first]
    mask, top = (1 << bits) - 1, packed >> (2 * bits)
    return top // width, top % width, (packed >> bits) & mask, packed & mask, count


def _usual_interval(days: OrderDays, as_of: np.ndarray, lookback: int, n_accounts: int) -> np.ndarray:
    """Per date (rows) and account (columns): the median gap between consecutive order days whose both dates are in
    (as_of - lookback, as_of]; NaN without such a gap. Every window edge is a bucket bound, so each date selects
    whole buckets of the gap histogram, then takes the middle gap (or the mean of the two middle ones, as
    DuckDB's median) from the running counts of each account's gaps in ascending order."""
    out = np.full((len(as_of), n_accounts), np.nan)
    if not len(as_of):
        return out
    edges = np.unique(np.concatenate([as_of, as_of - lookback]))
    account, gap, bucket, previous_bucket, count = _gap_histogram(days, edges, lookback)
    if not len(gap):
        return out
    first = np.searchsorted(account, np.arange(n_accounts + 1))
    for row, (end, start) in enumerate(zip(np.searchsorted(edges, as_of), np.searchsorted(edges, as_of - lookback))):
        counted = np.concatenate([[0], np.cumsum(count * ((bucket <= end) & (previous_bucket > start)))])
        below, total = counted[first[:-1]], counted[first[1:]] - counted[first[:-1]]
        middle = [gap[np.clip(np.searchsorted(counted, below + rank), 1, len(gap)) - 1]
                  for rank in ((total - 1) // 2 + 1, total // 2 + 1)]
        out[row] = np.where(total > 0, (middle[0] + middle[1]) / 2.0, np.nan)
    return out


def order_facts(con: duckdb.DuckDBPyConnection, settings, dates: Sequence[dt.date], account_ids: Sequence[str],
                columns: Sequence[str] = ORDER_COLUMNS) -> dict[str, np.ndarray]:
    """`columns` (of ORDER_COLUMNS) at each of `dates` (rows) for each of `account_ids` (columns); see the module
    docstring. last_order_date is datetime64 (NaT without an order by then), days_since_order float (NaN then).
    The usual interval, the dearest, is computed only when asked for."""
    hs, cmp_w = settings.health, settings.risk.comparison_window_days
    n, as_of = len(account_ids), day_numbers(dates)
    now, ly = as_of_grid(dates, n), as_of_grid([year_before(d) for d in dates], n)
    bounds = {"now": now, "lookback": now - hs.interval_lookback_days, "ly": ly,
              "trend": now - hs.trend_window_days, "ly_trend": ly - hs.trend_window_days,
              "cmp": now - cmp_w, "ly_cmp": ly - cmp_w}
    days = order_day_totals.read(con, account_ids, max(dates, default=dt.date.min))
    at = {name: days.position(bound) for name, bound in bounds.items()}

    def revenue(end: str, start: str) -> np.ndarray:
        return days.window(at[end], at[start])

    ordered = days.has_before(at["now"])
    last = np.where(ordered, days.before(days.day, at["now"]), 0)
    found = {
        "last_order_date": dates_or_nat(ordered, last),
        "days_since_order": np.where(ordered, now - last, np.nan),
        "interval_orders": at["now"] - at["lookback"],
        "revenue_12m": revenue("now", "ly"),
        "revenue_trend_now": revenue("now", "trend"), "revenue_trend_before": revenue("ly", "ly_trend"),
        "order_days_trend_now": at["now"] - at["trend"], "order_days_trend_before": at["ly"] - at["ly_trend"],
        "revenue_cmp_now": revenue("now", "cmp"), "revenue_cmp_before": revenue("ly", "ly_cmp"),
        "order_days_cmp_now": at["now"] - at["cmp"], "order_days_cmp_before": at["ly"] - at["ly_cmp"],
    }
    if "usual_interval" in columns:
        found["usual_interval"] = _usual_interval(days, as_of, hs.interval_lookback_days, n)
    return {name: found[name] for name in columns}


def order_facts_frame(con: duckdb.DuckDBPyConnection, settings, dates: Sequence[dt.date],
                      account_ids: Sequence[str], columns: Sequence[str] = ORDER_COLUMNS) -> pd.DataFrame:
    """`order_facts` as one row per date and account (dates outer, accounts inner, as given): as_of (datetime64),
    account_id and `columns` (days_since_order nullable Int64)."""
    found = order_fact_columns(con, settings, dates, account_ids, columns)
    return found.to_frame({"account_id": "str", "days_since_order": "Int64"} if "days_since_order" in found
                          else {"account_id": "str"})


def order_fact_columns(con: duckdb.DuckDBPyConnection, settings, dates: Sequence[dt.date],
                       account_ids: Sequence[str], columns: Sequence[str] = ORDER_COLUMNS) -> Columns:
    """`order_facts_frame` as numpy columns (kam.columns; days_since_order float, NaN when missing)."""
    flat = {name: values.ravel() for name, values in order_facts(con, settings, dates, account_ids, columns).items()}
    return Columns({"as_of": np.repeat(np.array(dates, dtype="datetime64[us]"), len(account_ids)),
                    "account_id": np.tile(np.asarray(account_ids, dtype=object), len(dates)), **flat})
