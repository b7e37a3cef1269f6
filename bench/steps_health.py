"""Health and early warnings at 1M order lines against a bare DuckDB GROUP BY account over the same orders, measured
in the same run: the health table (every account, every measure) and the warning list (every rule, with "active
since" traced for the trend rules), each within 10x of the baseline, and what the Account 360 health section
computes for one account (reported without a target).

Runs on a private copy of the demo database (bench/common.demo_database), opened read-only, so a page or another
step holding the shared file cannot lock it.
"""
from __future__ import annotations

import datetime as dt
import shutil
import sys

from bench.common import OUT, best_of, demo_database, report
from kam import accounts, db, health, health_views, risk
from kam.settings import Settings

SIZE = 1_000_000
TARGET = 10.0
_BASELINE = "SELECT account_id, count(*) AS n, sum(amount) AS revenue, max(order_date) AS last FROM orders GROUP BY 1"


def _copy(n_orders: int):
    source = demo_database(n_orders)
    target = OUT / f"health_{n_orders}.duckdb"
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        shutil.copyfile(source, target)
    return target


def _account(con, settings, as_of, account: str) -> None:
    """What the Account 360 health section computes for its busiest account."""
    health.health_table(con, settings, as_of, account_ids=[account])
    health.health_change(con, settings, as_of, as_of - dt.timedelta(days=settings.health.compare_days), account)
    health_views.health_history(con, settings, as_of, account)
    risk.warning_list(con, settings, as_of, account_ids=[account])


def run(n_orders: int = SIZE) -> list[dict]:
    con = db.connect(_copy(n_orders), read_only=True)
    try:
        settings, as_of = Settings(), accounts.data_as_of(con)
        orders = db.scalar(con, "SELECT count(*) FROM orders")
        base = best_of(lambda: db.query(con, _BASELINE))
        label = f"{orders / 1e6:.1f}M orders"
        account = db.scalar(con, "SELECT account_id FROM orders GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
        return [
            report(f"health_table ({label})", best_of(lambda: health.health_table(con, settings, as_of)), base,
                   "GROUP BY", TARGET),
            report(f"warning_list ({label})", best_of(lambda: risk.warning_list(con, settings, as_of)), base,
                   "GROUP BY", TARGET),
            report(f"Account 360 health section data ({label})", best_of(lambda: _account(con, settings, as_of,
                                                                                            account)),
                   base, "GROUP BY"),
        ]
    finally:
        con.close()


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else SIZE)
