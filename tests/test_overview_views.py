"""The Overview's arrangements of the score tables (kam.overview_views), on small visible frames."""
import datetime as dt

import pandas as pd

from kam import overview_views

TIERS = pd.DataFrame({"account_id": ["a", "b", "c"], "tier_rank": [0, 0, 1], "revenue_12m": [5.0, 3.0, 1.0]})
HEALTH = pd.DataFrame({"account_id": ["a", "b"], "band": ["green", "green"]})


def test_previous_quarter_end_is_strictly_before_as_of():
    assert overview_views.previous_quarter_end(dt.date(2026, 6, 30)) == dt.date(2026, 3, 31)
    assert overview_views.previous_quarter_end(dt.date(2026, 7, 1)) == dt.date(2026, 6, 30)


def test_health_by_tier_counts_accounts_without_health_as_unknown():
    out = overview_views.health_by_tier(TIERS, HEALTH)
    assert out.values.tolist() == [[0, "green", 2, 8.0], [1, "unknown", 1, 1.0]]


def test_a_bar_segment_lists_the_accounts_of_its_tier_and_band():
    assert list(overview_views.accounts_in_band(TIERS, HEALTH, "green", 0)["account_id"]) == ["a", "b"]
    assert list(overview_views.accounts_in_band(TIERS, HEALTH, "unknown", 1)["account_id"]) == ["c"]
    assert overview_views.accounts_in_band(TIERS, HEALTH, "red", 0).empty


def test_top_risks_keep_one_row_per_account_with_its_worst_warning_first():
    # a warning list as kam.risk.warning_list sorts it: severity, then revenue at risk
    warnings = pd.DataFrame({
        "account_id": ["A", "B", "A", "C", "A"], "rule": ["no_order", "contract_ending", "revenue_drop",
                                                          "nps_low", "order_count_drop"],
        "severity_rank": [0, 0, 0, 2, 2], "revenue_at_risk": [900.0, 500.0, 900.0, 300.0, 900.0]})
    top = overview_views.top_risks(warnings, 2)
    assert top["account_id"].tolist() == ["A", "B"]          # C is the third account: beyond n
    assert top["rule"].tolist() == ["no_order", "contract_ending"]
    assert top["more"].tolist() == [2, 0]                     # A's revenue_drop and order_count_drop
    assert overview_views.top_risks(warnings.iloc[:0], 10).empty
