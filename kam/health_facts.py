"""The raw facts behind health and early warnings, one row per account and date, assembled from the numpy fact
modules: kam.order_facts, kam.receivable_facts, kam.interaction_facts and kam.contact_facts.

In: a connection, Settings (the health and risk windows), one or more as-of dates, a Scope and optionally a list of
account ids. Out: a DataFrame with one row per as-of date and account in scope (accounts without any orders or
interactions included): order dates and the usual interval between them, revenue and order counts in the
comparison windows, overdue receivables, last engagement, complaints, the latest NPS answer, key-contact
departures and the contract end. Nothing is scored here: kam.health turns facts into scores, kam.risk_rules into
warnings. Only data dated on or before as_of is read, so any past date gives the facts as they stood then.
Why numpy: at the 16 dates of the Overview the facts took about 150-190 ms in one SQL statement for 300 accounts
(1M order lines) and 2.9-3.4 s for 10,000 accounts; each fact module answers every date at once with binary
searches or array comparisons (each is tested by hand, the order and interaction facts also against per-window
references). The receivables and contacts were the last SQL join to every date (about 20 ms of 45 at 1M lines).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from kam import db
from kam.arrays import unmasked
from kam.columns import Columns
from kam.contact_facts import CONTACT_COLUMNS, contact_facts
from kam.interaction_facts import INTERACTION_COLUMNS, interaction_facts
from kam.order_facts import ORDER_COLUMNS, order_facts
from kam.receivable_facts import RECEIVABLE_COLUMNS, receivable_facts
from kam.scope import Scope, account_filter

# The facts after the account's own columns and as_of, in this order.
FACT_COLUMNS = (*ORDER_COLUMNS, *RECEIVABLE_COLUMNS, *INTERACTION_COLUMNS, *CONTACT_COLUMNS)

# The accounts of the scope (optionally only some ids), in the order of the facts' rows within each date.
_ACCOUNTS = """SELECT a.account_id, a.name, a.owner, a.contract_end_date FROM accounts a
WHERE {condition} AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], a.account_id))
ORDER BY a.account_id"""

_ACCOUNT_COLUMNS = ("account_id", "name", "owner", "contract_end_date")
_NULLABLE_INTEGERS = {"days_since_order": "Int64", "days_since_engagement": "Int64", "nps_latest": "Int32"}


def account_facts(con: duckdb.DuckDBPyConnection, settings, as_of: dt.date | Sequence[dt.date],
                  scope: Scope = Scope(), account_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per account in scope (optionally only `account_ids`) and as-of date (one date or several) with
    the raw facts as of that date (column `as_of`), ordered by date then account."""
    return fact_columns(con, settings, as_of, scope, account_ids).to_frame(_NULLABLE_INTEGERS)


def fact_columns(con: duckdb.DuckDBPyConnection, settings, as_of: dt.date | Sequence[dt.date],
                 scope: Scope = Scope(), account_ids: Sequence[str] | None = None) -> Columns:
    """`account_facts` as numpy columns (kam.columns) for the scores: dates datetime64[us] (NaT when missing),
    the whole numbers that can be missing as floats (NaN when missing)."""
    dates = sorted([as_of] if isinstance(as_of, dt.date) else as_of)
    condition, scope_params = account_filter(scope, "a")
    ids = None if account_ids is None else [str(a) for a in account_ids]
    accounts = db.execute(con, _ACCOUNTS.format(condition=condition), [*scope_params, ids, ids]).fetchnumpy()
    wanted = list(accounts["account_id"])
    found = {**order_facts(con, settings, dates, wanted), **receivable_facts(con, dates, wanted),
             **interaction_facts(con, settings, dates, wanted), **contact_facts(con, settings, dates, wanted)}
    rows = np.tile(np.arange(len(wanted)), len(dates))   # dates outer, accounts inner
    columns = {name: unmasked(accounts[name])[rows] for name in _ACCOUNT_COLUMNS}
    columns["as_of"] = np.repeat(np.array(dates, dtype="datetime64[us]"), len(wanted))
    columns.update({name: _dated(found[name].ravel()) for name in FACT_COLUMNS})
    return Columns(columns)


def _dated(values: np.ndarray) -> np.ndarray:
    """Dates as datetime64[us] (as the frame's other dates), anything else as it is."""
    return values.astype("datetime64[us]") if values.dtype.kind == "M" else values
