"""The raw facts behind health and early warnings, one row per account, from one SQL statement.

In: a connection, Settings (the health and risk windows), an as-of date, a Scope and optionally a list of account
ids. Out: a DataFrame with one row per account in scope (accounts without any orders or interactions included):
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

from kam import db
from kam.scope import Scope, account_filter

# Parameters are bound once in the one-row CTE `p`; every part below reads them from there.
_SQL = """
WITH p AS (SELECT ?::DATE AS as_of, (?::DATE - INTERVAL 12 MONTH)::DATE AS ly, ?::INTEGER AS trend_w,
                  ?::INTEGER AS cmp_w, ?::INTEGER AS lookback, ?::INTEGER AS health_w, ?::INTEGER AS risk_cw,
                  ?::INTEGER AS nps_lookback, ?::INTEGER AS contact_w, ?::VARCHAR[] AS channels),
acc AS (SELECT a.account_id, a.name, a.owner, a.contract_end_date FROM accounts a
        WHERE {condition} AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], a.account_id))),
o AS (SELECT o.account_id, o.order_id, o.order_date, o.amount FROM orders o, p
      WHERE o.order_date <= p.as_of AND o.order_date > p.ly - GREATEST(p.trend_w, p.cmp_w, p.lookback) - 400
        AND o.account_id IN (SELECT account_id FROM acc)),
ords AS (SELECT account_id, max(order_date) AS last_order_date,
        sum(amount) FILTER (WHERE order_date > ly) AS revenue_12m,
        sum(amount) FILTER (WHERE order_date > as_of - trend_w) AS revenue_trend_now,
        sum(amount) FILTER (WHERE order_date > ly - trend_w AND order_date <= ly) AS revenue_trend_before,
        count(DISTINCT order_id) FILTER (WHERE order_date > as_of - trend_w) AS orders_trend_now,
        count(DISTINCT order_id) FILTER (WHERE order_date > ly - trend_w AND order_date <= ly) AS orders_trend_before,
        sum(amount) FILTER (WHERE order_date > as_of - cmp_w) AS revenue_cmp_now,
        sum(amount) FILTER (WHERE order_date > ly - cmp_w AND order_date <= ly) AS revenue_cmp_before,
        count(DISTINCT order_id) FILTER (WHERE order_date > as_of - cmp_w) AS orders_cmp_now,
        count(DISTINCT order_id) FILTER (WHERE order_date > ly - cmp_w AND order_date <= ly) AS orders_cmp_before
      FROM o, p GROUP BY account_id),
last_any AS (SELECT o2.account_id, max(o2.order_date) AS last_order_ever FROM orders o2, p
      WHERE o2.order_date <= p.as_of AND o2.account_id IN (SELECT account_id FROM acc) GROUP BY o2.account_id),
gaps AS (SELECT account_id, order_date - lag(order_date) OVER (PARTITION BY account_id ORDER BY order_date) AS gap
      FROM (SELECT DISTINCT account_id, order_date FROM o, p WHERE order_date > as_of - lookback)),
intervals AS (SELECT account_id, median(gap) AS usual_interval, count(gap) + 1 AS interval_orders
      FROM gaps GROUP BY account_id),
inv AS (SELECT account_id, due_date, (paid_date IS NULL OR paid_date > as_of) AS still_open,
        CASE WHEN paid_date IS NULL THEN amount - coalesce(amount_paid, 0) ELSE amount END AS outstanding
      FROM payments, p WHERE coalesce(invoice_date, due_date) <= as_of
        AND account_id IN (SELECT account_id FROM acc)),
pay AS (SELECT account_id, count(*) AS invoices,
        coalesce(sum(outstanding) FILTER (WHERE still_open AND outstanding > 0 AND due_date < as_of), 0)
          AS overdue_amount,
        coalesce(max(as_of - due_date) FILTER (WHERE still_open AND outstanding > 0 AND due_date < as_of), 0)
          AS overdue_days
      FROM inv, p GROUP BY account_id),
