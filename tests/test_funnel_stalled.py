"""kam.funnel_stalled on tests/fixtures/funnel, as of 2026-06-30 (days to rot: lead 30, qualified 30,
proposal 45, negotiation 30)."""

from kam import db
from kam.funnel_config import FunnelFilter
from kam.funnel_stalled import deals_behind, overdue_deals, stalled_deals, stalled_list
from kam.scope import Scope
from kam.settings import Settings
from tests.conftest import build_db, database_fixture
from tests.funnel_fixture import AS_OF


con = database_fixture("funnel", scope="function")


def test_open_deals_in_their_stage_past_its_days_to_rot_are_stalled_longest_first(con):
    stalled = stalled_deals(con, Settings(), AS_OF)
    # D1 in negotiation since 1 Mar (121 days > 30); D2 re-entered proposal 1 May (60 > 45);
    # D7 lead 10 days, D9 negotiation 20, D10 negotiation 5: not stalled; D8 has no history
    assert stalled[["opportunity_id", "stage", "days_in_stage", "days_to_rot"]].values.tolist() == [
        ["D1", "negotiation", 121, 30], ["D2", "proposal", 60, 45]]
    assert stalled["owner"].tolist() == ["张伟", "张伟"]
    assert stalled["amount"].tolist() == [100_000, 200_000]


def test_a_longer_days_to_rot_unflags_a_deal():
    import dataclasses
    from kam.settings.funnel import FunnelSettings
    stages = tuple((n, p, k, 100 if n == "proposal" else r) for n, p, k, r in FunnelSettings().stages)
    settings = dataclasses.replace(Settings(), funnel=FunnelSettings(stages=stages))
    con = build_db("funnel")
    assert stalled_deals(con, settings, AS_OF)["opportunity_id"].tolist() == ["D1"]


def test_the_command_line_stalled_list_holds_the_same_deals_as_plain_dicts(con):
    assert stalled_list(con, Settings(), AS_OF) == [
        {"opportunity_id": "D1", "stage": "negotiation", "days_in_stage": 121},
        {"opportunity_id": "D2", "stage": "proposal", "days_in_stage": 60}]


def test_stalled_deals_need_stage_history(con):
    db.execute(con, "DELETE FROM opportunity_stage_history")
    assert stalled_deals(con, Settings(), AS_OF) is None
    assert stalled_list(con, Settings(), AS_OF) is None


def test_open_deals_past_their_expected_close_date_are_overdue(con):
    overdue = overdue_deals(con, Settings(), AS_OF)
    # D2 expected 15 Jun (15 days), D9 20 Jun (10 days); D3, D4, D6 were due earlier but are closed
    assert overdue[["opportunity_id", "days_overdue"]].values.tolist() == [["D2", 15], ["D9", 10]]


def test_a_funnel_bar_drills_down_to_the_deals_counted_in_it_largest_first(con):
    behind = deals_behind(con, Settings(), AS_OF, FunnelFilter(), "stage", "qualified")
    # reached qualified: everything but D7 and D8; D4 has no amount so it comes last
    assert behind["opportunity_id"].tolist() == ["D2", "D1", "D5", "D10", "D9", "D3", "D6", "D4"]


def test_the_won_and_lost_bars_drill_down_to_closed_deals(con):
    assert deals_behind(con, Settings(), AS_OF, FunnelFilter(), "stage", "won")["opportunity_id"].tolist() == [
        "D5", "D3"]
    assert deals_behind(con, Settings(), AS_OF, FunnelFilter(), "stage", "POC")["opportunity_id"].tolist() == [
        "D8"]


def test_table_rows_drill_down_by_owner_reason_and_close_quarter(con):
    import datetime as dt
    ids = lambda by, value: deals_behind(con, Settings(), AS_OF, FunnelFilter(), by, value)[
        "opportunity_id"].tolist()
    assert ids("owner", "Bob Li") == ["D3"]
    assert ids("loss_reason", "价格") == ["D4"]
    assert ids("close_quarter", dt.date(2026, 4, 1)) == ["D2", "D9"]
    assert ids("region", None) == ["D3"]


def test_the_deal_without_an_account_drops_out_when_a_filter_is_set(con):
    behind = deals_behind(con, Settings(), AS_OF, FunnelFilter(scope=Scope(owners=("Amy Chen",))), "stage", "won")
    assert behind["opportunity_id"].tolist() == ["D5"]


def test_a_limit_keeps_the_first_deals_of_a_list(con):
    assert stalled_deals(con, Settings(), AS_OF, limit=1)["opportunity_id"].tolist() == ["D1"]
    assert overdue_deals(con, Settings(), AS_OF, limit=1)["opportunity_id"].tolist() == ["D2"]
    assert deals_behind(con, Settings(), AS_OF, FunnelFilter(), "stage", "lead", limit=2)[
        "opportunity_id"].tolist() == ["D2", "D1"]
