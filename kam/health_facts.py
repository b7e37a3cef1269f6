"""The raw facts behind health and early warnings, one row per account, from one SQL statement plus the order facts
of kam.order_facts.

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

from kam import db
from kam.order_facts import ORDER_COLUMNS, order_facts
from kam.scope import Scope, account_filter

# Scalar parameters are bound once in the one-row CTE `k`; the as-of dates are the rows of `p`, so one statement
# gives the facts at several dates (the risk rules trace "active since" and the KPI sparklines read many dates).
# The order facts come from kam.order_facts (numpy over the order days) and are joined to these rows in Python.
_SQL = """
WITH p AS (SELECT unnest(?::DATE[]) AS as_of),
k AS (SELECT ?::INTEGER AS health_w, ?::INTEGER AS risk_cw, ?::INTEGER AS nps_lookback, ?::INTEGER AS contact_w,
             ?::VARCHAR[] AS channels),
acc AS (SELECT a.account_id, a.name, a.owner, a.contract_end_date FROM accounts a
        WHERE {condition} AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], a.account_id))),
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
SELECT acc.account_id, acc.name, acc.owner, acc.contract_end_date, p.as_of,
       coalesce(pay.invoices, 0) AS invoices, coalesce(pay.overdue_amount, 0) AS overdue_amount,
       coalesce(pay.overdue_days, 0) AS overdue_days,
       coalesce(ints.interactions, 0) AS interactions, ints.last_engagement_date,
       p.as_of - ints.last_engagement_date AS days_since_engagement,
       coalesce(ints.complaints_health, 0) AS complaints_health, coalesce(ints.complaints_now, 0) AS complaints_now,
       coalesce(ints.complaints_before, 0) AS complaints_before, ints.nps_latest, ints.nps_date,
       coalesce(cts.key_contacts, 0) AS key_contacts, coalesce(cts.key_left_health, 0) AS key_left_health,
       coalesce(cts.key_left_risk, 0) AS key_left_risk, cts.key_left_date, cts.key_left_name
FROM acc CROSS JOIN p
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
    params = [dates, hs.window_days, rs.complaints_window_days, hs.nps_lookback_days, rs.key_contact_left_days,
              list(hs.engagement_channels), *scope_params, ids, ids]
    # Rows of accounts out of scope fall away in the final join; filtering them early only pays when narrowed.
    narrow = "TRUE" if scope.is_everything() and ids is None else "account_id IN (SELECT account_id FROM acc)"
    facts = db.query(con, _SQL.format(condition=condition, narrow=narrow), params)
    return _with_order_facts(con, settings, facts)


def _with_order_facts(con: duckdb.DuckDBPyConnection, settings, facts: pd.DataFrame) -> pd.DataFrame:
    """`facts` with the ORDER_COLUMNS of kam.order_facts after `as_of`, each row reading its date and account."""
    dates = pd.DatetimeIndex(pd.unique(facts["as_of"]))
    accounts = pd.Index(pd.unique(facts["account_id"]))
    found = order_facts(con, settings, [d.date() for d in dates], list(accounts))
    cell = (dates.get_indexer(facts["as_of"]), accounts.get_indexer(facts["account_id"]))
    at = {name: values[cell] for name, values in found.items()}
    ordered = {"last_order_date": at["last_order_date"].astype("datetime64[us]"),
               "days_since_order": pd.array(at["days_since_order"], dtype="Int64"),
               **{name: at[name] for name in ORDER_COLUMNS[2:]}}
    split = facts.columns.get_loc("as_of") + 1
    columns = {**{c: facts[c].array for c in facts.columns[:split]}, **ordered,
               **{c: facts[c].array for c in facts.columns[split:]}}
    return pd.DataFrame(columns, index=facts.index)
