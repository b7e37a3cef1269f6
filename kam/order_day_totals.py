"""The order days of many accounts in numpy, with running totals of their amounts and margins.

In: a connection, account ids and a last date. Out: `read` -> `OrderDays`, the order days (kam.order_days) of those
accounts up to that date, sorted by account and day (kam.dated_rows), whose running totals give any window's
revenue, margin and margined revenue as the difference of two of them (`window`). kam.order_facts (health and
warnings) and kam.tier_measures (tiers) compute their window measures from it.
Amounts are summed exactly to 6 decimals (integer millionths, as DuckDB's DECIMAL(38, 6)), so an empty window, or
one whose orders and returns cancel, is exactly 0.
`shared(con, last)`: inside this block (and in threads run with a copy of its context) every read of accounts
and a last date it covers takes its rows from one read of every account's order days, made on entry. Why: the
scoreboard's tier measures, order facts and "active since" re-checks each read the order days, about 25 ms
each at 1M order lines. A block must not change orders; its reads may see order days after their `last`, which no
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
SELECT acc.k, (d.order_date - DATE '1970-01-01')::BIGINT AS day, d.amount{margins}
FROM ({daily}) d JOIN acc USING (account_id)"""
_MARGINS = ", coalesce(d.margin, 0) AS margin, coalesce(d.margined_amount, 0) AS margined_amount"
# Every account's order days from the stored table: a scan in stored (account, date) order, no join.
_EVERY_ORDER_DAY = f"""SELECT d.account_no, (d.order_date - DATE '1970-01-01')::BIGINT AS day, d.amount{_MARGINS}
FROM order_days d WHERE d.order_date <= ?::DATE"""


class OrderDays(DatedRows):
    """The order days of the accounts (see kam.dated_rows) with running totals (`totals`: amount, and margin and
    margined_amount when read)."""

    def __init__(self, k: np.ndarray, day: np.ndarray, n_accounts: int, amounts: dict[str, np.ndarray]):
        super().__init__(k, day, n_accounts)
        self.totals = {name: _running_total(values.astype(float, copy=False)[self.order])
                       for name, values in amounts.items()}

    def subset(self, accounts: np.ndarray) -> OrderDays:
        """The rows of `accounts` (account numbers here), renumbered 0..len-1 in that order."""
        renumber = np.full(len(self.start), -1)
        renumber[accounts] = np.arange(len(accounts))
        k = renumber[self.account]
        keep = k >= 0
        out = object.__new__(OrderDays)
        DatedRows.__init__(out, k[keep], self.day[keep], len(accounts))
        # each row's own amount is the step of its running total (exact millionths stay exact)
        out.totals = {name: np.concatenate([totals[:1], np.cumsum(np.diff(totals)[keep][out.order])])
                      for name, totals in self.totals.items()}
        return out

    def window(self, name: str, end: np.ndarray, start: np.ndarray) -> np.ndarray:
        """The sum of `name` over the order days in (start, end], given as positions (see `position`)."""
        return (self.totals[name][end] - self.totals[name][start]) / _MICRO


def _running_total(amount: np.ndarray) -> np.ndarray:
    """Running totals (in millionths) with a leading 0: a window's sum is the difference of two of them."""
    if np.abs(amount).sum() < _EXACT_UP_TO:   # so no running total of millionths can leave int64
        return np.concatenate([[0], np.cumsum(np.rint(amount * _MICRO).astype(np.int64))])
    return np.concatenate([[0.0], np.cumsum(amount * _MICRO)])


class _Shared:
    """Every account's order days up to `last`, with margins (see `shared`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, last: dt.date):
        self.ids = list(db.query(con, "SELECT account_id FROM accounts ORDER BY account_id")["account_id"])
        self.number = {account: k for k, account in enumerate(self.ids)}
        self.last = last
        self.days = self._every(con) if order_days.ensure(con) else _read(con, self.ids, last, margins=True)

    def _every(self, con: duckdb.DuckDBPyConnection) -> OrderDays:
        """Every account's order days from the stored table, its account numbers turned into positions in ids
        (rows of accounts not in the accounts table dropped)."""
        stored = db.query(con, "SELECT account_no, account_id FROM order_day_accounts")
        position = np.full(len(stored) + 1, -1)
        position[stored["account_no"].to_numpy()] = [self.number.get(a, -1) for a in stored["account_id"]]
        rows = db.execute(con, _EVERY_ORDER_DAY, [self.last]).fetchnumpy()
        k = position[rows["account_no"]]
        keep = k >= 0
        return OrderDays(k[keep], rows["day"][keep], len(self.ids),
                         {name: rows[name][keep] for name in ("amount", "margin", "margined_amount")})

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


def read(con: duckdb.DuckDBPyConnection, account_ids: Sequence[str], last: dt.date,
         margins: bool = False) -> OrderDays:
    """The order days on or before `last` of `account_ids` (account k is account_ids[k]); with `margins`, the
    running totals of margin and margined_amount too (a day's unknown margins count 0 in both)."""
    block = _shared.get()
    found = None if block is None else block.rows_of(account_ids, last)
    return found if found is not None else _read(con, account_ids, last, margins)


def _read(con: duckdb.DuckDBPyConnection, account_ids: Sequence[str], last: dt.date, margins: bool) -> OrderDays:
    daily = order_days.daily_sql(order_days.ensure(con), "order_date <= ?::DATE")
    sql = _ORDER_DAYS.format(daily=daily, margins=_MARGINS if margins else "")
    rows = db.execute(con, sql, [list(account_ids), list(range(len(account_ids))), last]).fetchnumpy()
    names = ("amount", "margin", "margined_amount") if margins else ("amount",)
    return OrderDays(rows["k"], rows["day"], len(account_ids), {name: rows[name] for name in names})
