"""Order days: the derived tables `order_days` (orders summed per account and day, with the gap since the previous
order day and the day's margins, sorted by account and day, the accounts numbered in `order_day_accounts`) and
`order_product_runs` (the runs of days on which an account had bought a product within the last 12 months), built
when first read after a change.

In: a connection. `ensure(con)` makes the tables current when they are not (one transaction: rebuilt from `orders`,
with a fingerprint of what they were built from) and says whether readers may use them; `current(con)` only checks.
The fingerprint is the order line count (table metadata, free), the newest import batch id and the number of
undone batches, so an import that adds, changes or removes lines, an undo, and lines added or removed by hand all
make the tables stale; only a hand-made UPDATE of existing lines is not seen (edit orders through an import).
Readers that cannot rebuild (a read-only connection, a transaction already open) compute the same rows from the
order lines (`daily_sql`, `product_runs_sql`): slower, never wrong.
A product run: an order day t of a product is within the 12 months to a date d exactly when t <= d < until(t),
until(t) being the first day whose date minus 12 calendar months is on or after t (t + 12 months, or the day after
when that fell on a clamped 28 February). Order days whose [t, until(t)) meet or overlap make one run.
Why: grouping a million order lines per account and day, and the window that finds each gap, were half of what
every health and warning query cost; the tier measures' pass over every account-product-day grew with the data
(5M lines are a few hundred thousand), where an account buys each product in a few runs. Built on first read,
not inside the import's transaction: a 1M-line import would pay about a second more for it, and most imports are
followed by many reads.
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
       (order_date - lag(order_date) OVER (PARTITION BY account_id ORDER BY order_date))::INTEGER AS gap,
       margin, margined_amount
FROM (SELECT account_id, order_date, sum(amount) AS amount, count(*) AS lines, sum(gross_margin) AS margin,
             sum(amount) FILTER (WHERE gross_margin IS NOT NULL) AS margined_amount
      FROM orders WHERE {where} GROUP BY account_id, order_date)"""


# Sorted by account and date, so a scan reads them in order (DuckDB keeps insertion order).
_REBUILD_ORDER_DAYS = f"""INSERT INTO order_days
SELECT account_id, (dense_rank() OVER (ORDER BY account_id) - 1)::INTEGER AS account_no,
       * EXCLUDE (account_id)
FROM ({_FROM_ORDERS.replace("{where}", "TRUE")})
ORDER BY account_id, order_date"""

# The runs of every account and product (see the module docstring), from the order lines.
_PRODUCT_RUNS = """WITH bought AS (
    SELECT DISTINCT account_id, product, order_date FROM orders WHERE product IS NOT NULL),
reach AS (SELECT *, (order_date + INTERVAL 12 MONTH)::DATE AS later FROM bought),
reaches AS (SELECT account_id, product, order_date,
                   CASE WHEN later - INTERVAL 12 MONTH >= order_date THEN later ELSE later + 1 END AS until
            FROM reach),
starts AS (SELECT *, coalesce(lag(until) OVER (PARTITION BY account_id, product ORDER BY order_date) < order_date,
                              TRUE)::INTEGER AS starts_run
           FROM reaches),
runs AS (SELECT *, sum(starts_run) OVER (PARTITION BY account_id, product ORDER BY order_date) AS run FROM starts)
SELECT account_id, product, min(order_date) AS active_from, max(until) AS active_until
FROM runs GROUP BY account_id, product, run"""


# The migration that made order_days and order_product_runs as read here.
_TABLES_MIGRATION = 7


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild order_days and order_product_runs from orders and record the source fingerprint (inside the caller's
    transaction)."""
    db.execute(con, "DELETE FROM order_days")
    db.execute(con, _REBUILD_ORDER_DAYS)
    db.execute(con, "DELETE FROM order_day_accounts")
    db.execute(con, "INSERT INTO order_day_accounts SELECT DISTINCT account_no, account_id FROM order_days")
    db.execute(con, "DELETE FROM order_product_runs")
    db.execute(con, "INSERT INTO order_product_runs " + _PRODUCT_RUNS)
    db.execute(con, "DELETE FROM order_days_source")
    db.execute(con, f"INSERT INTO order_days_source {_SOURCE}")


def current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when order_days and order_product_runs were built from the orders as they are now."""
    # Two statements, not a catalog query first: duckdb_tables() alone cost more than both (every read checks).
    if (db.scalar(con, "SELECT max(version) FROM schema_migrations") or 0) < _TABLES_MIGRATION:
        return False  # a database from before migration 007, opened read-only (not migrated)
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
    """A subquery of order days (account_id, order_date, amount, lines, gap, margin, margined_amount) whose rows
    satisfy `where` (a condition on account_id and order_date, parameters left to the caller): the stored table
    when `stored` (pass `ensure(con)`), else grouped from the order lines. From the lines, `gap` only sees order
    days that satisfy `where` too, so a caller narrowing dates must only read gaps whose both ends are inside its
    range."""
    if stored:
        return f"SELECT * EXCLUDE (account_no) FROM order_days WHERE {where}"
    return _FROM_ORDERS.format(where=where)


def product_runs_sql(stored: bool) -> str:
    """A subquery of the product runs (account_id, product, active_from, active_until): order_product_runs when
    `stored`, else computed from the order lines."""
    return "SELECT * FROM order_product_runs" if stored else _PRODUCT_RUNS
