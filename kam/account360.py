"""Account 360: everything known about one account, as of a date.

Each function takes a connection, the account id and `as_of`, and returns one documented DataFrame (or a dict for
the profile). Nothing after `as_of` is shown, so the page can replay the past.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from kam import db


def profile(con: duckdb.DuckDBPyConnection, account_id: str) -> dict | None:
    """The account row joined with its owner's manager and team; None for an unknown id."""
    frame = db.query(con, """
        SELECT a.*, o.manager AS owner_manager, o.team AS owner_team
        FROM accounts a LEFT JOIN owners o ON o.name = a.owner WHERE a.account_id = ?""", [account_id])
    return None if frame.empty else frame.iloc[0].to_dict()


def headline(con: duckdb.DuckDBPyConnection, account_id: str, as_of: dt.date) -> dict:
    """The cards on top: revenue_12m (orders dated in the 12 months up to and including as_of, the same window as
    the accounts list), last_order_date, overdue (outstanding on invoices past due at as_of), open_pipeline."""
    frame = db.query(con, """
        SELECT (SELECT coalesce(sum(amount), 0) FROM orders WHERE account_id = $id
                  AND order_date > $as_of::DATE - INTERVAL 12 MONTH AND order_date <= $as_of) AS revenue_12m,
               (SELECT max(order_date) FROM orders WHERE account_id = $id AND order_date <= $as_of) AS last_order_date,
               (SELECT coalesce(sum(amount - coalesce(amount_paid, 0)), 0) FROM payments WHERE account_id = $id
                  AND due_date < $as_of AND (paid_date IS NULL OR paid_date > $as_of)) AS overdue,
               (SELECT coalesce(sum(amount), 0) FROM opportunities WHERE account_id = $id AND status = 'open')
                  AS open_pipeline""", {"id": account_id, "as_of": as_of})
    return frame.iloc[0].to_dict()


def choices(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """account_id and name of every account, by name: the picker's options."""
    return db.query(con, "SELECT account_id, name FROM accounts ORDER BY name")


def contacts(con: duckdb.DuckDBPyConnection, account_id: str, as_of: dt.date, recent_days: int = 90) -> pd.DataFrame:
    """Contacts, key contacts first. status: 'active' | 'left' (active_to on or before as_of);
    changed_recently: joined or left within `recent_days` before as_of (a key-contact change to notice)."""
    return db.query(con, """
        SELECT name, role, is_key, active_from, active_to, phone, email,
               CASE WHEN active_to IS NOT NULL AND active_to <= ? THEN 'left' ELSE 'active' END AS status,
               (active_to BETWEEN ?::DATE - to_days(?) AND ?) OR (active_from BETWEEN ?::DATE - to_days(?) AND ?)
                   AS changed_recently
        FROM contacts WHERE account_id = ? AND (active_from IS NULL OR active_from <= ?)
        ORDER BY is_key DESC, status, active_from DESC NULLS LAST""",
        [as_of, as_of, recent_days, as_of, as_of, recent_days, as_of, account_id, as_of])


def monthly_revenue(con: duckdb.DuckDBPyConnection, account_id: str, as_of: dt.date, months: int = 24) -> pd.DataFrame:
    """Revenue, gross margin (NULL when unknown for every order) and order count per calendar month, for the
    `months` months up to as_of; months without orders are present with 0 revenue."""
    return db.query(con, """
        WITH months AS (
            SELECT unnest(generate_series(date_trunc('month', ?::DATE) - to_months(? - 1),
                                          date_trunc('month', ?::DATE), INTERVAL 1 MONTH))::DATE AS month)
        SELECT m.month, coalesce(sum(o.amount), 0) AS revenue, sum(o.gross_margin) AS gross_margin,
               count(DISTINCT o.order_id) AS orders
        FROM months m LEFT JOIN orders o
          ON o.account_id = ? AND date_trunc('month', o.order_date) = m.month AND o.order_date <= ?
        GROUP BY m.month ORDER BY m.month""", [as_of, months, as_of, account_id, as_of])


def receivables(con: duckdb.DuckDBPyConnection, account_id: str, as_of: dt.date) -> pd.DataFrame:
    """Invoices issued up to as_of with outstanding = amount - amount_paid (0 when paid by as_of) and
    days_overdue = days past the due date while something is outstanding (0 otherwise); newest first."""
    return db.query(con, """
        SELECT invoice_id, invoice_date, due_date, amount, amount_paid, paid_date, outstanding,
               CASE WHEN outstanding > 0 AND due_date < ? THEN date_diff('day', due_date, ?::DATE) ELSE 0 END
                   AS days_overdue
        FROM (SELECT *, CASE WHEN paid_date IS NOT NULL AND paid_date <= ? THEN 0
                             ELSE amount - coalesce(amount_paid, 0) END AS outstanding
              FROM payments WHERE account_id = ? AND coalesce(invoice_date, due_date) <= ?)
        ORDER BY invoice_date DESC NULLS LAST""", [as_of, as_of, as_of, account_id, as_of])


def interactions(con: duckdb.DuckDBPyConnection, account_id: str, as_of: dt.date, limit: int = 200) -> pd.DataFrame:
    """The interaction timeline up to as_of, newest first: date, channel, owner, summary, satisfaction, nps."""
    return db.query(con, """
        SELECT interaction_date, channel, owner, summary, satisfaction, nps FROM interactions
        WHERE account_id = ? AND interaction_date <= ? ORDER BY interaction_date DESC LIMIT ?""",
        [account_id, as_of, limit])


def opportunities(con: duckdb.DuckDBPyConnection, account_id: str) -> pd.DataFrame:
    """The account's opportunities, open ones first, then by expected close date."""
    return db.query(con, """
        SELECT opportunity_id, name, owner, stage, status, amount, probability, created_date,
               expected_close_date, closed_date, loss_reason
        FROM opportunities WHERE account_id = ?
        ORDER BY status = 'open' DESC, expected_close_date""", [account_id])
