"""The derived order_days and order_product_runs tables: built on the first read after orders change, used only
while current, and giving the same facts and tier measures as the order lines themselves (tests/fixtures/tiny
orders: A001 on 15 Jul 2025, 20 Oct 2025, 10 Jan 2026 (two lines, one a return), A002 on 1 May 2025 and 1 Mar
2026)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kam import db, demo, order_days
from kam.health_facts import account_facts
from kam.settings import Settings
from kam.tier_measures import measures
from tests.conftest import build_db


def _rows(con) -> list[tuple]:
    return db.execute(con, "SELECT account_id, order_date, amount, lines, gap FROM order_days ORDER BY ALL").fetchall()


def test_order_days_sum_each_accounts_day_and_count_the_gap_since_its_previous_order_day(tiny):
    assert not order_days.current(tiny)  # nothing read yet
    assert order_days.ensure(tiny) and order_days.current(tiny)
    assert _rows(tiny) == [
        ("A001", dt.date(2025, 7, 15), 100000.0, 1, None),
        ("A001", dt.date(2025, 10, 20), 150000.0, 1, 97),
        ("A001", dt.date(2026, 1, 10), 180000.0, 2, 82),
        ("A002", dt.date(2025, 5, 1), 80000.0, 1, None),
        ("A002", dt.date(2026, 3, 1), 40000.0, 1, 304),
    ]


def test_order_days_keep_the_days_known_margins_and_leave_unknown_ones_unknown(tiny):
    order_days.ensure(tiny)
    assert db.execute(tiny, "SELECT account_id, order_date, margin, margined_amount FROM order_days "
                            "ORDER BY ALL").fetchall() == [
        ("A001", dt.date(2025, 7, 15), 30000.0, 100000.0),
        ("A001", dt.date(2025, 10, 20), 45000.0, 150000.0),
        ("A001", dt.date(2026, 1, 10), 45000.0, 180000.0),
        ("A002", dt.date(2025, 5, 1), None, None),
        ("A002", dt.date(2026, 3, 1), None, None),
    ]


def _runs(con) -> list[tuple]:
    return db.execute(con, "SELECT * FROM order_product_runs ORDER BY ALL").fetchall()


def test_a_product_bought_again_within_12_months_stays_one_run_until_12_months_after_its_last_order(tiny):
    order_days.ensure(tiny)
    assert _runs(tiny) == [
        ("A001", "Router", dt.date(2025, 7, 15), dt.date(2027, 1, 10)),   # again on 10 Jan 2026
        ("A001", "Switch", dt.date(2025, 10, 20), dt.date(2026, 10, 20)),
        ("A002", "Valve", dt.date(2025, 5, 1), dt.date(2027, 3, 1)),      # again on 1 Mar 2026
    ]


def test_a_gap_of_more_than_12_months_starts_a_new_run_and_29_february_counts_until_1_march(tiny):
    db.execute(tiny, "INSERT INTO orders (order_id, line_no, account_id, order_date, amount, product) VALUES "
                     "('X-1', 1, 'A002', DATE '2023-01-05', 10, 'Pump'), ('X-2', 1, 'A002', DATE '2024-02-29', 10, "
                     "'Pump'), ('X-3', 1, 'A002', DATE '2024-03-01', 10, NULL)")
    order_days.ensure(tiny)
    assert [run for run in _runs(tiny) if run[1] == "Pump"] == [
        ("A002", "Pump", dt.date(2023, 1, 5), dt.date(2024, 1, 5)),
        ("A002", "Pump", dt.date(2024, 2, 29), dt.date(2025, 3, 1)),   # 28 Feb 2025 - 12 months is 28 Feb 2024
    ]
    breadth = measures(tiny, [dt.date(2025, 2, 28), dt.date(2025, 3, 1)]).set_index(["as_of", "account_id"])
    assert breadth.loc[(dt.date(2025, 2, 28), "A002"), "breadth"] == 1   # Pump (Valve only from 1 May 2025)
    # a day later Pump's 29 February order is more than 12 months back; the 1 March line names no product
    assert breadth.loc[(dt.date(2025, 3, 1), "A002"), "breadth"] == 0


def test_a_line_added_by_hand_makes_them_stale_and_the_next_read_rebuilds_them(tiny):
    account_facts(tiny, Settings(), [dt.date(2026, 3, 31)])
    assert order_days.current(tiny)
    db.execute(tiny, "INSERT INTO orders (order_id, line_no, account_id, order_date, amount) "
                     "VALUES ('SO-9', 1, 'A002', DATE '2026-04-01', 5000)")
    assert not order_days.current(tiny)
    facts = account_facts(tiny, Settings(), [dt.date(2026, 4, 30)]).set_index("account_id")
    assert order_days.current(tiny)
    assert _rows(tiny)[-1] == ("A002", dt.date(2026, 4, 1), 5000.0, 1, 31)
    assert facts.loc["A002", "last_order_date"] == pd.Timestamp("2026-04-01")


def test_a_new_import_batch_makes_them_stale_even_with_the_same_line_count(tiny):
    order_days.ensure(tiny)
    db.execute(tiny, "INSERT INTO import_batches (batch_id, source_file, status) VALUES (41, 'orders.xlsx', 'committed')")
    assert not order_days.current(tiny)
    db.execute(tiny, "UPDATE import_batches SET status = 'undone' WHERE batch_id = 41")
    order_days.ensure(tiny)
    assert order_days.current(tiny)


def test_a_read_only_connection_cannot_rebuild_them_and_reads_the_order_lines(tmp_path):
    path = tmp_path / "tiny.duckdb"
    build_db("tiny", path).close()
    con = db.connect(path, read_only=True)
    assert not order_days.ensure(con)
    assert "FROM orders" in order_days.daily_sql(False, "TRUE")
    facts = account_facts(con, Settings(), [dt.date(2026, 3, 31)]).set_index("account_id")
    assert facts.loc["A001", "revenue_12m"] == 430000.0
    con.close()


def test_a_database_from_before_the_derived_tables_opened_read_only_reads_the_order_lines(tmp_path):
    path = tmp_path / "old.duckdb"
    con = build_db("tiny", path)
    expected = account_facts(con, Settings(), [dt.date(2026, 3, 31)])
    for table in ("order_product_runs", "order_days", "order_days_source"):
        db.execute(con, f"DROP TABLE {table}")
    db.execute(con, "DELETE FROM schema_migrations WHERE version >= 4")
    con.close()
    old = db.connect(path, read_only=True)
    assert not order_days.current(old)
    pd.testing.assert_frame_equal(account_facts(old, Settings(), [dt.date(2026, 3, 31)]), expected)
    old.close()


def test_the_demo_build_leaves_them_current():
    con = db.connect()
    demo.build(con, n_accounts=40, n_orders=2_000, n_opportunities=50)
    assert order_days.current(con)
    assert db.scalar(con, "SELECT sum(lines) FROM order_days") == db.scalar(con, "SELECT count(*) FROM orders")


def _from_lines(monkeypatch) -> None:
    monkeypatch.setattr(order_days, "ensure", lambda con: False)  # as a reader that cannot rebuild them


@pytest.mark.parametrize("name, as_of", [("tiny", dt.date(2026, 3, 31)), ("scoring_health", dt.date(2026, 6, 30))])
def test_account_facts_are_the_same_from_order_days_and_from_the_order_lines(name, as_of, monkeypatch):
    con = build_db(name)
    dates = [as_of, as_of - dt.timedelta(days=30), as_of - dt.timedelta(days=200)]
    stored = account_facts(con, Settings(), dates)
    assert order_days.current(con)
    _from_lines(monkeypatch)
    pd.testing.assert_frame_equal(stored, account_facts(con, Settings(), dates))


@pytest.mark.parametrize("name, as_of", [("tiny", dt.date(2026, 3, 31)), ("scoring_tiers", dt.date(2026, 6, 30))])
def test_tier_measures_are_the_same_from_the_derived_tables_and_from_the_order_lines(name, as_of, monkeypatch):
    con = build_db(name)
    dates = [as_of, as_of - dt.timedelta(days=91), as_of - dt.timedelta(days=400)]
    stored = measures(con, dates)
    assert order_days.current(con)
    _from_lines(monkeypatch)
    pd.testing.assert_frame_equal(stored, measures(con, dates))


def test_checked_once_answers_every_ensure_of_the_block_from_one_check(tiny, monkeypatch):
    checks = []
    real_current = order_days.current
    monkeypatch.setattr(order_days, "current", lambda con: checks.append(1) or real_current(con))
    with order_days.checked_once(tiny) as stored:
        assert stored is True and order_days.current(tiny) is True   # built by the block's one ensure()
        checks.clear()
        assert [order_days.ensure(tiny) for _ in range(3)] == [True, True, True]
        assert checks == []                                            # no further check inside the block
    assert order_days.ensure(tiny) and checks == [1]                   # outside it, ensure() checks again


def test_account_facts_keep_missing_owners_and_contract_ends_missing(tiny):
    db.execute(tiny, "UPDATE accounts SET owner = NULL WHERE account_id = 'A002'")
    facts = account_facts(tiny, Settings(), [dt.date(2026, 3, 31)]).set_index("account_id")
    assert list(facts["owner"].isna()) == [False, True, False]
    assert facts.loc["A001", "owner"] == "张伟" and facts.loc["A002", "name"] == "Acme Corp"
    assert facts.loc["A001", "contract_end_date"] == pd.Timestamp("2026-08-15")
    assert pd.isna(facts.loc["A003", "contract_end_date"])
