"""The derived order_days table: built by kam's writers, used only while current, and giving the same facts as
the order lines themselves (tests/fixtures/tiny orders: A001 on 15 Jul 2025, 20 Oct 2025, 10 Jan 2026 (two lines,
one a return), A002 on 1 May 2025 and 1 Mar 2026)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kam import db, demo, derived, order_days
from kam.health_facts import account_facts
from kam.settings import Settings
from tests.conftest import build_db


def _rows(con) -> list[tuple]:
    return db.execute(con, "SELECT account_id, order_date, amount, lines, gap FROM order_days ORDER BY ALL").fetchall()


def test_order_days_sum_each_accounts_day_and_count_the_gap_since_its_previous_order_day(tiny):
    assert _rows(tiny) == [
        ("A001", dt.date(2025, 7, 15), 100000.0, 1, None),
        ("A001", dt.date(2025, 10, 20), 150000.0, 1, 97),
        ("A001", dt.date(2026, 1, 10), 180000.0, 2, 82),
        ("A002", dt.date(2025, 5, 1), 80000.0, 1, None),
        ("A002", dt.date(2026, 3, 1), 40000.0, 1, 304),
    ]
    assert order_days.current(tiny)


def test_a_line_added_by_hand_makes_order_days_stale_until_a_refresh(tiny):
    db.execute(tiny, "INSERT INTO orders (order_id, line_no, account_id, order_date, amount) "
                     "VALUES ('SO-9', 1, 'A002', DATE '2026-04-01', 5000)")
    assert not order_days.current(tiny)
    with db.transaction(tiny):
        derived.refresh(tiny, ["orders"])
    assert order_days.current(tiny)
    assert _rows(tiny)[-1] == ("A002", dt.date(2026, 4, 1), 5000.0, 1, 31)


def test_a_fresh_database_has_no_current_order_days_and_reads_the_lines():
    con = db.connect()
    assert not order_days.current(con)
    assert "FROM orders" in order_days.daily_sql(order_days.current(con), "TRUE")


def test_the_demo_build_leaves_order_days_current():
    con = db.connect()
    demo.build(con, n_accounts=40, n_orders=2_000, n_opportunities=50)
    assert order_days.current(con)
    assert db.scalar(con, "SELECT sum(lines) FROM order_days") == db.scalar(con, "SELECT count(*) FROM orders")


@pytest.mark.parametrize("name, as_of", [("tiny", dt.date(2026, 3, 31)), ("scoring_health", dt.date(2026, 6, 30))])
def test_account_facts_are_the_same_from_order_days_and_from_the_order_lines(name, as_of):
    con = build_db(name)
    dates = [as_of, as_of - dt.timedelta(days=30), as_of - dt.timedelta(days=200)]
    stored = account_facts(con, Settings(), dates)
    db.execute(con, "DELETE FROM order_days_source")  # stale: the facts group the order lines again
    assert not order_days.current(con)
    pd.testing.assert_frame_equal(stored, account_facts(con, Settings(), dates))
