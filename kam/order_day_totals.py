"""The order days of many accounts in numpy, with running totals of their amounts.

In: a connection, account ids and a last date. Out: `read` -> `OrderDays`, the order days (kam.order_days) of those
accounts up to that date, sorted by account and day (kam.dated_rows), whose running total gives any window's
revenue as the difference of two of its values (`window`). kam.order_facts (health and warnings) computes its
window measures from it. From the stored table the read is a scan in its stored order, narrowed by account
number: no join on the account ids, and no sort when they are asked for in id order.
Amounts are summed exactly to 6 decimals (integer millionths, as DuckDB's DECIMAL(38, 6)), so an empty window, or
one whose orders and returns cancel, is exactly 0.
`shared(con, last)`: inside this block (and in threads run with a copy of its context) every read of accounts
and a last date it covers takes its rows from one read of every account's order days, made on entry. Why: the
scoreboard's order facts and its "active since" re-checks each read the order days. A block must not change
orders; its reads may see order days after their `last`, which no reader looks at (every measure is a window
ending on or before its date).
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from contextvars import ContextVar

import duckdb
import numpy as np

from kam import db, order_days
from kam.dated_rows import DatedRows

_MICRO = 1_000_000            # amounts as integer millionths
_EXACT_UP_TO = 9e12           # above this sum of all amounts, float totals (millionths could overflow int64)

# From the stored table: a scan in stored (account, date) order, narrowed by account number, no join on the ids.
# Days as INTEGER: fetched as BIGINT they cost about twice as much to read.
_STORED = """SELECT d.account_no AS k, (d.order_date - DATE '1970-01-01')::INTEGER AS day, d.amount{margins}
FROM order_days d WHERE d.order_date <= ?::DATE {narrowed}"""
_NARROWED = "AND d.account_no IN (SELECT unnest(?::INTEGER[]))"
# From the order lines (the stored table is stale and this connection cannot rebuild it).
_FROM_LINES = """WITH acc AS (SELECT unnest(?::VARCHAR[]) AS account_id, unnest(?::BIGINT[]) AS k)
SELECT acc.k, (d.order_date - DATE '1970-01-01')::INTEGER AS day, d.amount{margins}
FROM ({daily}) d JOIN acc USING (account_id)"""
# The margin and the amount it is known for (kam.tier_measures' gross margin); a day without one adds nothing.
_MARGINS = ", coalesce(d.margin, 0) AS margin, coalesce(d.margined_amount, 0) AS margined_amount"
MARGIN_COLUMNS = ("margin", "margined_amount")


class OrderDays(DatedRows):
    """The order days of the accounts (see kam.dated_rows) with the running total of their amounts and, when read
    with margins, of MARGIN_COLUMNS (`totals`)."""

    def __init__(self, k: np.ndarray, day: np.ndarray, n_accounts: int, amount: np.ndarray,
                 margins: dict[str, np.ndarray] | None = None):
        super().__init__(k, day, n_accounts)
        self.total = _running_total(amount.astype(float, copy=False)[self.order])
        self.totals = {name: _running_total(values.astype(float, copy=False)[self.order])
                       for name, values in (margins or {}).items()}

    def subset(self, accounts: np.ndarray) -> OrderDays:
        """The rows of `accounts` (account numbers here), renumbered 0..len-1 in that order."""
        renumber = np.full(len(self.start), -1)
        renumber[accounts] = np.arange(len(accounts))
        k = renumber[self.account]
        keep = k >= 0
        out = object.__new__(OrderDays)
        DatedRows.__init__(out, k[keep], self.day[keep], len(accounts))

        def kept(total: np.ndarray) -> np.ndarray:
            # each row's own amount is the step of its running total (exact millionths stay exact)
            return np.concatenate([total[:1], np.cumsum(np.diff(total)[keep][out.order])])

        out.total = kept(self.total)
        out.totals = {name: kept(total) for name, total in self.totals.items()}
        return out

    def window(self, end: np.ndarray, start: np.ndarray, of: str = "amount") -> np.ndarray:
        """The amount (or, `of` one of MARGIN_COLUMNS when read with margins, that sum) of the order days in
        (start, end], given as positions (see `position`)."""
        total = self.total if of == "amount" else self.totals[of]
        return (total[end] - total[start]) / _MICRO


def _running_total(amount: np.ndarray) -> np.ndarray:
    """Running totals (in millionths) with a leading 0: a window's sum is the difference of two of them. Few
    temporaries: each is fresh memory to fault in."""
    out = np.zeros(len(amount) + 1, dtype=np.int64)
    # millionths could leave int64: the largest amount times the count bounds the sum of all (no temporary); the
    # exact sum of magnitudes only when that bound is too high
    if len(amount) and max(amount.max(), -amount.min()) * len(amount) >= _EXACT_UP_TO \
            and np.abs(amount).sum() >= _EXACT_UP_TO:
        out = out.astype(float)
        np.cumsum(amount * _MICRO, out=out[1:])
        return out
    scaled = amount * _MICRO
    np.rint(scaled, out=scaled)
    np.cumsum(scaled.astype(np.int64), out=out[1:])
    return out


class _Shared:
    """Every account's order days up to `last` (see `shared`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, last: dt.date, margins: bool):
        self.ids = every_account(con)
        self.number = {account: k for k, account in enumerate(self.ids)}
        self.last, self.margins = last, margins
        self.days = _read(con, self.ids, last, margins)

    def rows_of(self, account_ids: Sequence[str], last: dt.date, margins: bool) -> OrderDays | None:
        """The order days of `account_ids`, or None when this read does not hold them all."""
        if last > self.last or (margins and not self.margins) \
                or any(account not in self.number for account in account_ids):
            return None
        if list(account_ids) == self.ids:
            return self.days
        return self.days.subset(np.array([self.number[account] for account in account_ids], dtype=np.int64))


