"""Key-contact facts per account and as-of date: key contacts, and the key contacts who left in the health and risk
windows (the latest of those, with the date).

In: a connection, Settings (health.window_days, risk.key_contact_left_days), as-of dates and account ids. Out:
`contact_facts` -> column -> 2-D array, one row per date and one column per account, in the order given
(CONTACT_COLUMNS; kam.health_facts joins them to the other facts). Definitions (docs/metrics.md): only key contacts
count, and only from their start (always when it is unknown); one left in a window (start, end] when their end date
falls in it; key_left_date and key_left_name are the latest departure in the risk window (NaT and None without
one; of several on that day, the name sorting last).
Why numpy: the contacts are a few rows per account, checked at a dozen dates by array comparisons.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import numpy as np

from kam import db
from kam.dated_rows import dates_or_nat, day_numbers

CONTACT_COLUMNS = ("key_contacts", "key_left_health", "key_left_risk", "key_left_date", "key_left_name")

# Sorted by end date, then name: the last row of a cell is its latest departure.
_KEY_CONTACTS = """WITH acc AS (SELECT unnest(?::VARCHAR[]) AS account_id, unnest(?::BIGINT[]) AS k)
SELECT acc.k, coalesce((c.active_from - DATE '1970-01-01')::DOUBLE, 'NaN') AS started,
       coalesce((c.active_to - DATE '1970-01-01')::DOUBLE, 'NaN') AS ended, c.name
FROM contacts c JOIN acc USING (account_id)
WHERE c.is_key
ORDER BY c.active_to NULLS FIRST, c.name"""


def contact_facts(con: duckdb.DuckDBPyConnection, settings, dates: Sequence[dt.date],
                  account_ids: Sequence[str]) -> dict[str, np.ndarray]:
    """CONTACT_COLUMNS at each of `dates` (rows) for each of `account_ids` (columns); see the module docstring."""
    n, shape = len(account_ids), (len(dates), len(account_ids))
    found = db.execute(con, _KEY_CONTACTS, [list(account_ids), list(range(n))]).fetchnumpy()
    started, ended = found["started"][None, :], found["ended"][None, :]
    now = day_numbers(dates).astype(float)[:, None]                                  # dates x contacts
    cell = np.arange(len(dates))[:, None] * n + found["k"][None, :]
    present = np.isnan(started) | (started <= now)
    gone = present & (ended <= now)

    def left_within(days: int) -> np.ndarray:
        return gone & (ended > now - days)

    risk_window = left_within(settings.risk.key_contact_left_days)
    latest = np.full(shape[0] * shape[1], -1)
    np.maximum.at(latest, cell[risk_window], np.broadcast_to(np.arange(len(found["k"])), cell.shape)[risk_window])
    latest = latest.reshape(shape)
    names = np.append(np.asarray(found["name"], dtype=object), None)   # row -1 (none) reads None
    ended_day = np.append(np.nan_to_num(found["ended"]), 0).astype(np.int64)  # read only where latest >= 0
    return {
        "key_contacts": _count(cell, present, shape),
        "key_left_health": _count(cell, left_within(settings.health.window_days), shape),
        "key_left_risk": _count(cell, risk_window, shape),
        "key_left_date": dates_or_nat(latest >= 0, ended_day[latest]),
        "key_left_name": names[latest],
    }


def _count(cell: np.ndarray, keep: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """How many of the kept (date, contact) pairs fall in each (date, account) cell."""
    return np.bincount(cell[keep], minlength=shape[0] * shape[1]).reshape(shape)