ints AS (SELECT account_id, count(*) AS interactions,
        max(interaction_date) FILTER (WHERE list_contains(channels, channel)) AS last_engagement_date,
        count(*) FILTER (WHERE channel = 'complaint' AND interaction_date > as_of - health_w) AS complaints_health,
        count(*) FILTER (WHERE channel = 'complaint' AND interaction_date > as_of - risk_cw) AS complaints_now,
        count(*) FILTER (WHERE channel = 'complaint' AND interaction_date > as_of - 2 * risk_cw
                         AND interaction_date <= as_of - risk_cw) AS complaints_before,
        arg_max(nps, interaction_date) FILTER (WHERE nps IS NOT NULL AND interaction_date > as_of - nps_lookback)
          AS nps_latest,
        max(interaction_date) FILTER (WHERE nps IS NOT NULL AND interaction_date > as_of - nps_lookback) AS nps_date
      FROM interactions, p WHERE interaction_date <= as_of AND account_id IN (SELECT account_id FROM acc)
      GROUP BY account_id),
cts AS (SELECT account_id, count(*) FILTER (WHERE is_key) AS key_contacts,
        count(*) FILTER (WHERE is_key AND active_to <= as_of AND active_to > as_of - health_w) AS key_left_health,
        count(*) FILTER (WHERE is_key AND active_to <= as_of AND active_to > as_of - contact_w) AS key_left_risk,
        max(active_to) FILTER (WHERE is_key AND active_to <= as_of AND active_to > as_of - contact_w)
          AS key_left_date,
        arg_max(name, active_to) FILTER (WHERE is_key AND active_to <= as_of AND active_to > as_of - contact_w)
          AS key_left_name
      FROM contacts, p WHERE (active_from IS NULL OR active_from <= as_of)
        AND account_id IN (SELECT account_id FROM acc) GROUP BY account_id)
SELECT acc.account_id, acc.name, acc.owner, acc.contract_end_date, la.last_order_ever AS last_order_date,
       p.as_of - la.last_order_ever AS days_since_order, i.usual_interval, coalesce(i.interval_orders, 0)
         AS interval_orders,
       coalesce(ords.revenue_12m, 0) AS revenue_12m,
       coalesce(ords.revenue_trend_now, 0) AS revenue_trend_now, coalesce(ords.revenue_trend_before, 0)
         AS revenue_trend_before, coalesce(ords.orders_trend_now, 0) AS orders_trend_now,
       coalesce(ords.orders_trend_before, 0) AS orders_trend_before,
       coalesce(ords.revenue_cmp_now, 0) AS revenue_cmp_now, coalesce(ords.revenue_cmp_before, 0)
         AS revenue_cmp_before, coalesce(ords.orders_cmp_now, 0) AS orders_cmp_now,
       coalesce(ords.orders_cmp_before, 0) AS orders_cmp_before,
       coalesce(pay.invoices, 0) AS invoices, coalesce(pay.overdue_amount, 0) AS overdue_amount,
       coalesce(pay.overdue_days, 0) AS overdue_days,
       coalesce(ints.interactions, 0) AS interactions, ints.last_engagement_date,
       p.as_of - ints.last_engagement_date AS days_since_engagement,
       coalesce(ints.complaints_health, 0) AS complaints_health, coalesce(ints.complaints_now, 0) AS complaints_now,
       coalesce(ints.complaints_before, 0) AS complaints_before, ints.nps_latest, ints.nps_date,
       coalesce(cts.key_contacts, 0) AS key_contacts, coalesce(cts.key_left_health, 0) AS key_left_health,
       coalesce(cts.key_left_risk, 0) AS key_left_risk, cts.key_left_date, cts.key_left_name
FROM acc CROSS JOIN p
LEFT JOIN ords USING (account_id) LEFT JOIN last_any la USING (account_id) LEFT JOIN intervals i USING (account_id)
LEFT JOIN pay USING (account_id) LEFT JOIN ints USING (account_id) LEFT JOIN cts USING (account_id)
ORDER BY acc.account_id
"""


def account_facts(con: duckdb.DuckDBPyConnection, settings, as_of: dt.date, scope: Scope = Scope(),
                  account_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per account in scope (optionally only `account_ids`) with the raw facts as of `as_of`."""
    hs, rs = settings.health, settings.risk
    condition, scope_params = account_filter(scope, "a")
    ids = None if account_ids is None else [str(a) for a in account_ids]
    params = [as_of, as_of, hs.trend_window_days, rs.comparison_window_days, hs.interval_lookback_days,
              hs.window_days, rs.complaints_window_days, hs.nps_lookback_days, rs.key_contact_left_days,
              list(hs.engagement_channels), *scope_params, ids, ids]
    return db.query(con, _SQL.format(condition=condition), params)
