"""The raw measures behind the tier score, for one or many as-of dates at once.

In: a connection and a list of as-of dates. Out: one row per (as_of, account that exists at that date), ordered by
date then account id, with revenue over the 12 months to as_of and the 12 months before, gross margin rate,
relationship length in years, product breadth, strategic flag and open pipeline. All accounts of the company,
never filtered: a tier is a company-wide standing, so filters only choose which rows a page shows (see kam.tiers).

Missing is kept missing: margin rate is NaN when no order line of the window has a known margin; growth is NaN
when there was no revenue in the prior 12 months. An account exists at a date when it was created or ordered by
then (or when neither date is known), so history does not count customers before they were customers.
Windows are (as_of - 12 months, as_of] and (as_of - 24 months, as_of - 12 months], calendar months as DuckDB's
date - INTERVAL.
Why numpy: revenue and margin of a window are differences of running totals over the order days
(kam.order_day_totals), breadth counts the product runs active at each date (kam.order_days), where the SQL this
replaced joined every account-product-day to date buckets (60-90 ms at 1M order lines, most of the tier side).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from kam import db, order_day_totals, order_days
from kam.dated_rows import as_of_grid, year_before

COLUMNS = ("as_of", "account_id", "name", "owner", "region", "industry", "revenue_12m", "revenue_prior_12m",
           "gross_margin", "growth", "relationship", "breadth", "strategic", "pipeline")

_ACCOUNTS = """SELECT a.account_id, a.name, a.owner, a.region, a.industry,
       (least(a.created_date, f.first_order) - DATE '1970-01-01')::DOUBLE AS since,
       CASE WHEN coalesce(a.strategic, FALSE) THEN 1.0 ELSE 0.0 END AS strategic
FROM accounts a
LEFT JOIN (SELECT account_id, min(order_date) AS first_order FROM ({daily}) GROUP BY account_id) f USING (account_id)
ORDER BY a.account_id"""

# Per (date i, account k): the product runs active at the date, and the open pipeline then (an opportunity is open
# at a date when created by then and either still open or closed after it).
_COUNTS = """WITH d AS (SELECT unnest(?::DATE[]) AS as_of, unnest(?::BIGINT[]) AS i),
acc AS (SELECT unnest(?::VARCHAR[]) AS account_id, unnest(?::BIGINT[]) AS k)
SELECT 'breadth' AS measure, d.i, acc.k, count(*)::DOUBLE AS value
FROM d JOIN ({runs}) r ON r.active_from <= d.as_of AND r.active_until > d.as_of JOIN acc USING (account_id)
GROUP BY ALL
UNION ALL
SELECT 'pipeline', d.i, acc.k, sum(o.amount)
FROM d JOIN opportunities o
  ON coalesce(o.created_date, d.as_of) <= d.as_of AND (o.status = 'open' OR o.closed_date > d.as_of)
JOIN acc USING (account_id)
GROUP BY ALL"""


def measures(con: duckdb.DuckDBPyConnection, dates: Sequence[dt.date]) -> pd.DataFrame:
    """Raw tier measures (COLUMNS) for every account existing at each date in `dates`."""
    dates = sorted(set(dates))
    stored = order_days.ensure(con)
    accounts = db.query(con, _ACCOUNTS.format(daily=order_days.daily_sql(stored, "TRUE")))
    if not dates or accounts.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    ids = list(accounts["account_id"])
    grid = {**_windows(con, ids, dates), **_counts(con, ids, dates, stored)}
    now = as_of_grid(dates, len(ids))
    since = np.broadcast_to(accounts["since"].to_numpy(dtype=float, na_value=np.nan), now.shape)
    grid["relationship"] = (now - since) / 365.25
    exists = (np.isnan(since) | (since <= now)).ravel()
    repeat = {name: np.tile(accounts[name].to_numpy(), len(dates))[exists]
              for name in ("account_id", "name", "owner", "region", "industry", "strategic")}
    frame = pd.DataFrame({"as_of": np.repeat(np.array(dates, dtype=object), len(ids))[exists], **repeat,
                          **{name: values.ravel()[exists] for name, values in grid.items()}})
    return frame[list(COLUMNS)]


def _windows(con: duckdb.DuckDBPyConnection, ids: list[str], dates: list[dt.date]) -> dict[str, np.ndarray]:
    """revenue_12m, revenue_prior_12m, gross_margin and growth per date (rows) and account (columns)."""
    days = order_day_totals.read(con, ids, dates[-1], margins=True)
    year_ago = [year_before(d) for d in dates]
    at = [days.position(as_of_grid(ends, len(ids)))
          for ends in (dates, year_ago, [year_before(d) for d in year_ago])]
    revenue, prior = days.window("amount", at[0], at[1]), days.window("amount", at[1], at[2])
    margin, margined = days.window("margin", at[0], at[1]), days.window("margined_amount", at[0], at[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        return {"revenue_12m": revenue, "revenue_prior_12m": prior,
                "gross_margin": np.where(margined > 0, margin / margined, np.nan),
                "growth": np.where(prior > 0, revenue / prior - 1, np.nan)}


def _counts(con: duckdb.DuckDBPyConnection, ids: list[str], dates: list[dt.date],
            stored: bool) -> dict[str, np.ndarray]:
    """breadth and pipeline per date (rows) and account (columns); 0 where there is none."""
    found = db.execute(con, _COUNTS.format(runs=order_days.product_runs_sql(stored)),
                       [dates, list(range(len(dates))), ids, list(range(len(ids)))]).fetchnumpy()
    grid = {}
    for name in ("breadth", "pipeline"):
        rows = found["measure"] == name
        cells = np.zeros((len(dates), len(ids)))
        cells[found["i"][rows], found["k"][rows]] = found["value"][rows]
        grid[name] = cells
    grid["breadth"] = grid["breadth"].astype(np.int64)
    return grid
