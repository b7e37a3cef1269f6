"""The order days of many accounts in numpy, with running totals of their amounts.

In: a connection, account ids and a last date. Out: `read` -> `OrderDays`, the order days (kam.order_days) of those
accounts up to that date, sorted by account and day (kam.dated_rows), whose running total gives any window's
revenue as the difference of two of its values (`window`). kam.order_facts (health and warnings) computes its
window measures from it.
Amounts are summed exactly to 6 decimals (integer millionths, as DuckDB's DECIMAL(38, 6)), so an empty window, or
one whose orders and returns cancel, is exactly 0.
`shared(con, last)`: inside this block (and in threads run with a copy of its context) every read of accounts
and a last date it covers takes its rows from one read of every account's order days, made on entry. Why: the
scoreboard's order facts and its "active since" re-checks each read the order days, about 25 ms each at 1M
order lines. A block must not change orders; its reads may see order days after their `last`, which no
reader looks at (every measure is a window ending on or before its date).
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

_ORDER_DAYS = """WITH acc AS (SELECT unnest(?::VARCHAR[]) AS account_id, unnest(?::BIGINT[]) AS k)
SELECT acc.k, (d.order_date - DATE '1970-01-01')::BIGINT AS day, d.amount
FROM ({daily}) d JOIN acc USING (account_id)"""
# Every account's order days from the stored table: a scan in stored (account, date) order, no join.
_EVERY_ORDER_DAY = """SELECT account_no, (order_date - DATE '1970-01-01')::BIGINT AS day, amount
FROM order_days WHERE order_date <= ?::DATE"""


class OrderDays(DatedRows):
    """The order days of the accounts (see kam.dated_rows) with the running total of their amounts."""

    def __init__(self, k: np.ndarray, day: np.ndarray, n_accounts: int, amount: np.ndarray):
        super().__init__(k, day, n_accounts)
        self.total = _running_total(amount.astype(float, copy=False)[self.order])

    def subset(self, accounts: np.ndarray) -> OrderDays:
        """The rows of `accounts` (account numbers here), renumbered 0..len-1 in that order."""
        renumber = np.full(len(self.start), -1)
        renumber[accounts] = np.arange(len(accounts))
        k = renumber[self.account]
        keep = k >= 0
        out = object.__new__(OrderDays)
        DatedRows.__init__(out, k[keep], self.day[keep], len(accounts))
        # each row's own amount is the step of its running total (exact millionths stay exact)
        out.total = np.concatenate([self.total[:1], np.cumsum(np.diff(self.total)[keep][out.order])])
        return out

    def window(self, end: np.ndarray, start: np.ndarray) -> np.ndarray:
        """The amount of the order days in (start, end], given as positions (see `position`)."""
        return (self.total[end] - self.total[start]) / _MICRO


def _running_total(amount: np.ndarray) -> np.ndarray:
    """Running totals (in millionths) with a leading 0: a window's sum is the difference of two of them."""
    if np.abs(amount).sum() < _EXACT_UP_TO:   # so no running total of millionths can leave int64
        return np.concatenate([[0], np.cumsum(np.rint(amount * _MICRO).astype(np.int64))])
    return np.concatenate([[0.0], np.cumsum(amount * _MICRO)])


class _Shared:
    """Every account's order days up to `last` (see `shared`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, last: dt.date):
        self.ids = list(db.query(con, "SELECT account_id FROM accounts ORDER BY account_id")["account_id"])
        self.number = {account: k for k, account in enumerate(self.ids)}
        self.last = last
        self.days = self._every(con) if order_days.ensure(con) else _read(con, self.ids, last)

    def _every(self, con: duckdb.DuckDBPyConnection) -> OrderDays:
        """Every account's order days from the stored table, its account numbers turned into positions in ids
        (rows of accounts not in the accounts table dropped)."""
        stored = db.query(con, "SELECT account_no, account_id FROM order_day_accounts")
        position = np.full(len(stored), -1)
        position[stored["account_no"].to_numpy()] = [self.number.get(a, -1) for a in stored["account_id"]]
        rows = db.execute(con, _EVERY_ORDER_DAY, [self.last]).fetchnumpy()
        k = position[rows["account_no"]]
        keep = k >= 0
        return OrderDays(k[keep], rows["day"][keep], len(self.ids), rows["amount"][keep])

    def rows_of(self, account_ids: Sequence[str], last: dt.date) -> OrderDays | None:
        """The order days of `account_ids`, or None when this read does not hold them all."""
        if last > self.last or any(account not in self.number for account in account_ids):
            return None
        if list(account_ids) == self.ids:
            return self.days
        return self.days.subset(np.array([self.number[account] for account in account_ids], dtype=np.int64))


_shared: ContextVar[_Shared | None] = ContextVar("order_day_totals_shared", default=None)


@contextlib.contextmanager
def shared(con: duckdb.DuckDBPyConnection, last: dt.date) -> Iterator[None]:
    """Serve the reads of this block from one read of every account's order days up to `last` (module
    docstring)."""
    token = _shared.set(_Shared(con, last))
    try:
        yield
    finally:
        _shared.reset(token)


def read(con: duckdb.DuckDBPyConnection, account_ids: Sequence[str], last: dt.date) -> OrderDays:
    """The order days on or before `last` of `account_ids` (account k is account_ids[k])."""
    block = _shared.get()
    found = None if block is None else block.rows_of(account_ids, last)
    return found if found is not None else _read(con, account_ids, last)


def _read(con: duckdb.DuckDBPyConnection, account_ids: Sequence[str], last: dt.date) -> OrderDays:
    daily = order_days.daily_sql(order_days.ensure(con), "order_date <= ?::DATE")
    rows = db.execute(con, _ORDER_DAYS.format(daily=daily),
                      [list(account_ids), list(range(len(account_ids))), last]).fetchnumpy()
    return OrderDays(rows["k"], rows["day"], len(account_ids), rows["amount"])
