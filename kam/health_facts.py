"""The raw facts behind health and early warnings, one row per account, from one SQL statement.

In: a connection, Settings (the health and risk windows), one or more as-of dates, a Scope and optionally a list of account
ids. Out: a DataFrame with one row per as-of date and account in scope (accounts without any orders or interactions included):
order dates and the usual interval between them, revenue and order counts in the comparison windows, overdue
receivables, last engagement, complaints, the latest NPS answer, key-contact departures and the contract end.
Nothing is scored here: kam.health turns facts into scores, kam.risk_rules into warnings. Only data dated on or
before as_of is read, so any past date gives the facts as they stood then.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import pandas as pd

from kam import db, order_days
from kam.scope import Scope, account_filter

# Scalar parameters are bound once in the one-row CTE `k`; the as-of dates are the rows of `p`, so one statement
# gives the facts at several dates (the risk rules trace "active since" and the KPI sparklines read many dates).
# Orders are first summed per account and day, with the gap since the account's previous order day: one scan of
# the order lines. The order measures then read per-bucket totals (see `bounds`), never the order days once per
# date, so twenty dates cost little more than one. Order frequency counts order DAYS (days with at least one
# order), the same unit as the usual interval: counting distinct order ids per account and day cost 4-5x more.
_SQL = """
WITH p AS (SELECT d AS as_of, (d - INTERVAL 12 MONTH)::DATE AS ly FROM unnest(?::DATE[]) t(d)),
k AS (SELECT ?::INTEGER AS trend_w, ?::INTEGER AS cmp_w, ?::INTEGER AS lookback, ?::INTEGER AS health_w,
             ?::INTEGER AS risk_cw, ?::INTEGER AS nps_lookback, ?::INTEGER AS contact_w, ?::VARCHAR[] AS channels),
acc AS (SELECT a.account_id, a.name, a.owner, a.contract_end_date FROM accounts a
        WHERE {condition} AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], a.account_id))),
-- Every window edge of every date is a bound; each order day (and the previous order day of each gap) falls in the
-- bucket (previous bound, bound] ending at the first bound on or after it, so each window is a union of whole
-- buckets: the order days are summed per bucket once, then every date adds up its buckets (no join of the order
-- days to each date). The usual interval's median comes from a histogram of gaps per bucket pair the same way.
bounds AS (SELECT DISTINCT unnest([as_of, as_of - lookback, ly, as_of - trend_w, ly - trend_w, as_of - cmp_w,
                                   ly - cmp_w]) AS b FROM p, k),
-- Order days on or before the first bound add the same to every running total read below (they cancel out of
-- every window) and never make a gap inside the lookback, so only later ones are read; the last order day before
-- them stands in for the last order of an account with none since.
daily AS ({daily}),
before_bounds AS (SELECT account_id, max(order_date) AS last_date FROM {days_table}
                  WHERE order_date <= (SELECT min(b) FROM bounds) AND {narrow} GROUP BY account_id),
-- each calendar day from the first bound to the last, with the bound ending its bucket: order days find their
-- bucket by an equality join (cheap) rather than a range join; earlier previous order days go to the first
cal AS (SELECT c.day, b.b AS upper
        FROM (SELECT unnest(generate_series(min(b), max(b), INTERVAL 1 DAY))::DATE AS day FROM bounds) c
        ASOF JOIN bounds b ON c.day <= b.b),
placed AS (SELECT d.account_id, d.order_date, d.amount, d.gap,
                  coalesce(c1.upper, (SELECT min(b) FROM bounds)) AS upper,
                  CASE WHEN d.gap IS NOT NULL THEN coalesce(c2.upper, (SELECT min(b) FROM bounds)) END AS prev_upper
           FROM daily d LEFT JOIN cal c1 ON c1.day = d.order_date LEFT JOIN cal c2 ON c2.day = d.order_date - d.gap),
bk AS (SELECT account_id, upper, sum(amount) AS amount, count(*) AS days, max(order_date) AS last_date
       FROM placed GROUP BY ALL),
-- running totals per account over its buckets, exact (decimal) so that an empty window differs by exactly 0
bkc AS (SELECT account_id, upper, last_date, sum(amount::DECIMAL(38, 6)) OVER w AS cum_amount,
               sum(days) OVER w AS cum_days
        FROM bk WINDOW w AS (PARTITION BY account_id ORDER BY upper ROWS UNBOUNDED PRECEDING)),
-- the running totals at each window edge of each date: edge 0 = as_of, 1 = lookback start, 2 = a year before,
-- 3/4 = trend window starts now/a year before, 5/6 = comparison window starts now/a year before
edges AS (SELECT p.as_of, acc.account_id, unnest(range(7)) AS edge,
                 unnest([as_of, as_of - lookback, ly, as_of - trend_w, ly - trend_w, as_of - cmp_w, ly - cmp_w]) AS b
          FROM p, k, acc),
