"""Tier history on tests/fixtures/scoring_tiers: quarter ends, hand-computed tiers at 2025-12-31, migration, movers.

At 2025-12-31 T4 and T5 were not customers yet; revenue T1 900, T2 900 (tie), T3 500, T6 0; growth is known for
T6 only, so it ranks nobody. Scores: T1 61.67/.85 = 72.5 (A), T2 33.33/.85 = 39.2 (C), T3 24.17/.85 = 28.4 (C).
"""
import datetime as dt

import pytest

from kam import tier_history as th
from kam.scope import Scope
from kam.settings import Settings
from tests.conftest import database_fixture

Q4, Q2 = dt.date(2025, 12, 31), dt.date(2026, 6, 30)


con = database_fixture("scoring_tiers")


@pytest.fixture(scope="module")
def history(con):
    return th.tier_history(con, Settings(), th.quarter_ends(con, Q2))


def test_quarter_ends_run_from_the_first_orders_quarter_to_as_of(con):
    assert th.quarter_ends(con, dt.date(2026, 7, 15)) == [
        dt.date(2024, 12, 31), dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 9, 30),
        dt.date(2025, 12, 31), dt.date(2026, 3, 31), dt.date(2026, 6, 30)]


def test_history_at_a_past_quarter_end_uses_only_what_was_known_then(history):
    q4 = history[history["as_of"] == Q4].set_index("account_id")
    assert sorted(q4.index) == ["T1", "T2", "T3", "T6"]
    assert q4["score"].to_dict() == pytest.approx({"T1": 61.6667 / 0.85, "T2": 33.3333 / 0.85,
                                                   "T3": 24.1667 / 0.85, "T6": 10 / 0.7}, rel=1e-4)
    assert q4["tier"].to_dict() == {"T1": "A", "T2": "C", "T3": "C", "T6": "C"}


def test_migration_matrix_counts_accounts_and_revenue_from_tier_to_tier(history):
    matrix = th.migration_matrix(history, Q4, Q2)
    rows = {(r.tier_from, r.tier_to): (r.accounts, r.revenue_12m_from, r.revenue_12m_to)
            for r in matrix.itertuples()}
    assert rows == {("new", "C"): (2, 0.0, 100.0), ("A", "A"): (1, 900.0, 800.0),
                    ("C", "B"): (2, 1400.0, 1200.0), ("C", "C"): (1, 0.0, 0.0)}
    assert matrix["revenue_12m_to"].sum() == 2100


def test_matrix_pivot_is_square_with_new_accounts_first(history):
    pivot = th.matrix_pivot(th.migration_matrix(history, Q4, Q2), ("A", "B", "C"))
    assert pivot.values.tolist() == [[0, 0, 2], [1, 0, 0], [0, 0, 0], [0, 2, 1]]
    assert list(pivot.index) == ["new", "A", "B", "C"]


def test_movers_list_who_changed_tier_biggest_first(history):
    moved = th.movers(history, Q4, Q2)
    assert moved[["account_id", "tier_from", "tier_to", "direction"]].values.tolist() == [
        ["T2", "C", "B", "up"], ["T3", "C", "B", "up"], ["T4", "new", "C", "new"], ["T5", "new", "C", "new"]]


def test_revenue_by_tier_lists_every_tier_at_every_date_and_adds_up(history):
    by_tier = th.revenue_by_tier(history, ("A", "B", "C"))
    assert len(by_tier) == 7 * 3
    q2 = by_tier[by_tier["as_of"] == Q2]
    assert q2["revenue_12m"].tolist() == [800.0, 1200.0, 100.0]
    assert q2["accounts"].tolist() == [1, 2, 3]


def test_history_in_a_scope_keeps_company_wide_tiers(con):
    north = th.tier_history(con, Settings(), [Q4], Scope(regions=("North",)))
    assert north.set_index("account_id")["tier"].to_dict() == {"T2": "C", "T6": "C"}


def test_a_matrix_cell_lists_the_accounts_behind_it(history):
    assert th.cell(history, Q4, Q2, 2, 1)["account_id"].tolist() == ["T2", "T3"]   # C -> B
    assert th.cell(history, Q4, Q2, -1, 2)["account_id"].tolist() == ["T4", "T5"]  # new -> C
    assert th.cell(history, Q4, Q2, 0, 0)["account_id"].tolist() == ["T1"]         # stayed A
