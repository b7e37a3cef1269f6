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
    real_read, real_every = order_day_totals._read, order_day_totals._Shared._every
    monkeypatch.setattr(order_day_totals, "_read", lambda *args: reads.append(args[1]) or real_read(*args))
    monkeypatch.setattr(order_day_totals._Shared, "_every",
                        lambda self, con: reads.append("every") or real_every(self, con))
    with order_day_totals.shared(tiny, LAST):
        assert reads == ["every"]                                          # the stored table, on entry
        subset = order_day_totals.read(tiny, ["A002", "A001"], dt.date(2026, 1, 31))
        every = order_day_totals.read(tiny, ["A001", "A002", "A003"], LAST)
        assert len(reads) == 1                                             # both answered from it
        later = order_day_totals.read(tiny, ["A001"], dt.date(2026, 4, 30))  # past the block's last date
        assert reads[1:] == [["A001"]] and later is not every
    # the subset is the same rows, numbered as asked (A002 first), with the same running totals
    assert list(subset.account) == list(alone.account) and list(subset.day) == list(alone.day)
    assert np.array_equal(subset.total, alone.total)
    # every account: the same rows and totals as a read joined on the account ids
    joined = order_day_totals.read(tiny, ["A001", "A002", "A003"], LAST)
    assert list(every.account) == list(joined.account) and list(every.day) == list(joined.day)
    assert np.array_equal(every.total, joined.total)


def test_the_shared_read_skips_order_days_of_accounts_missing_from_the_accounts_table(tiny):
    db.execute(tiny, "INSERT INTO orders (order_id, line_no, account_id, order_date, amount) "
                     "VALUES ('SO-X', 1, 'A000', DATE '2025-09-01', 99)")   # sorts before every real account
    with order_day_totals.shared(tiny, LAST):
        every = order_day_totals.read(tiny, ["A001", "A002", "A003"], LAST)
    assert list(every.account) == [0, 0, 0, 1, 1]
    assert every.total[-1] == (430000 + 120000) * 1_000_000
