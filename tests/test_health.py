"""Health score on tests/fixtures/scoring_health, as of 30 Jun 2026 (hand-computed; see the fixture CSVs).

H1 orders every 30 days and has data for every measure; H2 has no orders (only visits and two complaints);
H3 has a single order, an unpaid invoice 90 days past due, NPS 5 and a key contact who left; H4 ordered every
30 days until 94 days ago and has no NPS answer; H5 has no data at all.
"""
import dataclasses
import datetime as dt
import math

import pandas as pd
import pytest

from tests.conftest import database_fixture
from kam import settings as kam_settings
from kam.health import explain_change, health_change, health_table, ramp
from kam.scope import Scope
from kam.settings.health import MEASURES

AS_OF = dt.date(2026, 6, 30)
DEFAULTS = kam_settings.Settings()


con = database_fixture("scoring_health")


@pytest.fixture(scope="module")
def table(con):
    return health_table(con, DEFAULTS, AS_OF).set_index("account_id")


def test_an_account_with_every_measure_at_its_best_scores_100_and_is_green(table):
    row = table.loc["H1"]
    assert (row["score"], row["band"], row["coverage"]) == (100.0, "green", 1.0)
    assert row["value_order_recency"] == 15 and row["usual_interval"] == 30


def test_a_lapsed_account_without_nps_is_scored_on_the_other_measures_only(table):
    row = table.loc["H4"]
    # recency 94/30 = 3.13x -> 0; orders 3 vs 4 and revenue 30k vs 40k (-25%) -> 50 each; the rest 100.
    assert row["score_order_recency"] == 0 and row["score_order_frequency"] == 50 and row["score_revenue_trend"] == 50
    assert math.isnan(row["score_nps"]) and math.isnan(row["points_nps"]) and row["band_nps"] == "unknown"
    assert row["coverage"] == pytest.approx(0.95)
    assert row["score"] == pytest.approx((0 + 7.5 + 7.5 + 15 + 10 + 10 + 5) / 0.95)
    assert row["points_order_frequency"] == pytest.approx(7.5 / 0.95)
    assert row["band"] == "yellow"


def test_an_account_with_one_order_has_no_usual_interval_so_recency_and_trends_are_unknown(table):
    row = table.loc["H3"]
    assert row["value_order_recency"] == 135
    assert all(math.isnan(row[f"score_{m}"]) for m in ("order_recency", "order_frequency", "revenue_trend"))
    # receivables 90 days overdue -> 0, complaints none -> 100, NPS 5 -> 0, one key contact left -> 50.
    assert row["score_receivables"] == 0 and row["score_nps"] == 0 and row["score_key_contacts"] == 50
    assert row["coverage"] == pytest.approx(0.35)
    assert row["score"] == pytest.approx(12.5 / 0.35) and row["band"] == "red"


def test_an_account_with_no_orders_is_scored_on_engagement_and_complaints(table):
    row = table.loc["H2"]
    # last visit 41 days ago -> (120-41)/90 = 87.8; two complaints in 90 days -> 33.3
    assert row["score_engagement"] == pytest.approx(79 / 90 * 100)
    assert row["score_complaints"] == pytest.approx(100 / 3)
    assert row["coverage"] == pytest.approx(0.2)
    assert row["score"] == pytest.approx((79 / 90 * 100 + 100 / 3) / 2)


def test_an_account_without_any_data_has_no_score_and_is_never_coloured(table):
    row = table.loc["H5"]
    assert math.isnan(row["score"]) and row["band"] == "unknown" and row["coverage"] == 0
    assert {row[f"band_{m}"] for m in MEASURES} == {"unknown"}


def test_health_equals_the_sum_of_its_points_for_every_account(table):
    points = table[[f"points_{m}" for m in MEASURES]].sum(axis=1, min_count=1)
    pd.testing.assert_series_equal(points, table["score"], check_names=False)


def test_unknown_measures_never_change_the_score(con, table):
    # H4 has no NPS: dropping the NPS measure altogether, or giving it any weight, leaves its score unchanged.
    for nps_weight in (0.0, 0.05, 5.0):
        weights = tuple((m, nps_weight if m == "nps" else w) for m, w in DEFAULTS.health.weights)
        s = dataclasses.replace(DEFAULTS, health=dataclasses.replace(DEFAULTS.health, weights=weights))
        assert health_table(con, s, AS_OF, account_ids=["H4"])["score"].iloc[0] == pytest.approx(table.loc["H4", "score"])


def test_per_measure_bands_apply_to_that_measure_only(con):
    hs = dataclasses.replace(DEFAULTS.health, measure_bands=(("order_frequency", 40.0, 50.0),))
    row = health_table(con, dataclasses.replace(DEFAULTS, health=hs), AS_OF).set_index("account_id").loc["H4"]
    assert row["band_order_frequency"] == "green" and row["band_revenue_trend"] == "yellow"


def test_the_scope_filters_accounts_by_owner(con):
    assert list(health_table(con, DEFAULTS, AS_OF, Scope(owners=("Amy Chen",)))["account_id"]) == ["H2", "H3"]


def test_the_ramp_scores_both_directions_and_keeps_unknowns():
    scores = ramp(pd.Series([0.5, 2.0, 3.5, None]), 3.0, 1.0)
    assert list(scores[:3]) == [100, 50, 0] and math.isnan(scores[3])


def test_health_change_splits_the_fall_by_measure(con):
    change = health_change(con, DEFAULTS, AS_OF, dt.date(2026, 3, 31), account_id="H4").set_index("measure")
    # On 31 Mar H4 had ordered 3 days before and was up on last year: every known measure at 100.
    assert change["previous_points"].sum() == pytest.approx(100)
    assert change.loc["order_recency", "change"] == pytest.approx(-25 / 0.95)
    assert change.loc["order_frequency", "change"] == pytest.approx(-7.5 / 0.95)
    assert change["change"].sum() == pytest.approx((0 + 7.5 + 7.5 + 15 + 10 + 10 + 5) / 0.95 - 100)


def test_health_change_is_explained_in_one_sentence_in_both_languages(con):
    change = health_change(con, DEFAULTS, AS_OF, dt.date(2026, 3, 31), account_id="H4")
    assert explain_change(change, "en") == ("Health fell 42 points: 26 from order recency, 8 from order frequency, "
                                            "8 from revenue trend")
    assert explain_change(change, "zh") == "健康度下降 42 分：下单间隔 26 分，下单频次趋势 8 分，收入趋势 8 分"


def test_health_change_without_a_score_at_both_dates_says_so(con):
    change = health_change(con, DEFAULTS, AS_OF, dt.date(2026, 3, 31), account_id="H5")
    assert change["change"].isna().all()
    assert explain_change(change, "en") == "No comparison: no health data at one of the dates"
