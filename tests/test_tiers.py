"""Tier score and tiers on tests/fixtures/scoring_tiers, as of 2026-06-30 (values computed by hand, see below).

Window: revenue 2025-07-01..2026-06-30, prior year 2024-07-01..2025-06-30. Revenue: T1 800, T2 600, T3 600 (tie),
T4 100 (one order, no margin), T5 0 (no orders), T6 0 (only a prior-year order). Percentile = 100 x (accounts
strictly lower) / (known - 1).
"""
import dataclasses
import datetime as dt

import pytest

from kam import db, tiers
from kam.scope import Scope
from kam.settings import Settings
from kam.settings.tiers import TierSettings
from kam.tier_measures import COLUMNS, measures
from tests.conftest import database_fixture

AS_OF = dt.date(2026, 6, 30)


con = database_fixture("scoring_tiers", scope="function")


def _by_id(table):
    return table.set_index("account_id")


def _with_tiers(**changes) -> Settings:
    return dataclasses.replace(Settings(), tiers=dataclasses.replace(TierSettings(), **changes))


def test_every_account_is_listed_including_the_one_without_orders(con):
    table = tiers.tier_table(con, Settings(), AS_OF)
    assert sorted(table["account_id"]) == ["T1", "T2", "T3", "T4", "T5", "T6"]
    assert _by_id(table).loc["T5", "revenue_12m"] == 0


def test_scores_match_the_hand_computed_weighted_sums(con):
    score = _by_id(tiers.tier_table(con, Settings(), AS_OF))["score"]
    # T1: .4*100 + .15*50 + .15*66.7 + .1*80 + .1*80 + .05*100 + .05*0 = 78.5
    # T4: (.4*40 + .1*0 + .1*40 + .05*0 + .05*80) / .7 (margin and growth unknown) = 34.29
    expected = {"T1": 78.5, "T2": 44.0, "T3": 58.5, "T4": 24 / 0.7, "T5": 2 / 0.7, "T6": 10 / 0.85}
    assert score.to_dict() == pytest.approx(expected)


def test_tied_revenue_shares_the_lower_percentile(con):
    scaled = _by_id(tiers.tier_table(con, Settings(), AS_OF))["scaled_revenue_12m"]
    assert scaled.to_dict() == pytest.approx({"T1": 100, "T2": 60, "T3": 60, "T4": 40, "T5": 0, "T6": 0})


def test_missing_margin_is_unknown_and_the_other_weights_are_renormalised(con):
    table = _by_id(tiers.tier_table(con, Settings(), AS_OF))
    assert table.loc["T2", "gross_margin"] == pytest.approx(0.2)  # only the line with a known margin counts
    assert table[["gross_margin", "pts_gross_margin"]].loc["T4"].isna().all()
    assert table.loc["T4", "coverage"] == pytest.approx(0.7)


def test_points_of_the_measures_add_up_to_the_score(con):
    table = tiers.tier_table(con, Settings(), AS_OF)
    points = table[[f"pts_{m}" for m in tiers.MEASURES]].sum(axis=1)
    assert points.tolist() == pytest.approx(table["score"].tolist())


def test_weighted_tiers_follow_the_cut_offs_and_no_revenue_stays_last(con):
    table = _by_id(tiers.tier_table(con, Settings(), AS_OF))
    assert table["tier"].to_dict() == {"T1": "A", "T2": "B", "T3": "B", "T4": "C", "T5": "C", "T6": "C"}
    assert table["tier_rank"].to_dict() == {"T1": 0, "T2": 1, "T3": 1, "T4": 2, "T5": 2, "T6": 2}


def test_pareto_tiers_count_the_revenue_of_strictly_bigger_accounts(con):
    # shares ahead: T1 0, T2 and T3 800/2100 = 0.38 (tie: same tier), T4 2000/2100 = 0.952
    table = _by_id(tiers.tier_table(con, _with_tiers(method="pareto", pareto_cutoffs=(0.3, 0.96)), AS_OF))
    assert table["tier"].to_dict() == {"T1": "A", "T2": "B", "T3": "B", "T4": "B", "T5": "C", "T6": "C"}
    default = _by_id(tiers.tier_table(con, _with_tiers(method="pareto"), AS_OF))
    assert default["tier"].to_dict() == {"T1": "A", "T2": "A", "T3": "A", "T4": "C", "T5": "C", "T6": "C"}


