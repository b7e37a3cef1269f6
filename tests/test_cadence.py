"""kam.cadence on tests/fixtures/followups, as of 2026-06-30, tiers given by hand (A: 14, B: 30, C: 90 days).

F1 (A) visited 06-20 -> due 07-04; F2 (A) called 06-01 -> due 06-15, 15 days over (its 06-25 complaint is not a
contact); F3 (B) emailed 06-05 -> due 07-05; F4 (C) only a survey -> never contacted; F5 (no tier -> C's 90 days)
met 03-01 -> due 05-30, 31 days over (its visit after the as-of date does not count).
"""
import datetime as dt

import pandas as pd
import pytest

from kam import cadence
from kam.scope import Scope
from kam.settings import Settings
from tests.conftest import build_db

AS_OF = dt.date(2026, 6, 30)
TIERS = pd.DataFrame({"account_id": ["F1", "F2", "F3", "F4"], "tier_rank": [0, 0, 1, 2]})


@pytest.fixture
def status():
    con = build_db("followups")
    yield cadence.contact_status(con, Settings(), AS_OF, TIERS)
    con.close()


def test_each_account_is_due_its_tier_cadence_after_its_last_contact(status):
    rows = status.set_index("account_id")
    assert rows.loc["F1", ["tier", "cadence_days", "last_contact", "next_due"]].tolist() == \
        ["A", 14, dt.date(2026, 6, 20), dt.date(2026, 7, 4)]
    assert rows.loc["F3", ["tier", "cadence_days", "next_due"]].tolist() == ["B", 30, dt.date(2026, 7, 5)]
    assert rows.loc["F5", ["cadence_days", "next_due"]].tolist() == [90, dt.date(2026, 5, 30)]
    assert pd.isna(rows.loc["F5", "tier"])


def test_complaints_surveys_and_later_interactions_are_not_contacts(status):
    rows = status.set_index("account_id")
    assert rows.loc["F2", "last_contact"] == dt.date(2026, 6, 1)
    assert rows.loc["F4", "last_contact"] is None and rows.loc["F4", "next_due"] is None
    assert rows.loc["F5", "last_contact"] == dt.date(2026, 3, 1)


def test_the_list_puts_never_contacted_first_then_the_most_overdue(status):
    assert list(status["account_id"]) == ["F4", "F5", "F2", "F1", "F3"]
    assert list(status["overdue"]) == [True, True, True, False, False]
    assert status["days_overdue"].tolist() == [pd.NA, 31, 15, 0, 0]


def test_the_overdue_list_keeps_every_overdue_account(status):
    assert list(cadence.overdue_contacts(status)["account_id"]) == ["F4", "F5", "F2"]


def test_compliance_by_owner_is_the_share_contacted_within_cadence_worst_first(status):
    table = cadence.compliance(status, "owner")
    assert table.to_dict("records") == [
        {"owner": "Amy Chen", "accounts": 3, "contacted": 1, "share": 1 / 3},
        {"owner": "张伟", "accounts": 2, "contacted": 1, "share": 0.5}]


def test_compliance_by_tier_groups_accounts_without_a_tier_apart(status):
    table = cadence.compliance(status, "tier")
    assert table.to_dict("records") == [
        {"tier": "C", "accounts": 1, "contacted": 0, "share": 0.0},
        {"tier": "—", "accounts": 1, "contacted": 0, "share": 0.0},
        {"tier": "A", "accounts": 2, "contacted": 1, "share": 0.5},
        {"tier": "B", "accounts": 1, "contacted": 1, "share": 1.0}]


def test_cadence_days_and_contact_channels_come_from_settings():
    con = build_db("followups")
    custom = Settings(cadence=Settings().cadence.__class__(days_by_tier=(7, 60), contact_channels=("complaint",)))
    rows = cadence.contact_status(con, custom, AS_OF, TIERS, Scope(owners=("张伟",))).set_index("account_id")
    assert rows.loc["F2", ["cadence_days", "last_contact", "next_due", "overdue"]].tolist() == \
        [7, dt.date(2026, 6, 25), dt.date(2026, 7, 2), False]
    assert rows.loc["F1", "overdue"] and list(rows.index) == ["F1", "F2"]
    con.close()
