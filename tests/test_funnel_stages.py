"""kam.funnel_stages on tests/fixtures/funnel, as of 2026-06-30 (see the fixture README for each deal's story).

Reached stage per deal (furthest open stage; won = every open stage): D1 negotiation (skipped qualified),
D2 proposal (reopened), D3 won, D4 qualified (lost), D5 won, D6 proposal (lost), D7 lead, D8 lead (unknown POC),
D9 negotiation (Chinese labels), D10 negotiation (won after as-of: open then). D11 does not exist yet.
"""
import pytest

from kam import db
from kam.funnel_config import FunnelFilter
from kam.funnel_stages import stage_table, time_in_stage, unknown_stages, win_stats
from kam.scope import Scope
from kam.settings import Settings
from tests.conftest import database_fixture
from tests.funnel_fixture import AS_OF


con = database_fixture("funnel", scope="function")


def _rows(frame, *columns):
    return {row["stage"]: tuple(row[c] for c in columns) for _, row in frame.iterrows()}


def test_funnel_bars_count_deals_that_reached_each_stage_with_skipped_stages_counted_as_passed(con):
    table = stage_table(con, Settings(), AS_OF)
    # lead: all 10 (640k = 100+200+50+0+80+30+40+10+60+70); qualified: not D7, D8; proposal: not D4 either;
    # negotiation: D1, D3, D5, D9, D10; won: D3, D5; lost: D4 (no amount), D6.
    assert _rows(table[table["kind"] != "unknown"], "deals", "amount") == {
        "lead": (10, 640_000), "qualified": (8, 590_000), "proposal": (7, 590_000),
        "negotiation": (5, 360_000), "won": (2, 130_000), "lost": (2, 30_000)}


def test_conversion_is_next_bar_over_this_bar_up_to_won(con):
    conversion = stage_table(con, Settings(), AS_OF).set_index("stage")["conversion_to_next"]
    assert conversion["lead"] == pytest.approx(8 / 10)
    assert conversion["qualified"] == pytest.approx(7 / 8)
    assert conversion["proposal"] == pytest.approx(5 / 7)
    assert conversion["negotiation"] == pytest.approx(2 / 5)
    assert conversion[["won", "lost", "POC"]].isna().all()


def test_current_stage_counts_place_a_deal_won_after_as_of_in_its_open_stage(con):
    table = stage_table(con, Settings(), AS_OF)
    # negotiation now: D1, D9 (商务谈判), D10 (won only on 2026-07-10)
    assert _rows(table, "current_deals", "current_amount")["negotiation"] == (3, 230_000)
    assert _rows(table, "current_deals")["qualified"] == (0,)


def test_a_stage_label_that_is_not_configured_is_reported_not_dropped(con):
    unknown = unknown_stages(stage_table(con, Settings(), AS_OF))
    assert unknown.to_dict("records") == [{"stage": "POC", "current_deals": 1, "current_amount": 10_000}]


def test_a_deal_created_after_as_of_is_not_counted(con):
    later = stage_table(con, Settings(), AS_OF.replace(month=7, day=31)).set_index("stage")
    # by 31 July D11 exists and D10 is won: lead 11 deals, won 3
    assert (later.at["lead", "deals"], later.at["won", "deals"]) == (11, 3)


def test_the_shared_scope_keeps_only_deals_of_matching_accounts(con):
    table = stage_table(con, Settings(), AS_OF, FunnelFilter(scope=Scope(regions=("华北",))))
    # F2 deals: D4, D5, D7, D8, D10 (D3 has no account, so it is out once a filter is set)
    assert _rows(table[table["kind"] != "unknown"], "deals")["lead"] == (5,)
    assert _rows(table, "deals")["won"] == (1,)


def test_win_rate_by_count_and_by_amount_with_a_lost_deal_without_amount(con):
    wins = win_stats(con, Settings(), AS_OF)
    assert (wins.won, wins.lost, wins.won_amount, wins.lost_amount) == (2, 2, 130_000, 30_000)
    assert wins.win_rate == 0.5
    assert wins.win_rate_amount == pytest.approx(130_000 / 160_000)


def test_cycle_time_runs_from_created_to_closed_over_won_and_lost_deals(con):
    wins = win_stats(con, Settings(), AS_OF)
    # D3 74 days, D4 40, D5 39, D6 31
    assert (wins.avg_cycle_days, wins.median_cycle_days) == (46.0, 39.5)


def test_a_period_keeps_deals_created_in_it(con):
    import datetime as dt
    wins = win_stats(con, Settings(), AS_OF, FunnelFilter(date_from=dt.date(2026, 4, 1), date_to=AS_OF))
    # created Apr-Jun: D5 (won 80k, 39 days), D6 (lost 30k, 31 days), D7-D10 open
    assert (wins.won, wins.lost, wins.median_cycle_days) == (1, 1, 35.0)
    assert wins.win_rate_amount == pytest.approx(80 / 110)


def test_nothing_closed_gives_no_win_rate_rather_than_zero(con):
    wins = win_stats(con, Settings(), AS_OF.replace(month=1, day=31))
    assert (wins.won, wins.lost, wins.win_rate, wins.median_cycle_days) == (0, 0, None, None)


def test_time_in_stage_sums_the_stays_of_a_reopened_deal_and_leaves_out_running_stays(con):
    table = time_in_stage(con, Settings(), AS_OF).set_index("stage")
    # lead: D1 22, D2 14, D3 15, D4 9, D5 9, D6 9, D9 26, D10 24 -> 8 deals, mean 16, median 14.5
    # qualified: D2 14 + 30 = 44, D3 21, D4 31, D5 10; proposal: D1 28, D3 19, D5 20, D6 22; negotiation: D3 19
    assert table["deals"].tolist() == [8, 4, 4, 1]
    assert table["avg_days"].tolist() == [16.0, 26.5, 22.25, 19.0]
    assert table["median_days"].tolist() == [14.5, 26.0, 21.0, 19.0]


def test_time_in_stage_says_it_needs_stage_history_when_there_is_none(con):
    db.execute(con, "DELETE FROM opportunity_stage_history")
    assert time_in_stage(con, Settings(), AS_OF) is None


def test_without_history_a_deal_reaches_only_its_current_stage(con):
    db.execute(con, "DELETE FROM opportunity_stage_history")
    table = stage_table(con, Settings(), AS_OF).set_index("stage")
    # reached: D1 negotiation, D2 proposal, D3 and D5 won (all open stages), D9 negotiation; D4 and D6 were lost
    # at an unknown stage: lead only; D7, D8 lead; D10 (won after as-of, no history) falls back to lead
    assert table.loc[["lead", "qualified", "proposal", "negotiation", "won"], "deals"].tolist() == [10, 5, 5, 4, 2]
