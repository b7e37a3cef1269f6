"""Follow-ups and cadence at volume, each against a bare DuckDB statement doing the same core work in the same run:

- a versioned update (read the row, UPDATE ... WHERE version = ?, append the event, one transaction) against a bare
  UPDATE of the same column: the price of never losing an edit;
- one owner's follow-up list (with the account join, overdue flags, sorted by due date) against a bare
  SELECT ... WHERE owner = ? ORDER BY due_date;
- cadence status of every account (last contact by channel, tier cadence, overdue) against a bare
  GROUP BY account over the interactions.

The data (10k accounts, 200k follow-ups, 1M interactions) is generated in DuckDB with range().
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from bench.common import OUT, best_of, report
from kam import cadence, db, followups
from kam.settings import Settings

ACCOUNTS, FOLLOW_UPS, INTERACTIONS, EDITS = 10_000, 200_000, 1_000_000, 300
AS_OF = dt.date(2026, 6, 30)
TARGETS = {"update": 10.0, "list": 5.0, "cadence": 5.0}

_SQL = (
    """INSERT INTO accounts (account_id, name, region, owner)
       SELECT 'A' || i, 'Account ' || i, ['华东', '华北'][i % 2 + 1], 'owner' || (i % 40) FROM range(?) t(i)""",
    """INSERT INTO follow_ups (account_id, owner, due_date, channel, action, status, created_by, updated_by)
       SELECT 'A' || (i % ?), 'owner' || (i % 40), DATE '2026-01-01' + (i % 365)::INTEGER, 'call', 'call ' || i,
              ['open', 'in_progress', 'done', 'cancelled'][i % 4 + 1], 'bench', 'bench' FROM range(?) t(i)""",
    """INSERT INTO interactions (interaction_id, account_id, interaction_date, channel)
       SELECT 'I' || i, 'A' || (hash(i) % ?), DATE '2025-01-01' + (i % 540)::INTEGER,
              ['visit', 'call', 'email', 'complaint', 'survey'][i % 5 + 1] FROM range(?) t(i)""",
)


def _database():
    OUT.mkdir(exist_ok=True)
    path = OUT / f"followups_{FOLLOW_UPS}.duckdb"
    if not path.exists():
        con = db.connect(path)
        with db.transaction(con):
            for sql, params in zip(_SQL, ([ACCOUNTS], [ACCOUNTS, FOLLOW_UPS], [ACCOUNTS, INTERACTIONS])):
                db.execute(con, sql, params)
        con.close()
    return db.connect(path)


def _versioned_updates(con, start: int) -> None:
    for n in range(EDITS):
        row = followups.get(con, start + n)
        followups.update(con, start + n, {"outcome": f"note {row['version']}"}, version=row["version"], user="bench")


def _bare_updates(con, start: int) -> None:
    for n in range(EDITS):
        con.execute("UPDATE follow_ups SET outcome = ? WHERE follow_up_id = ?", [f"bare {n}", start + n])


def run() -> list[dict]:
    con = _database()
    tiers = pd.DataFrame({"account_id": [f"A{i}" for i in range(ACCOUNTS)],
                          "tier_rank": [i % 3 for i in range(ACCOUNTS)]})
    results = [
        report("followups: 300 versioned updates + events", best_of(lambda: _versioned_updates(con, 1), 1),
               best_of(lambda: _bare_updates(con, 1001), 1), "bare UPDATE", TARGETS["update"]),
        report("followups: one owner's list (5k rows)",
               best_of(lambda: followups.follow_up_list(con, AS_OF, owner="owner7")),
               best_of(lambda: con.execute("SELECT * FROM follow_ups WHERE owner = ? ORDER BY due_date",
                                           ["owner7"]).df()), "bare SELECT", TARGETS["list"]),
        report("cadence: status of 10k accounts (1M interactions)",
               best_of(lambda: cadence.contact_status(con, Settings(), AS_OF, tiers)),
               best_of(lambda: con.execute("SELECT account_id, max(interaction_date) FROM interactions "
                                           "GROUP BY account_id").df()), "bare GROUP BY", TARGETS["cadence"]),
    ]
    con.close()
    return results
