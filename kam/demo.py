"""The deterministic demo company: a seeded, realistic key-account data set that makes a first start meaningful.

In: an already-migrated database connection (kam.db.connect) and a seed. Out: every canonical table filled in ONE
transaction; `build` returns the row count per table. The same seed and sizes give byte-for-byte the same table
contents: nothing reads today's date or an unseeded generator, and ids are stable (A0001, SO-000001, ...).
Each part draws from its own generator (seed, part): changing n_orders changes only orders and payments.

The data carries stories a demo should reveal; `STORIES` names the account that shows each one (see
kam/demo_*.py for how each is made). The parts live in kam/demo_accounts.py, demo_orders.py, demo_activity.py and
demo_pipeline.py; word pools in kam/demo_names.py.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from kam import db, derived, order_days
from kam.demo_accounts import ACCOUNT_COLUMNS, contacts_frame, owners_frame, plan_accounts
from kam.demo_activity import events_frame, follow_ups_frame, interactions_frame
from kam.demo_orders import orders_frame, payments_frame
from kam.demo_pipeline import opportunities_frame
from kam.settings.funnel import FunnelSettings

DEFAULT_END = dt.date(2026, 11, 20)

STORIES: dict[str, str] = {
    "slipping": "A0012",              # a big account whose orders stopped for > 4x its usual interval (>= 150 days)
    "growing": "A0027",               # last 12 months' revenue about 3x the 12 months before
    "contract_expiring": "A0008",     # contract ends 21 days after the end date
    "key_contact_left": "A0019",      # its main key contact left 25 days before the end date
    "rising_complaints": "A0005",     # the biggest account: 5 complaints in the last 90 days, NPS falling 9 -> 2
    "overdue_receivables": "A0033",   # a large invoice 100-250 days overdue, 30% paid
}
MIN_ACCOUNTS = 40   # the story accounts are numbered up to A0033

# Insertion order respects references (accounts before orders ...); deletion runs the other way.
TABLES = ("owners", "accounts", "contacts", "orders", "payments", "interactions", "opportunities",
          "opportunity_stage_history", "follow_ups", "follow_up_events")
CLEARED_ON_REPLACE = (*reversed(TABLES), "import_batches")


def generate(*, seed: int = 7, n_accounts: int = 300, n_orders: int = 100_000, n_opportunities: int = 2_000,
             end: dt.date = DEFAULT_END) -> dict[str, pd.DataFrame]:
    """Every table of the demo company as DataFrames (follow-up ids numbered from 1), without touching a database."""
    if n_accounts < MIN_ACCOUNTS:
        raise ValueError(f"the demo company needs at least {MIN_ACCOUNTS} accounts (got {n_accounts})")

    def rng(part: int) -> np.random.Generator:
        return np.random.default_rng([seed, part])

    owners = owners_frame()
    plan = plan_accounts(rng(1), n_accounts, STORIES, end)
    orders = orders_frame(rng(2), plan, n_orders, STORIES, end)
    opportunities, history = opportunities_frame(rng(6), plan, n_opportunities, FunnelSettings().stages, end)
    follow_ups = follow_ups_frame(rng(7), plan, STORIES, end, dict(zip(owners["name"], owners["manager"])))
    follow_ups.insert(0, "follow_up_id", np.arange(1, len(follow_ups) + 1))
    events = events_frame(follow_ups)
    events.insert(0, "event_id", np.arange(1, len(events) + 1))
    return {
        "owners": owners, "accounts": plan[ACCOUNT_COLUMNS],
        "contacts": contacts_frame(rng(3), plan, STORIES["key_contact_left"], end),
        "orders": orders, "payments": payments_frame(rng(4), plan, orders, STORIES["overdue_receivables"], end),
        "interactions": interactions_frame(rng(5), plan, STORIES["rising_complaints"], end),
        "opportunities": opportunities, "opportunity_stage_history": history,
        "follow_ups": follow_ups, "follow_up_events": events,
    }


def _reserve(con: duckdb.DuckDBPyConnection, sequence: str, n: int) -> int:
    """Take `n` consecutive values of a sequence (so later app inserts never collide); return the first."""
    # db.query, not db.scalar: fetchone leaves the result open, and DuckDB then refuses con.register.
    taken = db.query(con, "SELECT nextval(?) AS v FROM range(?)", [sequence, max(n, 1)])["v"]
    return int(taken.min())


def build(con: duckdb.DuckDBPyConnection, *, seed: int = 7, n_accounts: int = 300, n_orders: int = 100_000,
          n_opportunities: int = 2_000, end: dt.date = DEFAULT_END, replace: bool = False) -> dict[str, int]:
    """Fill an empty, migrated database with the demo company in one transaction; return rows per table.

    With `replace`, the rows already in the data tables (and import_batches) are deleted first, in the same
    transaction. Settings versions are kept.
    """
    frames = generate(seed=seed, n_accounts=n_accounts, n_orders=n_orders, n_opportunities=n_opportunities, end=end)
    counts = {}
    with db.transaction(con):
        if replace:
            for table in CLEARED_ON_REPLACE:
                db.execute(con, f"DELETE FROM {db.quote_ident(table)}")
        # Ids are numbered from 1 in `generate`; shift them onto the sequences (a no-op in a fresh database).
        shift = _reserve(con, "seq_follow_up", len(frames["follow_ups"])) - 1
        event_shift = _reserve(con, "seq_follow_up_event", len(frames["follow_up_events"])) - 1
        frames["follow_ups"]["follow_up_id"] += shift
        frames["follow_up_events"]["follow_up_id"] += shift
        frames["follow_up_events"]["event_id"] += event_shift
        for table in TABLES:
            counts[table] = db.insert_frame(con, table, frames[table])
        derived.refresh(con, TABLES)
    order_days.ensure(con)  # built now, so the first page load does not pay for it
    return counts
