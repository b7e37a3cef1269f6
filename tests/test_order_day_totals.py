"""kam.order_day_totals on the tiny fixture (tests/fixtures/tiny/orders.csv): A001 ordered 100,000 on 15 Jul 2025,
150,000 on 20 Oct 2025 and 180,000 net on 10 Jan 2026; A002 80,000 on 1 May 2025 and 40,000 on 1 Mar 2026; A003
never ordered."""
import datetime as dt

import numpy as np

from kam import db, order_day_totals
from kam.dated_rows import as_of_grid, day_numbers

LAST = dt.date(2026, 3, 31)


def _window(days, start: dt.date, end: dt.date, n: int) -> list[float]:
    return list(days.window(days.position(as_of_grid([end], n)), days.position(as_of_grid([start], n)))[0])


def test_window_sums(tiny):
    days = order_day_totals.read(tiny, ["A001", "A002", "A003"], LAST)
    # (2025-07-15, 2026-01-10]: the October and January days of A001 only
    assert _window(days, dt.date(2025, 7, 15), dt.date(2026, 1, 10), 3) == [330000.0, 0.0, 0.0]
    # (2025-04-30, 2026-01-10]: A001's three days and A002's May day
    assert _window(days, dt.date(2025, 4, 30), dt.date(2026, 1, 10), 3) == [430000.0, 80000.0, 0.0]


def test_nothing_after_the_last_date_is_read(tiny):
    days = order_day_totals.read(tiny, ["A002"], dt.date(2026, 2, 28))
    assert list(days.day) == list(day_numbers([dt.date(2025, 5, 1)]))


def test_inside_a_shared_block_reads_come_from_the_one_read_of_every_account(tiny, monkeypatch):
    alone = order_day_totals.read(tiny, ["A002", "A001"], LAST)
    reads = []
    real_read = order_day_totals._read
    monkeypatch.setattr(order_day_totals, "_read", lambda *args: reads.append(args[1]) or real_read(*args))
    with order_day_totals.shared(tiny, LAST):
        assert reads == [["A001", "A002", "A003"]]                         # every account, on entry
        subset = order_day_totals.read(tiny, ["A002", "A001"], dt.date(2026, 1, 31))
        every = order_day_totals.read(tiny, ["A001", "A002", "A003"], LAST)
        assert len(reads) == 1                                             # both answered from it
        later = order_day_totals.read(tiny, ["A001"], dt.date(2026, 4, 30))  # past the block's last date
        assert reads[1:] == [["A001"]] and later is not every
    # the subset is the same rows, numbered as asked (A002 first), with the same running totals
    assert list(subset.account) == list(alone.account) and list(subset.day) == list(alone.day)
    assert np.array_equal(subset.total, alone.total)
    # every account: the same rows and totals as a read outside the block
    joined = order_day_totals.read(tiny, ["A001", "A002", "A003"], LAST)
    assert list(every.account) == list(joined.account) and list(every.day) == list(joined.day)
    assert np.array_equal(every.total, joined.total)


def test_a_read_from_the_stored_table_equals_one_from_the_order_lines(tiny, monkeypatch):
    stored = order_day_totals.read(tiny, ["A002", "A001"], LAST)
    monkeypatch.setattr(order_day_totals.order_days, "ensure", lambda con: False)
    lines = order_day_totals.read(tiny, ["A002", "A001"], LAST)
    assert list(stored.account) == list(lines.account) == [0, 0, 1, 1, 1]   # A002 first, as asked
    assert list(stored.day) == list(lines.day)
    # A002: 80,000 and 40,000; then A001: 100,000, 150,000 and 200,000 - 20,000 (in millionths)
    assert list(stored.total) == list(lines.total) == [v * 1_000_000 for v in (0, 80_000, 120_000, 220_000,
                                                                                370_000, 550_000)]


def test_the_shared_read_skips_order_days_of_accounts_missing_from_the_accounts_table(tiny):
    db.execute(tiny, "INSERT INTO orders (order_id, line_no, account_id, order_date, amount) "
                     "VALUES ('SO-X', 1, 'A000', DATE '2025-09-01', 99)")   # sorts before every real account
    with order_day_totals.shared(tiny, LAST):
        every = order_day_totals.read(tiny, ["A001", "A002", "A003"], LAST)
    assert list(every.account) == [0, 0, 0, 1, 1]
    assert every.total[-1] == (430000 + 120000) * 1_000_000


def test_running_totals_are_exact_millionths_and_floats_only_where_millionths_could_leave_int64():
    small = order_day_totals._running_total(np.array([0.1, 0.2, -0.3]))
    assert small.dtype == np.int64 and list(small) == [0, 100_000, 300_000, 0]   # 0.1 + 0.2 - 0.3 is exactly 0
    huge = order_day_totals._running_total(np.array([5e12, 5e12]))                # 1e19 millionths > 9.2e18
    assert huge.dtype == np.float64 and list(huge) == [0.0, 5e18, 1e19]
    # the rough bound (8e12 x 3 amounts) is past the limit, the real sum of magnitudes (8e12) is not: still exact
    lone = order_day_totals._running_total(np.array([8e12, 0.0, 0.0]))
    assert lone.dtype == np.int64 and list(lone) == [0, 8 * 10**18, 8 * 10**18, 8 * 10**18]


def test_margins_are_summed_over_the_days_whose_margin_is_known(tiny, monkeypatch):
    # A001's margins: 30,000 on 100,000, 45,000 on 150,000 and 50,000 - 5,000 on 200,000 - 20,000; A002 has none
    stored = order_day_totals.read(tiny, ["A001", "A002", "A003"], LAST, margins=True)
    with order_day_totals.shared(tiny, LAST, margins=True):
        subset = order_day_totals.read(tiny, ["A002", "A001"], LAST, margins=True)
    monkeypatch.setattr(order_day_totals.order_days, "ensure", lambda con: False)
    lines = order_day_totals.read(tiny, ["A001", "A002", "A003"], LAST, margins=True)
    end, start = as_of_grid([LAST], 3), as_of_grid([dt.date(2025, 7, 15)], 3)  # (15 Jul 2025, 31 Mar 2026]
    for days in (stored, lines):
        at_end, at_start = days.position(end), days.position(start)
        assert list(days.window(at_end, at_start, "margin")[0]) == [90_000.0, 0.0, 0.0]
        assert list(days.window(at_end, at_start, "margined_amount")[0]) == [330_000.0, 0.0, 0.0]
        assert list(days.window(at_end, at_start)[0]) == [330_000.0, 40_000.0, 0.0]
    # from the block, numbered as asked (A002 first): A001's margins over all of its days
    every = subset.position(as_of_grid([LAST], 2)), subset.position(as_of_grid([dt.date(2025, 1, 1)], 2))
    assert list(subset.window(*every, "margin")[0]) == [0.0, 120_000.0]
    assert list(subset.window(*every, "margined_amount")[0]) == [0.0, 430_000.0]


def test_a_shared_block_without_margins_does_not_serve_a_read_with_them(tiny):
    with order_day_totals.shared(tiny, LAST):
        days = order_day_totals.read(tiny, ["A001", "A002", "A003"], LAST, margins=True)
    assert set(days.totals) == {"margin", "margined_amount"}
