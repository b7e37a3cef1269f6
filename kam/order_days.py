"""Order days: the derived tables `order_days` (orders summed per account and day, with the gap since the previous
order day) and `order_product_days` (summed per account, product and day), built when first read after a change.

In: a connection. `ensure(con)` makes the tables current when they are not (one transaction: rebuilt from `orders`,
with a fingerprint of what they were built from) and says whether readers may use them; `current(con)` only checks.
The fingerprint is the order line count (table metadata, free), the newest import batch id and the number of
undone batches, so an import that adds, changes or removes lines, an undo, and lines added or removed by hand all
make the tables stale; only a hand-made UPDATE of existing lines is not seen (edit orders through an import).
Readers that cannot rebuild (a read-only connection, a transaction already open) group the order lines themselves
(`daily_sql`, `product_days_sql`): slower, never wrong.
Why: grouping a million order lines per account and day, and the window that finds each gap, were half of what
every health and warning query cost, and the tier measures' pass over every line grew with the data (5M lines are
a few hundred thousand account-product-days). Built on first read, not inside the import's transaction: a 1M-line
import would pay about a second more for it, and most imports are followed by many reads.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

import duckdb

from kam import db
from kam.errors import DatabaseError

_SOURCE = """SELECT (SELECT count(*) FROM orders), (SELECT coalesce(max(batch_id), 0) FROM import_batches),
                    (SELECT count(*) FROM import_batches WHERE status = 'undone')"""

# The same rows from the order lines; `{where}` narrows the lines (dates, accounts) before they are grouped.
_FROM_ORDERS = """SELECT account_id, order_date, amount, lines,
       (order_date - lag(order_date) OVER (PARTITION BY account_id ORDER BY order_date))::INTEGER AS gap
FROM (SELECT account_id, order_date, sum(amount) AS amount, count(*) AS lines FROM orders
      WHERE {where} GROUP BY account_id, order_date)"""


_REBUILD_ORDER_DAYS = "INSERT INTO order_days " + _FROM_ORDERS.replace("{where}", "TRUE")

# Each order line as one account-product-day would sum it; grouped, they are the rows of order_product_days.
_PRODUCT_LINES = """SELECT account_id, product, order_date, amount, gross_margin AS margin,
       CASE WHEN gross_margin IS NOT NULL THEN amount END AS margined_amount
FROM orders"""


# The migration that created order_product_days, the last of the three tables read here.
_TABLES_MIGRATION = 5


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild order_days and order_product_days from orders and record the source fingerprint (inside the caller's
    transaction)."""
    db.execute(con, "DELETE FROM order_days")
    db.execute(con, _REBUILD_ORDER_DAYS)
    db.execute(con, "DELETE FROM order_product_days")
    db.execute(con, f"""INSERT INTO order_product_days
        SELECT account_id, product, order_date, sum(amount), sum(margin), sum(margined_amount)
        FROM ({_PRODUCT_LINES}) GROUP BY ALL""")
    db.execute(con, "DELETE FROM order_days_source")
    db.execute(con, f"INSERT INTO order_days_source {_SOURCE}")


def current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when order_days and order_product_days were built from the orders as they are now."""
    # Two statements, not a catalog query first: duckdb_tables() alone cost more than both (every read checks).
    if (db.scalar(con, "SELECT max(version) FROM schema_migrations") or 0) < _TABLES_MIGRATION:
        return False  # a database from before migration 005, opened read-only (not migrated)
    stored = db.execute(con, f"""SELECT s.order_lines = n.lines AND s.last_batch = n.batch AND s.undone = n.undone
                                 FROM order_days_source s, ({_SOURCE}) n(lines, batch, undone)""").fetchall()
    return bool(stored and stored[0][0])


# Set inside `checked_once`: the answer of that one check, given to every ensure() of the block.
_checked: ContextVar[bool | None] = ContextVar("order_days_checked", default=None)


@contextlib.contextmanager
def checked_once(con: duckdb.DuckDBPyConnection) -> Iterator[bool]:
    """ensure(con) once for a block of reads of this database that change no orders: inside it (and in threads
    run with a copy of its context), ensure() answers from that check. Why: the scoreboard's readers each
    checked again, 3-4 ms a time."""
    token = _checked.set(ensure(con))
    try:
        yield _checked.get()
    finally:
        _checked.reset(token)


def ensure(con: duckdb.DuckDBPyConnection) -> bool:
    """Make the tables current if they are not and the connection can write; True when readers may use them."""
    known = _checked.get()
    if known is not None:
        return known
    if current(con):
        return True
    try:
        with db.transaction(con):
            refresh(con)
    except DatabaseError:
        return False  # read-only, or inside a transaction of the caller's, or another session rebuilding now
    return True


def daily_sql(stored: bool, where: str) -> str:
    """A subquery of order days (account_id, order_date, amount, lines, gap) whose rows satisfy `where` (a
    condition on account_id and order_date, parameters left to the caller): the stored table when `stored` (pass
    `ensure(con)`), else grouped from the order lines. From the lines, `gap` only sees order days that satisfy
    `where` too, so a caller narrowing dates must only read gaps whose both ends are inside its range."""
    if stored:
        return f"SELECT account_id, order_date, amount, lines, gap FROM order_days WHERE {where}"
    return _FROM_ORDERS.format(where=where)


def product_days_sql(stored: bool) -> str:
    """A subquery of (account_id, product, order_date, amount, margin, margined_amount) rows whose sums per account,
    product and day are those of the order lines: order_product_days when `stored`, else the lines themselves."""
    if stored:
        return "SELECT account_id, product, order_date, amount, margin, margined_amount FROM order_product_days"
    return _PRODUCT_LINES
