"""Order days: the derived table `order_days` (orders summed per account and day, with the gap since the previous
order day) and whether it is current.

In: a connection. `refresh(con)` rebuilds the table from `orders` (kam.derived calls it inside every transaction
that writes orders: import, undo, demo build) and records what it was built from; `current(con)` says whether it
still matches the orders table. kam's writers keep it current in the same transaction; the check (the order line
count, read from table metadata, free) guards against lines added or removed by hand, outside those writers:
readers then group the order lines themselves (see `daily_sql`). A hand-made UPDATE of existing lines is not
detected: edit orders through an import (or call `refresh`).
Why: grouping a million order lines per account and day, and the window that finds each gap, were half of what
every health and warning query cost.
"""
from __future__ import annotations

import duckdb

from kam import db

_SOURCE = "SELECT count(*) FROM orders"

# The same rows from the order lines; `{where}` narrows the lines (dates, accounts) before they are grouped.
_FROM_ORDERS = """SELECT account_id, order_date, amount, lines,
       (order_date - lag(order_date) OVER (PARTITION BY account_id ORDER BY order_date))::INTEGER AS gap
FROM (SELECT account_id, order_date, sum(amount) AS amount, count(*) AS lines FROM orders
      WHERE {where} GROUP BY account_id, order_date)"""


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild order_days from orders and record the source fingerprint (call inside the writer's transaction)."""
    db.execute(con, "DELETE FROM order_days")
    db.execute(con, "INSERT INTO order_days " + _FROM_ORDERS.format(where="TRUE") + " ORDER BY account_id, order_date")
    db.execute(con, "DELETE FROM order_days_source")
    db.execute(con, f"INSERT INTO order_days_source {_SOURCE}")


def current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when order_days was built from the orders as they are now."""
    stored = db.scalar(con, "SELECT order_lines FROM order_days_source")
    return stored is not None and stored == db.scalar(con, _SOURCE)


def daily_sql(stored: bool, where: str) -> str:
    """A subquery of order days (account_id, order_date, amount, lines, gap) whose rows satisfy `where` (a
    condition on account_id and order_date, parameters left to the caller): the stored table when `stored` (pass
    `current(con)`), else grouped from the order lines. From the lines, `gap` only sees order days that satisfy
    `where` too, so a caller narrowing dates must only read gaps whose both ends are inside its range."""
    if stored:
        return f"SELECT account_id, order_date, amount, lines, gap FROM order_days WHERE {where}"
    return _FROM_ORDERS.format(where=where)