_shared: ContextVar[_Shared | None] = ContextVar("order_day_totals_shared", default=None)


@contextlib.contextmanager
def shared(con: duckdb.DuckDBPyConnection, last: dt.date, margins: bool = False) -> Iterator[None]:
    """Serve the reads of this block from one read of every account's order days up to `last` (module
    docstring), with margins when `margins` (then reads with and without margins are served)."""
    token = _shared.set(_Shared(con, last, margins))
    try:
        yield
    finally:
        _shared.reset(token)


@contextlib.contextmanager
def read_once(con: duckdb.DuckDBPyConnection, last: dt.date) -> Iterator[None]:
    """The order days checked for freshness once (kam.order_days.checked_once) and read once with margins
    (`shared`) for this block: for callers whose tiers and account facts both read them (kam.scoreboard,
    kam.kpis)."""
    with order_days.checked_once(con), shared(con, last, margins=True):
        yield


def every_account(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every account id, in order: the accounts a `shared` block reads."""
    return list(db.execute(con, "SELECT account_id FROM accounts ORDER BY account_id").fetchnumpy()["account_id"])


def read(con: duckdb.DuckDBPyConnection, account_ids: Sequence[str], last: dt.date,
         margins: bool = False) -> OrderDays:
    """The order days on or before `last` of `account_ids` (account k is account_ids[k]), with the running
    totals of MARGIN_COLUMNS too when `margins`."""
    block = _shared.get()
    found = None if block is None else block.rows_of(account_ids, last, margins)
    return found if found is not None else _read(con, account_ids, last, margins)


def _read(con: duckdb.DuckDBPyConnection, account_ids: Sequence[str], last: dt.date, margins: bool) -> OrderDays:
    columns = _MARGINS if margins else ""
    if order_days.ensure(con):
        k, rows = _stored_rows(con, account_ids, last, columns)
    else:
        sql = _FROM_LINES.format(daily=order_days.daily_sql(False, "order_date <= ?::DATE"), margins=columns)
        rows = db.execute(con, sql, [list(account_ids), list(range(len(account_ids))), last]).fetchnumpy()
        k = rows["k"]
    return OrderDays(k, rows["day"], len(account_ids), rows["amount"],
                     {name: rows[name] for name in MARGIN_COLUMNS} if margins else None)


def _stored_rows(con: duckdb.DuckDBPyConnection, account_ids: Sequence[str], last: dt.date,
                 columns: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The stored order days of `account_ids` up to `last`, with each row's position in account_ids."""
    numbered = db.execute(con, "SELECT account_no, account_id FROM order_day_accounts").fetchnumpy()
    wanted = {account: k for k, account in enumerate(account_ids)}
    position = np.full(len(numbered["account_no"]), -1)
    position[numbered["account_no"]] = [wanted.get(a, -1) for a in numbered["account_id"]]
    every = (position >= 0).all()
    sql = _STORED.format(narrowed="" if every else _NARROWED, margins=columns)
    rows = db.execute(con, sql, [last] if every else [last, np.flatnonzero(position >= 0).tolist()]).fetchnumpy()
    return position[rows["k"]], rows
