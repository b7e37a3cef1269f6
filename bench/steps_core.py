"""Core reads on demo companies of 10k, 100k and 1M order lines: opening the accounts list and an Account 360
page, each against a bare DuckDB GROUP BY over the same orders (the least any revenue-per-account view costs)."""
from __future__ import annotations

import datetime as dt

from bench.common import best_of, demo_database, report
from kam import account360, accounts, db
from kam.scope import Scope

SIZES = (10_000, 100_000, 1_000_000)
TARGET = 10.0  # a page's queries may cost at most 10x the bare aggregate


def _steps_for(n_orders: int) -> list[dict]:
    con = db.connect(demo_database(n_orders), read_only=True)
    as_of = accounts.data_as_of(con, today=dt.date(2026, 11, 20))
    baseline = best_of(lambda: con.execute(
        "SELECT account_id, sum(amount), max(order_date) FROM orders GROUP BY account_id").fetchall())
    top = accounts.account_list(con, Scope(), as_of).iloc[0]["account_id"]
    # Account 360 runs one query per section: its floor is one bare lookup per section's table.
    lookups = best_of(lambda: [con.execute(f"SELECT * FROM {table} WHERE account_id = ?", [top]).fetchall()
                               for table in ("accounts", "orders", "payments", "interactions", "contacts")])
    rows = [
        report(f"accounts list, {n_orders:,} orders", best_of(lambda: accounts.account_list(con, Scope(), as_of)),
               baseline, "GROUP BY", TARGET),
        report(f"account 360 queries, {n_orders:,} orders", best_of(lambda: _account_360(con, top, as_of)),
               lookups, "5 bare lookups", TARGET),
    ]
    con.close()
    return rows


def _account_360(con, account_id: str, as_of: dt.date) -> None:
    account360.headline(con, account_id, as_of)
    account360.monthly_revenue(con, account_id, as_of)
    account360.receivables(con, account_id, as_of)
    account360.interactions(con, account_id, as_of)
    account360.contacts(con, account_id, as_of)


def run() -> list[dict]:
    return [row for size in SIZES for row in _steps_for(size)]