def test_four_renamed_tiers_are_supported(con):
    settings = _with_tiers(labels=("钻石", "金牌", "银牌", "普通"), score_cutoffs=(75.0, 50.0, 30.0))
    table = _by_id(tiers.tier_table(con, settings, AS_OF))
    assert table["tier"].to_dict() == {"T1": "钻石", "T2": "银牌", "T3": "金牌", "T4": "银牌", "T5": "普通",
                                       "T6": "普通"}


def test_tier_revenue_sums_to_total_revenue(con):
    table = tiers.tier_table(con, Settings(), AS_OF)
    summary = tiers.tier_summary(table, Settings().tiers)
    assert summary["revenue_12m"].tolist() == [800.0, 1200.0, 100.0]
    assert summary["revenue_12m"].sum() == table["revenue_12m"].sum() == 2100
    assert table["cumulative_share"].iloc[-1] == pytest.approx(1.0)


def test_a_scope_filters_rows_but_keeps_company_wide_tiers(con):
    table = _by_id(tiers.tier_table(con, Settings(), AS_OF, Scope(regions=("North",))))
    assert sorted(table.index) == ["T2", "T4", "T6"]
    assert table["tier"].to_dict() == {"T2": "B", "T4": "C", "T6": "C"}
    assert table["revenue_share"].to_dict() == pytest.approx({"T2": 600 / 700, "T4": 100 / 700, "T6": 0})


@pytest.mark.parametrize("account_id", ["T1", "T2", "T3", "T4", "T5", "T6"])
@pytest.mark.parametrize("margin", [None, "proportional"])
def test_raising_an_accounts_revenue_never_lowers_its_tier_score(con, account_id, margin):
    before = _by_id(tiers.tier_table(con, Settings(), AS_OF))
    rate = before.loc[account_id, "gross_margin"]
    line_margin = None if margin is None or rate != rate else 250 * rate
    db.execute(con, "INSERT INTO orders (order_id, line_no, account_id, order_date, amount, gross_margin, product) "
                    "VALUES ('RAISE', 1, ?, DATE '2026-06-15', 250, ?, 'P1')", [account_id, line_margin])
    after = _by_id(tiers.tier_table(con, Settings(), AS_OF))
    assert after.loc[account_id, "score"] >= before.loc[account_id, "score"] - 1e-9
    assert after.loc[account_id, "tier_rank"] <= before.loc[account_id, "tier_rank"]


def test_settings_problems_name_what_is_wrong():
    assert tiers.problems(TierSettings()) == []
    assert tiers.problems(TierSettings(labels=("A", "B"), score_cutoffs=(50.0,), pareto_cutoffs=(0.8,))) == [
        "tiers.err.labels"]
    assert tiers.problems(TierSettings(score_cutoffs=(40.0, 70.0))) == ["tiers.err.score_cutoffs"]
    assert tiers.problems(TierSettings(weights=(("revenue_12m", 0.0),))) == ["tiers.err.weights"]


def test_default_labels_show_their_chinese_names_in_chinese_only():
    assert tiers.display_label("A", "zh") == "A 战略级"
    assert tiers.display_label("A", "en") == "A"
    assert tiers.display_label("金牌", "zh", ("钻石", "金牌", "普通")) == "金牌"


def test_unknown_measures_never_change_the_score(con):
    # T4 has no margin and no prior-year revenue: dropping those two weights must leave its score as it is
    without = dict(TierSettings().weights) | {"gross_margin": 0.0, "growth": 0.0}
    before = _by_id(tiers.tier_table(con, Settings(), AS_OF)).loc["T4", "score"]
    after = _by_id(tiers.tier_table(con, _with_tiers(weights=tuple(without.items())), AS_OF)).loc["T4", "score"]
    assert after == pytest.approx(before) == pytest.approx(24 / 0.7)


def test_pareto_head_counts_the_accounts_that_reach_the_share(con):
    table = tiers.tier_table(con, Settings(), AS_OF)
    assert tiers.pareto_head(table, 0.5) == 2   # 800, then 600: 1400 of 2100 >= 1050
    assert tiers.pareto_head(table, 0.95) == 3  # 2000 of 2100 = 0.952


