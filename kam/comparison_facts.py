"""Comparison-window facts alone: revenue and order days in the comparison window before each date, and in the same
window a year earlier, for a few accounts at many dates.

In: a connection, Settings (risk.comparison_window_days), as-of dates and account ids. Out: one row per date and
account: as_of (datetime64), account_id, revenue_cmp_now, revenue_cmp_before, order_days_cmp_now,
order_days_cmp_before, the same values as kam.health_facts.account_facts gives those columns (windows
(as_of - window, as_of] and (as_of - 12 months - window, as_of - 12 months]; amounts summed exactly, as there).
Why: tracing since when a revenue or order-count drop has held re-checks those two rules at a dozen earlier dates;
the whole facts query for that cost about 50 ms, this one a few.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import pandas as pd

from kam import db, order_days

COLUMNS = ("revenue_cmp_now", "revenue_cmp_before", "order_days_cmp_now", "order_days_cmp_before")

_BEFORE = "d.order_date > p.ly - w.cmp_w AND d.order_date <= p.ly"   # the window a year earlier
_SQL = """
WITH p AS (SELECT d AS as_of, (d - INTERVAL 12 MONTH)::DATE AS ly FROM unnest(?::DATE[]) t(d)),
ids AS (SELECT unnest(?::VARCHAR[]) AS account_id),
w AS (SELECT ?::INTEGER AS cmp_w),
days AS ({daily})
SELECT p.as_of, ids.account_id,
       coalesce(sum(d.amount::DECIMAL(38, 6)) FILTER (WHERE d.order_date > p.as_of - w.cmp_w), 0)::DOUBLE
         AS revenue_cmp_now,
       coalesce(sum(d.amount::DECIMAL(38, 6)) FILTER (WHERE {before}), 0)::DOUBLE AS revenue_cmp_before,
       count(d.order_date) FILTER (WHERE d.order_date > p.as_of - w.cmp_w) AS order_days_cmp_now,
       count(d.order_date) FILTER (WHERE {before}) AS order_days_cmp_before
FROM p CROSS JOIN ids CROSS JOIN w
LEFT JOIN days d ON d.account_id = ids.account_id AND d.order_date <= p.as_of
     AND (d.order_date > p.as_of - w.cmp_w OR ({before}))
GROUP BY ALL
ORDER BY p.as_of, ids.account_id
"""


def comparison_facts(con: duckdb.DuckDBPyConnection, settings, dates: Sequence[dt.date],
                     account_ids: Sequence[str]) -> pd.DataFrame:
    """The comparison-window facts of `account_ids` at each of `dates` (see the module docstring)."""
    ids = [str(a) for a in account_ids]
    # Only the named accounts' order days, and none later than the last date, are read.
    where = "list_contains(?::VARCHAR[], account_id) AND order_date <= ?::DATE"
    sql = _SQL.format(daily=order_days.daily_sql(order_days.ensure(con), where), before=_BEFORE)
    frame = db.query(con, sql, [list(dates), ids, settings.risk.comparison_window_days, ids, max(dates)])
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame
