"""Receivable facts per account and as-of date: invoices issued, and the amount and age of what is overdue.

In: a connection, as-of dates and account ids. Out: `receivable_facts` -> column -> 2-D array, one row per date and
one column per account, in the order given (RECEIVABLE_COLUMNS; kam.health_facts joins them to the other facts).
Definitions (docs/metrics.md): an invoice counts from its invoice date (its due date when that is unknown); at a
date it is still open when not paid by then; its outstanding amount is the amount less what was paid while it is
unpaid, the whole amount when it was paid later; it is overdue when still open, outstanding and due before the
date. overdue_days is the age of the oldest overdue invoice (0 without one).
Why numpy: a few thousand invoices checked at a dozen dates are a few array comparisons, where the SQL joining
every invoice to every date cost more than the rest of the facts.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import numpy as np

from kam import db

RECEIVABLE_COLUMNS = ("invoices", "overdue_amount", "overdue_days")

# Day numbers as DOUBLE, NaN where the date is unknown (a comparison with NaN is False, as with NULL in SQL).
_PAYMENTS = """WITH acc AS (SELECT unnest(?::VARCHAR[]) AS account_id, unnest(?::BIGINT[]) AS k)
SELECT acc.k, (coalesce(p.invoice_date, p.due_date) - DATE '1970-01-01')::DOUBLE AS issued,
       coalesce((p.due_date - DATE '1970-01-01')::DOUBLE, 'NaN') AS due,
       coalesce((p.paid_date - DATE '1970-01-01')::DOUBLE, 'NaN') AS paid,
       CASE WHEN p.paid_date IS NULL THEN p.amount - coalesce(p.amount_paid, 0) ELSE p.amount END AS outstanding
FROM payments p JOIN acc USING (account_id)
WHERE coalesce(p.invoice_date, p.due_date) <= ?::DATE"""


def receivable_facts(con: duckdb.DuckDBPyConnection, dates: Sequence[dt.date],
                     account_ids: Sequence[str]) -> dict[str, np.ndarray]:
    """RECEIVABLE_COLUMNS at each of `dates` (rows) for each of `account_ids` (columns); see the module docstring."""
    n = len(account_ids)
    found = db.execute(con, _PAYMENTS, [list(account_ids), list(range(n)),
                                        max(dates, default=dt.date.min)]).fetchnumpy()
    k, issued, due, paid = found["k"], found["issued"], found["due"], found["paid"]
    outstanding = found["outstanding"]
    now = np.array(dates, dtype="datetime64[D]").astype(np.int64).astype(float)[:, None]   # dates x invoices
    cell = np.arange(len(dates))[:, None] * n + k[None, :]                                # (date, account) cell
    issued_by = issued[None, :] <= now
    overdue = issued_by & ~(paid[None, :] <= now) & (outstanding[None, :] > 0) & (due[None, :] < now)
    size = len(dates) * n
    oldest = np.full(size, np.inf)
    np.minimum.at(oldest, cell[overdue], np.broadcast_to(due, overdue.shape)[overdue])
    oldest = oldest.reshape(len(dates), n)
    return {
        "invoices": np.bincount(cell[issued_by], minlength=size).reshape(len(dates), n),
        # float even when nothing is overdue (bincount of nothing gives integers)
        "overdue_amount": np.bincount(cell[overdue], weights=np.broadcast_to(outstanding, overdue.shape)[overdue],
                                      minlength=size).astype(float).reshape(len(dates), n),
        "overdue_days": np.where(np.isinf(oldest), 0, now - oldest).astype(np.int64),
    }
