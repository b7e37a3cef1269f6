"""kam.order_facts: by hand on the tiny fixture (tests/fixtures/tiny/orders.csv), and against a plain per-window
reference (loops, exact decimals, statistics.median) on random order days."""
import datetime as dt
import random
import statistics
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from kam import db, order_days
from kam.dated_rows import year_before
from kam.order_facts import ORDER_COLUMNS, order_facts, order_facts_frame
from kam.settings import Settings

DEFAULTS = Settings()   # trend window 180 days, comparison window 90, interval lookback 730


def _row(found: dict, date_index: int, account_index: int) -> dict:
    return {name: found[name][date_index, account_index] for name in ORDER_COLUMNS}


def test_by_hand_on_the_tiny_fixture(tiny):
    found = order_facts(tiny, DEFAULTS, [dt.date(2026, 1, 15)], ["A001", "A002", "A003"])
    a001, a002, a003 = (_row(found, 0, k) for k in range(3))
    # A001 ordered on 2025-07-15, 2025-10-20 and 2026-01-10 (200,000 less a 20,000 return): gaps of 97 and 82 days
    assert a001["last_order_date"] == np.datetime64("2026-01-10")
    assert (a001["days_since_order"], a001["usual_interval"], a001["interval_orders"]) == (5, 89.5, 3)
    assert a001["revenue_12m"] == 430000.0
    # the trend window (2025-07-19, 2026-01-15] leaves out 2025-07-15; a year earlier there was nothing
    assert (a001["revenue_trend_now"], a001["order_days_trend_now"]) == (330000.0, 2)
    assert (a001["revenue_trend_before"], a001["order_days_trend_before"]) == (0.0, 0)
    assert (a001["revenue_cmp_now"], a001["order_days_cmp_now"]) == (330000.0, 2)
    # A002: one order day in the lookback, so no usual interval
    assert a002["last_order_date"] == np.datetime64("2025-05-01") and a002["days_since_order"] == 259
    assert np.isnan(a002["usual_interval"]) and a002["interval_orders"] == 1 and a002["revenue_12m"] == 80000.0
    # A003 never ordered
    assert np.isnat(a003["last_order_date"]) and np.isnan(a003["days_since_order"])
    assert (a003["interval_orders"], a003["revenue_12m"]) == (0, 0.0)


def test_the_comparison_windows_now_and_a_year_earlier_as_a_long_frame(tiny):
    dates = [dt.date(2026, 1, 15), dt.date(2026, 5, 10)]
    got = order_facts_frame(tiny, DEFAULTS, dates, ["A001", "A002", "A003"])
    columns = ["revenue_cmp_now", "revenue_cmp_before", "order_days_cmp_now", "order_days_cmp_before"]
    assert [tuple(r) for r in got[["account_id", *columns]].itertuples(index=False)] == [
        # 2026-01-15: (2025-10-17, 2026-01-15] holds SO-2 (150,000) and SO-3 net of its return (180,000)
        ("A001", 330000.0, 0.0, 2, 0), ("A002", 0.0, 0.0, 0, 0), ("A003", 0.0, 0.0, 0, 0),
        # 2026-05-10: A002 ordered 40,000 on 2026-03-01, and 80,000 on 2025-05-01, inside the window a year back
        ("A001", 0.0, 0.0, 0, 0), ("A002", 40000.0, 80000.0, 1, 1), ("A003", 0.0, 0.0, 0, 0)]
    assert got["as_of"].tolist() == [pd.Timestamp(dates[0])] * 3 + [pd.Timestamp(dates[1])] * 3
    assert got["days_since_order"].tolist() == [5, 259, pd.NA, 120, 70, pd.NA]


def test_nothing_after_as_of_is_read(tiny):
    found = order_facts(tiny, DEFAULTS, [dt.date(2025, 10, 19), dt.date(2025, 10, 20)], ["A001"])
    assert found["last_order_date"][:, 0].tolist() == [np.datetime64("2025-07-15"), np.datetime64("2025-10-20")]
    assert found["revenue_12m"][:, 0].tolist() == [100000.0, 250000.0]
    assert np.isnan(found["usual_interval"][0, 0]) and found["usual_interval"][1, 0] == 97.0


def test_amounts_too_large_for_exact_millionths_are_summed_as_floats():
    con = db.connect()
    with db.transaction(con):
        db.insert_frame(con, "accounts", pd.DataFrame({"account_id": ["BIG"], "name": ["BIG"]}))
        db.insert_frame(con, "orders", pd.DataFrame({"order_id": ["O1", "O2"], "account_id": ["BIG", "BIG"],
                                                     "order_date": [dt.date(2026, 1, 5), dt.date(2026, 2, 5)],
                                                     "amount": [6e12, 4e12]}))
    found = order_facts(con, DEFAULTS, [dt.date(2026, 1, 31), dt.date(2026, 3, 31)], ["BIG"])
    assert found["revenue_12m"][:, 0].tolist() == [6e12, 1e13]   # 1e13 is past the int64 millionths limit


def test_a_year_before_29_february_is_28_february():
    assert year_before(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)
    assert year_before(dt.date(2025, 3, 1)) == dt.date(2024, 3, 1)


