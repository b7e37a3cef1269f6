"""Account lists and the shared filter choices: who the accounts are, and the as-of date the data supports."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from kam import db
from kam.scope import Scope, account_filter


def filter_options(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Distinct regions, owners and industries of the accounts, sorted, for the shared filters."""
    options = {}
    for key, column in (("regions", "region"), ("owners", "owner"), ("industries", "industry")):
        frame = db.query(con, f"SELECT DISTINCT {db.quote_ident(column)} AS v FROM accounts "
                              f"WHERE {db.quote_ident(column)} IS NOT NULL ORDER BY 1")
        options[key] = list(frame["v"])
    return options


def data_as_of(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> dt.date:
    """The default as-of date: the latest order or interaction in the data, never later than today.

    An export from last year viewed 'as of today' would show every account as churned; this keeps it honest.
    """
    today = today or dt.date.today()
    latest = db.scalar(con, "SELECT greatest((SELECT max(order_date) FROM orders), "
                            "(SELECT max(interaction_date) FROM interactions))")
    return today if latest is None else min(latest, today)


def account_list(con: duckdb.DuckDBPyConnection, scope: Scope, as_of: dt.date, search: str = "") -> pd.DataFrame:
    """One row per account in scope: id, name, industry, region, owner, revenue over the 12 months to `as_of`,
    last order date and open pipeline; `search` matches name or id, case-insensitively."""
    condition, params = account_filter(scope, "a")
    return db.query(con, f"""
        SELECT a.account_id, a.name, a.industry, a.region, a.owner,
               coalesce(o.revenue_12m, 0) AS revenue_12m, o.last_order_date,
               coalesce(p.open_pipeline, 0) AS open_pipeline, a.contract_end_date
        FROM accounts a
        LEFT JOIN (SELECT account_id, sum(amount) FILTER (WHERE order_date > ?::DATE - INTERVAL 12 MONTH) AS revenue_12m,
                          max(order_date) AS last_order_date
                   FROM orders WHERE order_date <= ? GROUP BY account_id) o USING (account_id)
        LEFT JOIN (SELECT account_id, sum(amount) AS open_pipeline FROM opportunities
                   WHERE status = 'open' GROUP BY account_id) p USING (account_id)
        WHERE {condition}
          AND (? = '' OR lower(a.name) LIKE '%' || lower(?) || '%' OR lower(a.account_id) LIKE '%' || lower(?) || '%')
        ORDER BY revenue_12m DESC, a.name""", [as_of, as_of, *params, search, search, search])
