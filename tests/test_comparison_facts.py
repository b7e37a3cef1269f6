"""Comparison-window facts on the tiny fixture (tests/fixtures/tiny/orders.csv), windows of 90 days."""
import datetime as dt

import pandas as pd

from kam.comparison_facts import COLUMNS, comparison_facts
from kam.health_facts import account_facts
from kam.settings import Settings

DATES = [dt.date(2026, 1, 15), dt.date(2026, 5, 10)]
ACCOUNTS = ["A001", "A002", "A003"]
DEFAULTS = Settings()


def test_revenue_and_order_days_now_and_a_year_earlier_by_hand(tiny):
    got = comparison_facts(tiny, DEFAULTS, DATES, ACCOUNTS)
    rows = [tuple(r) for r in got[["account_id", *COLUMNS]].itertuples(index=False)]
    assert rows == [
        # 2026-01-15: (2025-10-17, 2026-01-15] holds SO-2 (150,000) and SO-3 net of its return (180,000)
        ("A001", 330000.0, 0.0, 2, 0), ("A002", 0.0, 0.0, 0, 0), ("A003", 0.0, 0.0, 0, 0),
        # 2026-05-10: A002 ordered 40,000 on 2026-03-01, and 80,000 on 2025-05-01, inside the window a year back
        ("A001", 0.0, 0.0, 0, 0), ("A002", 40000.0, 80000.0, 1, 1), ("A003", 0.0, 0.0, 0, 0)]
    assert got["as_of"].tolist() == [pd.Timestamp(DATES[0])] * 3 + [pd.Timestamp(DATES[1])] * 3


def test_the_same_values_as_the_full_account_facts(tiny):
    light = comparison_facts(tiny, DEFAULTS, DATES, ACCOUNTS)
    full = account_facts(tiny, DEFAULTS, DATES, account_ids=ACCOUNTS)
    assert light[list(COLUMNS)].to_numpy().tolist() == full[list(COLUMNS)].to_numpy().tolist()