def test_no_accounts_and_no_dates_give_empty_columns(tiny):
    assert order_facts(tiny, DEFAULTS, [dt.date(2026, 1, 15)], [])["revenue_12m"].shape == (1, 0)
    assert order_facts(tiny, DEFAULTS, [], ["A001"])["usual_interval"].shape == (0, 1)


def _random_company(seed: int):
    """Accounts A00..A11 with random order days (some returns, one order cancelled by its return) since 2022."""
    rng = random.Random(seed)
    con = db.connect()
    accounts = [f"A{k:02d}" for k in range(12)]
    orders = []
    for k, account in enumerate(accounts[:-1]):   # the last account never orders
        day = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(400))
        for line in range(rng.randrange(1, 60) if k else 1):
            amount = Decimal(rng.randrange(-5_000, 200_000)) / 100
            orders.append((f"{account}-{line}", account, day, float(amount)))
            day += dt.timedelta(days=rng.choice([1, 2, 7, 30, 31, 45, 90, 200]))
    orders += [("X-1", "A03", dt.date(2024, 2, 29), 1234.56), ("X-2", "A03", dt.date(2024, 2, 29), -1234.56)]
    with db.transaction(con):
        db.insert_frame(con, "accounts", pd.DataFrame({"account_id": accounts, "name": accounts}))
        db.insert_frame(con, "orders", pd.DataFrame(orders, columns=["order_id", "account_id", "order_date", "amount"]))
    order_days.ensure(con)
    return con, accounts, orders


def _reference(orders, account: str, as_of: dt.date, settings: Settings) -> dict:
    """The facts by their definitions, one window at a time."""
    by_day: dict[dt.date, Decimal] = {}
    for _, who, day, amount in orders:
        if who == account and day <= as_of:
            by_day[day] = by_day.get(day, Decimal(0)) + Decimal(str(amount))
    days = sorted(by_day)

    def window(start: dt.date, end: dt.date) -> tuple[float, int]:
        inside = [d for d in days if start < d <= end]
        return float(sum((by_day[d] for d in inside), Decimal(0))), len(inside)

    hs, back = settings.health, dt.timedelta
    ly, lookback = year_before(as_of), as_of - back(days=hs.interval_lookback_days)
    recent = [d for d in days if d > lookback]
    gaps = [(b - a).days for a, b in zip(recent, recent[1:])]
    trend, cmp_w = back(days=hs.trend_window_days), back(days=settings.risk.comparison_window_days)
    facts = {"last_order_date": days[-1] if days else None, "usual_interval": statistics.median(gaps) if gaps
             else None, "interval_orders": len(recent), "revenue_12m": window(ly, as_of)[0]}
    for name, (start, end) in {"trend_now": (as_of - trend, as_of), "trend_before": (ly - trend, ly),
                               "cmp_now": (as_of - cmp_w, as_of), "cmp_before": (ly - cmp_w, ly)}.items():
        facts[f"revenue_{name}"], facts[f"order_days_{name}"] = window(start, end)
    return facts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_fact_equals_the_per_window_reference_on_random_order_days(seed):
    con, accounts, orders = _random_company(seed)
    dates = [dt.date(2021, 12, 31), dt.date(2023, 6, 30), dt.date(2024, 2, 29), dt.date(2024, 3, 1),
             dt.date(2025, 1, 1), dt.date(2025, 7, 15), dt.date(2027, 1, 1)]
    found = order_facts(con, DEFAULTS, dates, accounts)
    for j, as_of in enumerate(dates):
        for k, account in enumerate(accounts):
            got, want = _row(found, j, k), _reference(orders, account, as_of, DEFAULTS)
            last = None if np.isnat(got["last_order_date"]) else got["last_order_date"].astype(dt.date)
            interval = None if np.isnan(got["usual_interval"]) else got["usual_interval"]
            assert (last, interval) == (want["last_order_date"], want["usual_interval"]), (as_of, account)
            assert {c: got[c] for c in want if c not in ("last_order_date", "usual_interval")} == \
                {c: v for c, v in want.items() if c not in ("last_order_date", "usual_interval")}, (as_of, account)


def test_only_the_columns_asked_for_with_the_same_values(tiny):
    dates, ids = [dt.date(2026, 1, 15), dt.date(2026, 5, 10)], ["A001", "A002", "A003"]
    every = order_facts(tiny, DEFAULTS, dates, ids)
    some = order_facts(tiny, DEFAULTS, dates, ids, ("revenue_cmp_now", "order_days_cmp_before"))
    assert list(some) == ["revenue_cmp_now", "order_days_cmp_before"]
    assert some["revenue_cmp_now"].tolist() == every["revenue_cmp_now"].tolist() == [[330000.0, 0, 0], [0, 40000.0, 0]]
    frame = order_facts_frame(tiny, DEFAULTS, dates, ids, ("revenue_12m",))
    assert list(frame.columns) == ["as_of", "account_id", "revenue_12m"]
    assert frame["revenue_12m"].tolist() == every["revenue_12m"].ravel().tolist()