at_edge AS (SELECT e.as_of, e.account_id, e.edge, c.last_date, coalesce(c.cum_amount, 0) AS amount,
                   coalesce(c.cum_days, 0) AS days
            FROM edges e ASOF LEFT JOIN bkc c ON e.account_id = c.account_id AND e.b >= c.upper),
sums AS (SELECT as_of, account_id, max(last_date) FILTER (WHERE edge = 0) AS last_edge_date,
         max(amount) FILTER (WHERE edge = 0) AS a0, max(amount) FILTER (WHERE edge = 2) AS a2,
         max(amount) FILTER (WHERE edge = 3) AS a3, max(amount) FILTER (WHERE edge = 4) AS a4,
         max(amount) FILTER (WHERE edge = 5) AS a5, max(amount) FILTER (WHERE edge = 6) AS a6,
         max(days) FILTER (WHERE edge = 0) AS d0, max(days) FILTER (WHERE edge = 1) AS d1,
         max(days) FILTER (WHERE edge = 2) AS d2, max(days) FILTER (WHERE edge = 3) AS d3,
         max(days) FILTER (WHERE edge = 4) AS d4, max(days) FILTER (WHERE edge = 5) AS d5,
         max(days) FILTER (WHERE edge = 6) AS d6
         FROM at_edge GROUP BY ALL),
hist AS (SELECT account_id, upper, prev_upper, gap, count(*) AS n FROM placed WHERE gap IS NOT NULL GROUP BY ALL),
-- a gap counts towards the usual interval when both of its order dates are within the lookback
hd AS (SELECT p.as_of, h.account_id, h.gap, sum(h.n) AS n
       FROM hist h JOIN p ON h.upper <= p.as_of, k WHERE h.prev_upper > p.as_of - lookback GROUP BY ALL),
hc AS (SELECT *, sum(n) OVER (PARTITION BY as_of, account_id ORDER BY gap) AS c,
              sum(n) OVER (PARTITION BY as_of, account_id) AS total FROM hd),
