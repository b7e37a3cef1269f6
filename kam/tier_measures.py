"""The raw measures behind the tier score, for one or many as-of dates in one query.

In: a connection and a list of as-of dates. Out: one row per (as_of, account that exists at that date) with
revenue over the 12 months to as_of and the 12 months before, gross margin rate, relationship start, product
breadth, strategic flag and open pipeline. All accounts of the company, never filtered: a tier is a company-wide
standing, so filters only choose which rows a page shows (see kam.tiers).

Missing is kept missing: margin rate is NULL when no order line of the window has a known margin; growth is NULL
when there was no revenue in the prior 12 months. An account exists at a date when it was created or ordered by
then (or when neither date is known), so history does not count customers before they were customers.
Why SQL: one statement serves every date (below), and DuckDB runs it without Python's interpreter lock, so in
kam.scoreboard it overlaps the scoring of the account facts. Revenue and margin come from the order days
(kam.order_days), breadth from the product runs active at each date, not from every account-product-day (which
cost 60-90 ms at 1M order lines, most of this query).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import pandas as pd

from kam import db, order_days

COLUMNS = ("as_of", "account_id", "name", "owner", "region", "industry", "revenue_12m", "revenue_prior_12m",
           "gross_margin", "growth", "relationship", "breadth", "strategic", "pipeline")

_SQL = """
WITH d AS (SELECT DISTINCT unnest(?::DATE[]) AS as_of),
bounds AS (SELECT DISTINCT b FROM (SELECT as_of AS b FROM d
                                   UNION ALL SELECT (as_of - INTERVAL 12 MONTH)::DATE FROM d
                                   UNION ALL SELECT (as_of - INTERVAL 24 MONTH)::DATE FROM d)),
buckets AS (SELECT lag(b) OVER (ORDER BY b) AS lower, b AS upper FROM bounds),
-- Every window (as_of - 12 months, as_of] is a union of whole buckets (lower, upper] between consecutive bounds,
-- so one pass over the order days (joined to the few buckets) serves every date: no join of orders to each date.
-- Each day of the buckets with its bucket: the order days find theirs by an equality (hash) join, far cheaper
-- than a range join of every day against the buckets.
days AS (SELECT c.day, k.upper
         FROM (SELECT unnest(generate_series(min(lower) + 1, max(upper), INTERVAL 1 DAY))::DATE AS day
               FROM buckets) c
         JOIN buckets k ON c.day > k.lower AND c.day <= k.upper),
sums AS (
    SELECT o.account_id, k.upper, sum(o.amount) AS amount, sum(o.margin) AS margin,
           sum(o.margined_amount) AS margined_amount
    FROM ({daily}) o JOIN days k ON o.order_date = k.day
    GROUP BY ALL),
win AS (
    SELECT d.as_of, s.account_id,
           sum(s.amount) FILTER (WHERE s.upper > d.as_of - INTERVAL 12 MONTH) AS revenue_12m,
           sum(s.amount) FILTER (WHERE s.upper <= d.as_of - INTERVAL 12 MONTH) AS revenue_prior_12m,
           sum(s.margin) FILTER (WHERE s.upper > d.as_of - INTERVAL 12 MONTH) AS margin_12m,
           sum(s.margined_amount) FILTER (WHERE s.upper > d.as_of - INTERVAL 12 MONTH) AS margined_12m
    FROM d JOIN sums s ON s.upper <= d.as_of AND s.upper > d.as_of - INTERVAL 24 MONTH
    GROUP BY ALL),
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
       coalesce(w.revenue_12m, 0) AS revenue_12m, coalesce(w.revenue_prior_12m, 0) AS revenue_prior_12m,
       CASE WHEN w.margined_12m > 0 THEN w.margin_12m / w.margined_12m END AS gross_margin,
       CASE WHEN w.revenue_prior_12m > 0 THEN coalesce(w.revenue_12m, 0) / w.revenue_prior_12m - 1 END AS growth,
       date_diff('day', least(a.created_date, f.first_order), d.as_of) / 365.25 AS relationship,
       coalesce(b.breadth, 0) AS breadth,
       CASE WHEN coalesce(a.strategic, FALSE) THEN 1.0 ELSE 0.0 END AS strategic,
       coalesce(p.pipeline, 0) AS pipeline
FROM d CROSS JOIN accounts a
LEFT JOIN firsts f ON f.account_id = a.account_id
LEFT JOIN win w ON w.as_of = d.as_of AND w.account_id = a.account_id
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
    frame["as_of"] = pd.to_datetime(frame["as_of"]).dt.date
    return frame
