"""kam.funnel_forecast on tests/fixtures/funnel, as of 2026-06-30.

Open deals then (amount x probability): D1 100k x 0.75, D2 200k x 0.6 (its own), D7 40k x 0.10, D8 10k x 0
(unknown stage POC), D9 60k x 0.75, D10 70k x 0.75 (won only on 10 Jul) = 75 + 120 + 4 + 0 + 45 + 52.5 = 296.5k.
"""
import datetime as dt


from kam.funnel_config import FunnelFilter
from kam.funnel_forecast import forecast_by, forecast_by_period, loss_reasons, period_changes, pipeline_totals
from kam.settings import Settings
from tests.conftest import database_fixture
from tests.funnel_fixture import AS_OF


con = database_fixture("funnel", scope="function")


def test_weighted_pipeline_uses_the_deals_own_probability_else_its_stage_default(con):
    totals = pipeline_totals(con, Settings(), AS_OF)
    assert (totals.pipeline, totals.weighted_pipeline, totals.open_deals, totals.won_amount) == (
        480_000, 296_500, 6, 130_000)


def test_forecast_by_quarter_sets_weighted_pipeline_by_expected_close_against_won_revenue(con):
    frame = forecast_by_period(con, Settings(), AS_OF, grain="quarter")
    # Q1: D3 won 50k; Q2: D5 won 80k, D2 + D9 expected (260k, 120k + 45k); Q3: D1, D7, D8, D10
    assert frame.values.tolist() == [
        [dt.date(2026, 1, 1), 50_000, 0, 0, 0], [dt.date(2026, 4, 1), 80_000, 260_000, 165_000, 2],
        [dt.date(2026, 7, 1), 0, 220_000, 131_500, 4]]


def test_forecast_by_month_splits_the_same_amounts(con):
    frame = forecast_by_period(con, Settings(), AS_OF, grain="month").set_index("period")
    assert frame.loc[dt.date(2026, 7, 1)].tolist() == [0, 170_000, 127_500, 2]  # D1 and D10
    assert frame["weighted"].sum() == 296_500


def test_forecast_per_owner_and_region_keeps_the_deal_without_an_account(con):
    owners = forecast_by(con, Settings(), AS_OF, dimension="owner")
    assert owners.values.tolist() == [["张伟", 3, 360_000, 240_000, 0], ["Amy Chen", 3, 120_000, 56_500, 80_000],
                                      ["Bob Li", 0, 0, 0, 50_000]]
    regions = forecast_by(con, Settings(), AS_OF, dimension="region")
    assert regions["key"].isna().tolist() == [False, False, True]
    assert regions["won"].tolist() == [0, 80_000, 50_000]


def test_forecast_per_tier_and_the_tier_filter_use_the_tier_table(con, monkeypatch):
    import pandas as pd
    from kam import tiers
    fake = pd.DataFrame({"account_id": ["F1", "F2"], "tier": ["A", "B"], "tier_rank": [0, 1]})
    monkeypatch.setattr(tiers, "tier_table", lambda *args, **kwargs: fake)
    by_tier = forecast_by(con, Settings(), AS_OF, dimension="tier")
    assert by_tier[["key", "weighted", "won"]].values.tolist()[:2] == [["A", 240_000, 0], ["B", 56_500, 80_000]]
    only_b = pipeline_totals(con, Settings(), AS_OF, FunnelFilter(tiers=("B",)))
    assert (only_b.weighted_pipeline, only_b.won_amount) == (56_500, 80_000)


def test_loss_reasons_are_ranked_by_count_then_amount(con):
    assert loss_reasons(con, Settings(), AS_OF).values.tolist() == [["竞争对手", 1, 30_000], ["价格", 1, 0]]


def test_no_loss_reasons_in_the_source_says_so(con):
    from kam import db
    db.execute(con, "UPDATE opportunities SET loss_reason = NULL")
    assert loss_reasons(con, Settings(), AS_OF) is None


def test_period_changes_compare_new_won_and_lost_with_the_period_before(con):
    changes = period_changes(con, Settings(), AS_OF, FunnelFilter(), dt.date(2026, 4, 1), AS_OF)
    # Apr-Jun: new D5-D10 (290k), won D5, lost D4 (no amount) and D6; 91 days before: new D1-D4, won D3
    assert changes.current.values.tolist() == [[6, 290_000], [1, 80_000], [2, 30_000]]
    assert changes.previous.values.tolist() == [[4, 350_000], [1, 50_000], [0, 0]]
    assert (changes.previous_from, changes.previous_to) == (dt.date(2025, 12, 31), dt.date(2026, 3, 31))
    assert changes.needs_snapshots == ("moved_in", "moved_out", "amount_changed")


def test_period_changes_table_shows_each_measure_against_the_previous_period(con):
    changes = period_changes(con, Settings(), AS_OF, FunnelFilter(), dt.date(2026, 4, 1), AS_OF)
    table = changes.table()
    assert table["measure"].tolist() == ["new", "won", "lost"]
    assert table["deals_change"].tolist() == [2, 0, 2]
    assert table["amount_change"].tolist() == [-60_000, 30_000, 30_000]