-- the median as DuckDB's median gives it: the middle gap, or the mean of the two middle gaps
med AS (SELECT as_of, account_id, (min(gap) FILTER (WHERE c >= (total - 1) // 2 + 1)
                                   + min(gap) FILTER (WHERE c >= total // 2 + 1)) / 2.0 AS usual_interval
        FROM hc GROUP BY ALL),
ords AS (SELECT as_of, account_id, coalesce(last_edge_date, bb.last_date) AS last_order_date, usual_interval,
         (d0 - d1)::BIGINT AS interval_orders,
         (a0 - a2)::DOUBLE AS revenue_12m, (a0 - a3)::DOUBLE AS revenue_trend_now,
         (a2 - a4)::DOUBLE AS revenue_trend_before, (d0 - d3)::BIGINT AS order_days_trend_now,
         (d2 - d4)::BIGINT AS order_days_trend_before, (a0 - a5)::DOUBLE AS revenue_cmp_now,
         (a2 - a6)::DOUBLE AS revenue_cmp_before, (d0 - d5)::BIGINT AS order_days_cmp_now,
         (d2 - d6)::BIGINT AS order_days_cmp_before
         FROM sums LEFT JOIN med USING (as_of, account_id) LEFT JOIN before_bounds bb USING (account_id)),
inv AS (SELECT p.as_of, account_id, due_date, (paid_date IS NULL OR paid_date > p.as_of) AS still_open,
        CASE WHEN paid_date IS NULL THEN amount - coalesce(amount_paid, 0) ELSE amount END AS outstanding
      FROM payments JOIN p ON coalesce(invoice_date, due_date) <= p.as_of
      WHERE {narrow}),
pay AS (SELECT as_of, account_id, count(*) AS invoices,
        coalesce(sum(outstanding) FILTER (WHERE still_open AND outstanding > 0 AND due_date < as_of), 0)
          AS overdue_amount,
        coalesce(max(as_of - due_date) FILTER (WHERE still_open AND outstanding > 0 AND due_date < as_of), 0)
          AS overdue_days
      FROM inv GROUP BY as_of, account_id),
ints AS (SELECT p.as_of, account_id, count(*) AS interactions,
        max(interaction_date) FILTER (WHERE list_contains(channels, channel)) AS last_engagement_date,
        count(*) FILTER (WHERE channel = 'complaint' AND interaction_date > p.as_of - health_w) AS complaints_health,
        count(*) FILTER (WHERE channel = 'complaint' AND interaction_date > p.as_of - risk_cw) AS complaints_now,
        count(*) FILTER (WHERE channel = 'complaint' AND interaction_date > p.as_of - 2 * risk_cw
                         AND interaction_date <= p.as_of - risk_cw) AS complaints_before,
        arg_max(nps, interaction_date) FILTER (WHERE nps IS NOT NULL AND interaction_date > p.as_of - nps_lookback)
          AS nps_latest,
        max(interaction_date) FILTER (WHERE nps IS NOT NULL AND interaction_date > p.as_of - nps_lookback)
          AS nps_date
      FROM interactions JOIN p ON interaction_date <= p.as_of, k
      WHERE {narrow} GROUP BY p.as_of, account_id),
cts AS (SELECT p.as_of, account_id, count(*) FILTER (WHERE is_key) AS key_contacts,
        count(*) FILTER (WHERE is_key AND active_to <= p.as_of AND active_to > p.as_of - health_w) AS key_left_health,
        count(*) FILTER (WHERE is_key AND active_to <= p.as_of AND active_to > p.as_of - contact_w) AS key_left_risk,
        max(active_to) FILTER (WHERE is_key AND active_to <= p.as_of AND active_to > p.as_of - contact_w)
          AS key_left_date,
        arg_max(name, active_to) FILTER (WHERE is_key AND active_to <= p.as_of AND active_to > p.as_of - contact_w)
          AS key_left_name
      FROM contacts JOIN p ON (active_from IS NULL OR active_from <= p.as_of), k
      WHERE {narrow} GROUP BY p.as_of, account_id)
SELECT acc.account_id, acc.name, acc.owner, acc.contract_end_date, p.as_of, ords.last_order_date,
       p.as_of - ords.last_order_date AS days_since_order, ords.usual_interval, coalesce(ords.interval_orders, 0)
         AS interval_orders,
       coalesce(ords.revenue_12m, 0) AS revenue_12m,
       coalesce(ords.revenue_trend_now, 0) AS revenue_trend_now, coalesce(ords.revenue_trend_before, 0)
         AS revenue_trend_before, coalesce(ords.order_days_trend_now, 0) AS order_days_trend_now,
       coalesce(ords.order_days_trend_before, 0) AS order_days_trend_before,
       coalesce(ords.revenue_cmp_now, 0) AS revenue_cmp_now, coalesce(ords.revenue_cmp_before, 0)
         AS revenue_cmp_before, coalesce(ords.order_days_cmp_now, 0) AS order_days_cmp_now,
       coalesce(ords.order_days_cmp_before, 0) AS order_days_cmp_before,
       coalesce(pay.invoices, 0) AS invoices, coalesce(pay.overdue_amount, 0) AS overdue_amount,
       coalesce(pay.overdue_days, 0) AS overdue_days,
       coalesce(ints.interactions, 0) AS interactions, ints.last_engagement_date,
       p.as_of - ints.last_engagement_date AS days_since_engagement,
       coalesce(ints.complaints_health, 0) AS complaints_health, coalesce(ints.complaints_now, 0) AS complaints_now,
       coalesce(ints.complaints_before, 0) AS complaints_before, ints.nps_latest, ints.nps_date,
       coalesce(cts.key_contacts, 0) AS key_contacts, coalesce(cts.key_left_health, 0) AS key_left_health,
       coalesce(cts.key_left_risk, 0) AS key_left_risk, cts.key_left_date, cts.key_left_name
FROM acc CROSS JOIN p
LEFT JOIN ords USING (as_of, account_id)
LEFT JOIN pay USING (as_of, account_id) LEFT JOIN ints USING (as_of, account_id)
LEFT JOIN cts USING (as_of, account_id)
ORDER BY p.as_of, acc.account_id
"""


def account_facts(con: duckdb.DuckDBPyConnection, settings, as_of: dt.date | Sequence[dt.date],
                  scope: Scope = Scope(), account_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per account in scope (optionally only `account_ids`) and as-of date (one date or several) with
    the raw facts as of that date (column `as_of`), ordered by date then account."""
    dates = [as_of] if isinstance(as_of, dt.date) else list(as_of)
    hs, rs = settings.health, settings.risk
    condition, scope_params = account_filter(scope, "a")
    ids = None if account_ids is None else [str(a) for a in account_ids]
    params = [dates, hs.trend_window_days, rs.comparison_window_days, hs.interval_lookback_days,
              hs.window_days, rs.complaints_window_days, hs.nps_lookback_days, rs.key_contact_left_days,
              list(hs.engagement_channels), *scope_params, ids, ids]
    # Rows of accounts out of scope fall away in the final join; filtering them early only pays when narrowed.
    narrow = "TRUE" if scope.is_everything() and ids is None else "account_id IN (SELECT account_id FROM acc)"
    stored = order_days.ensure(con)
    since_first_bound = f"order_date <= ?::DATE AND order_date > (SELECT min(b) FROM bounds) AND {narrow}"
    daily = order_days.daily_sql(stored, since_first_bound)
    sql = _SQL.format(condition=condition, narrow=narrow, daily=daily,
                      days_table="order_days" if stored else "orders")
    return db.query(con, sql, [*params, max(dates)])
