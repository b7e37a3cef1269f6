"""The raw measures behind the tier score, for one or many as-of dates at once.

In: a connection and a list of as-of dates. Out: one row per (as_of, account that exists at that date) with
revenue over the 12 months to as_of and the 12 months before, gross margin rate, relationship start, product
breadth, strategic flag and open pipeline. All accounts of the company, never filtered: a tier is a company-wide
standing, so filters only choose which rows a page shows (see kam.tiers).

Missing is kept missing: margin rate is NULL when no order line of the window has a known margin; growth is NULL
when there was no revenue in the prior 12 months. An account exists at a date when it was created or ordered by
then (or when neither date is known), so history does not count customers before they were customers.
How: one SQL statement serves every date for the account's own columns, breadth (from the product runs active at
each date, not from every account-product-day, which cost 60-90 ms at 1M order lines), relationship and pipeline;
the revenue and margin windows come from the running totals of the order days (kam.order_day_totals), each the
difference of two of them, so they are exact to 6 decimals. Why: in SQL they were a second pass over the order
days (about 14 of this statement's 31 ms at 1M order lines, on both cores), where kam.scoreboard has already read
them for the account facts; the tier table and the tier history also got a little faster (3-6% and 0-11%, A/B).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from kam import db, order_day_totals, order_days
from kam.dated_rows import as_of_grid, day_numbers, year_before

COLUMNS = ("as_of", "account_id", "name", "owner", "region", "industry", "revenue_12m", "revenue_prior_12m",
           "gross_margin", "growth", "relationship", "breadth", "strategic", "pipeline")

_SQL = """
WITH d AS (SELECT DISTINCT unnest(?::DATE[]) AS as_of),
-- a product counts when the account ordered it in the 12 months to as_of: as_of falls in one of its runs
breadth AS (
    SELECT d.as_of, r.account_id, count(*) AS breadth
    FROM d JOIN ({runs}) r ON r.active_from <= d.as_of AND r.active_until > d.as_of
    GROUP BY ALL),
firsts AS (SELECT account_id, min(order_date) AS first_order FROM ({daily}) GROUP BY account_id),
pipe AS (
    SELECT d.as_of, o.account_id, sum(o.amount) AS pipeline
    FROM d JOIN opportunities o
      ON coalesce(o.created_date, d.as_of) <= d.as_of AND (o.status = 'open' OR o.closed_date > d.as_of)
    WHERE o.account_id IS NOT NULL
    GROUP BY ALL)
SELECT d.as_of, a.account_id, a.name, a.owner, a.region, a.industry,
       date_diff('day', least(a.created_date, f.first_order), d.as_of) / 365.25 AS relationship,
       coalesce(b.breadth, 0) AS breadth,
       CASE WHEN coalesce(a.strategic, FALSE) THEN 1.0 ELSE 0.0 END AS strategic,
       coalesce(p.pipeline, 0) AS pipeline
FROM d CROSS JOIN accounts a
LEFT JOIN firsts f ON f.account_id = a.account_id
LEFT JOIN breadth b ON b.as_of = d.as_of AND b.account_id = a.account_id
LEFT JOIN pipe p ON p.as_of = d.as_of AND p.account_id = a.account_id
WHERE coalesce(least(a.created_date, f.first_order) <= d.as_of, TRUE)
ORDER BY d.as_of, a.account_id
"""


def measures(con: duckdb.DuckDBPyConnection, dates: Sequence[dt.date]) -> pd.DataFrame:
    """Raw tier measures (COLUMNS) for every account existing at each date in `dates`."""
    if not dates:
        return pd.DataFrame(columns=list(COLUMNS))
    stored = order_days.ensure(con)
    sql = _SQL.format(daily=order_days.daily_sql(stored, "TRUE"), runs=order_days.product_runs_sql(stored))
    frame = db.query(con, sql, [list(dates)])
    windows = _windows(con, dates, frame["as_of"].to_numpy().astype("datetime64[D]").astype(np.int64),
                       frame["account_id"])
    frame["as_of"] = pd.to_datetime(frame["as_of"]).dt.date
    return pd.concat([frame, pd.DataFrame(windows, index=frame.index)], axis=1)[list(COLUMNS)]


def _windows(con: duckdb.DuckDBPyConnection, asked: Sequence[dt.date], day: np.ndarray,
             account_ids: pd.Series) -> dict[str, np.ndarray]:
    """Revenue over the 12 months to each row's date (`day`, a day number, one of `asked`) and the 12 before,
    gross margin rate and growth, from the running totals of the order days (kam.order_day_totals): each window
    is the difference of two of them, so amounts are summed exactly to 6 decimals."""
    ids = order_day_totals.every_account(con)
    dates = sorted(set(asked))
    days_of = day_numbers(dates)
    n = len(ids)
    totals = order_day_totals.read(con, ids, max(dates), margins=True)
    year = [year_before(d) for d in dates]
    now, before, two_before = (totals.position(as_of_grid(when, n))
                               for when in (dates, year, [year_before(d) for d in year]))
    cell = np.searchsorted(days_of, day), pd.Index(ids).get_indexer(account_ids)

    def window(end: np.ndarray, start: np.ndarray, of: str = "amount") -> np.ndarray:
        return totals.window(end, start, of)[cell]

    revenue, prior = window(now, before), window(before, two_before)
    margined = window(now, before, "margined_amount")
    with np.errstate(divide="ignore", invalid="ignore"):
        return {"revenue_12m": revenue, "revenue_prior_12m": prior,
                "gross_margin": np.where(margined > 0, window(now, before, "margin") / margined, np.nan),
                "growth": np.where(prior > 0, revenue / prior - 1, np.nan)}
