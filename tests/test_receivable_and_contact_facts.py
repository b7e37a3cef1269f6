"""kam.receivable_facts and kam.contact_facts by hand on the tiny fixture (tests/fixtures/tiny: payments.csv,
contacts.csv), plus a few invoices added here for the edge cases."""
import dataclasses
import datetime as dt

import numpy as np

from kam import db
from kam.contact_facts import contact_facts
from kam.receivable_facts import receivable_facts
from kam.settings import Settings

ACCOUNTS = ["A001", "A002", "A003"]


def _at(found: dict, date_index: int, account_index: int) -> tuple:
    return tuple(found[name][date_index, account_index] for name in ("invoices", "overdue_amount", "overdue_days"))


def test_receivables_by_hand(tiny):
    found = receivable_facts(tiny, [dt.date(2025, 8, 31), dt.date(2026, 3, 31)], ACCOUNTS)
    # 31 Aug 2025: A001's first invoice was paid on 10 Aug, before it was due
    assert _at(found, 0, 0) == (1, 0.0, 0)
    # 31 Mar 2026: A001's 180,000 of 10 Jan, 80,000 paid, due 9 Feb: 100,000 overdue for 50 days; A002's invoice is
    # due that very day, so not overdue yet; A003 has none
    assert _at(found, 1, 0) == (2, 100000.0, 50)
    assert _at(found, 1, 1) == (1, 0.0, 0)
    assert _at(found, 1, 2) == (0, 0.0, 0)
    assert found["overdue_amount"].dtype == float


def test_an_invoice_paid_late_is_overdue_in_full_until_paid_and_one_without_invoice_date_counts_from_due(tiny):
    db.execute(tiny, "INSERT INTO payments (invoice_id, account_id, invoice_date, due_date, amount, amount_paid, "
                     "paid_date) VALUES ('L1', 'A003', DATE '2025-01-01', DATE '2025-01-31', 5000, 5000, "
                     "DATE '2025-03-15'), ('L2', 'A003', NULL, DATE '2025-06-30', 700, 200, NULL)")
    found = receivable_facts(tiny, [dt.date(2025, 3, 1), dt.date(2025, 3, 31), dt.date(2025, 6, 29),
                                    dt.date(2025, 7, 10)], ACCOUNTS)
    assert _at(found, 0, 2) == (1, 5000.0, 29)     # open on 1 Mar (paid 15 Mar): the whole amount, 29 days late
    assert _at(found, 1, 2) == (1, 0.0, 0)         # paid by 31 Mar
    assert _at(found, 2, 2) == (1, 0.0, 0)         # L2 not issued before its due date
    assert _at(found, 3, 2) == (2, 500.0, 10)      # L2: 700 less 200 paid, 10 days past 30 Jun


def test_key_contacts_and_departures_by_hand(tiny):
    days = dataclasses.replace(Settings().health, window_days=30)
    settings = dataclasses.replace(Settings(), health=days)   # risk window stays 90 days
    found = contact_facts(tiny, settings, [dt.date(2026, 4, 29), dt.date(2026, 5, 15), dt.date(2026, 6, 15),
                                           dt.date(2026, 8, 1)], ACCOUNTS)
    # A001: 王芳 (key since 2021) left on 30 Apr 2026, 刘洋 (key) started 1 May 2026; A002: John Park since 2022
    assert list(found["key_contacts"][:, 0]) == [1, 2, 2, 2]     # a key contact counts from the start, even gone
    assert list(found["key_left_health"][:, 0]) == [0, 1, 0, 0]   # 30-day window
    assert list(found["key_left_risk"][:, 0]) == [0, 1, 1, 0]     # 90-day window
    assert list(found["key_left_name"][:, 0]) == [None, "王芳", "王芳", None]
    assert found["key_left_date"][1, 0] == np.datetime64("2026-04-30") and np.isnat(found["key_left_date"][0, 0])
    assert list(found["key_contacts"][:, 1]) == [1, 1, 1, 1] and list(found["key_contacts"][:, 2]) == [0, 0, 0, 0]


def test_of_two_key_contacts_gone_the_latest_departure_is_named(tiny):
    db.execute(tiny, "INSERT INTO contacts (contact_id, account_id, name, is_key, active_from, active_to) VALUES "
                     "('C8', 'A002', 'Ann Lee', TRUE, NULL, DATE '2026-05-20'), "
                     "('C9', 'A002', 'Bo Chen', FALSE, NULL, DATE '2026-05-25')")   # not key: never counts
    found = contact_facts(tiny, Settings(), [dt.date(2026, 5, 31)], ACCOUNTS)
    assert (found["key_contacts"][0, 1], found["key_left_risk"][0, 1]) == (2, 1)   # no start date: always counted
    assert found["key_left_name"][0, 1] == "Ann Lee"
    assert found["key_left_date"][0, 1] == np.datetime64("2026-05-20")
