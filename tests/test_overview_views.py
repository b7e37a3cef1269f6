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