def test_breadth_counts_each_product_once_per_window(tiny):
    from kam.tier_measures import measures
    dates = [dt.date(2025, 12, 31), dt.date(2026, 6, 30), dt.date(2027, 1, 31)]
    got = measures(tiny, dates).set_index(["as_of", "account_id"])["breadth"].to_dict()
    # A001 bought Router on 2025-07-15 and 2026-01-10 (two buckets between these dates) and Switch on 2025-10-20;
    # A002 bought Valve on 2025-05-01 and 2026-03-01; A003 (a customer from 2026-05-01) never ordered
    assert got == {(dates[0], "A001"): 2, (dates[0], "A002"): 1,
                   (dates[1], "A001"): 2, (dates[1], "A002"): 1, (dates[1], "A003"): 0,
                   (dates[2], "A001"): 0, (dates[2], "A002"): 1, (dates[2], "A003"): 0}


def test_measures_of_a_company_without_accounts_are_an_empty_frame_with_every_column():
    con = db.connect(":memory:")
    frame = measures(con, [dt.date(2026, 3, 31)])
    assert list(frame.columns) == list(COLUMNS) and frame.empty


def test_pipeline_relationship_and_existence_at_each_date():
    """P1 a customer from 2025-01-01 with five deals; P2 of unknown creation, first order 2026-02-01; P3 of unknown
    creation, never ordered (exists at every date, relationship unknown)."""
    con = db.connect(":memory:")
    con.execute("""INSERT INTO accounts (account_id, name, created_date) VALUES
                   ('P1', 'One', DATE '2025-01-01'), ('P2', 'Two', NULL), ('P3', 'Three', NULL)""")
    con.execute("""INSERT INTO orders (order_id, account_id, order_date, amount)
                   VALUES ('o', 'P2', DATE '2026-02-01', 10)""")
    con.execute("""INSERT INTO opportunities (opportunity_id, account_id, stage, amount, created_date, closed_date,
                                              status) VALUES
                   ('d1', 'P1', 's', 100, DATE '2025-06-01', NULL, 'open'),
                   ('d2', 'P1', 's', 50, DATE '2025-06-01', DATE '2026-02-15', 'won'),
                   ('d3', 'P1', 's', 30, DATE '2026-03-01', NULL, 'open'),
                   ('d4', 'P1', 's', NULL, NULL, NULL, 'open'),
                   ('d5', 'P1', 's', 7, DATE '2025-01-01', NULL, 'lost'),
                   ('d6', NULL, 's', 1000, DATE '2025-01-01', NULL, 'open')""")
    january, march = dt.date(2026, 1, 31), dt.date(2026, 3, 31)
    got = measures(con, [march, january]).set_index(["as_of", "account_id"])
    assert list(got.index) == [(january, "P1"), (january, "P3"), (march, "P1"), (march, "P2"), (march, "P3")]
    # January: d1 open, d2 closed after; March: d1 and d3 (d2 closed before); d4 has no amount, d5 was lost
    assert got["pipeline"].to_dict() == {(january, "P1"): 150.0, (january, "P3"): 0.0, (march, "P1"): 130.0,
                                         (march, "P2"): 0.0, (march, "P3"): 0.0}
    assert got.loc[(january, "P1"), "relationship"] == pytest.approx(395 / 365.25)   # 2025-01-01 to 2026-01-31
    assert got.loc[(march, "P2"), "relationship"] == pytest.approx(58 / 365.25)      # first order 2026-02-01
    assert got["relationship"].isna().to_dict()[(march, "P3")]


def test_rows_go_by_tier_then_score_and_shares_cumulate_from_the_largest_revenue_with_ties_by_name(con):
    table = tiers.tier_table(con, Settings(), AS_OF)
    # scores: T1 78.5, T3 58.5, T2 44, T4 34.3, T6 11.8, T5 2.9 (T5 and T6 have no revenue: last tier)
    assert list(table["account_id"]) == ["T1", "T3", "T2", "T4", "T6", "T5"]
    # revenue order 800, 600 (T2 before T3 by name), 600, 100, 0, 0 of a total of 2,100
    cumulative = _by_id(table)["cumulative_share"].to_dict()
    assert cumulative == pytest.approx({"T1": 800 / 2100, "T2": 1400 / 2100, "T3": 2000 / 2100, "T4": 1.0,
                                        "T5": 1.0, "T6": 1.0})
