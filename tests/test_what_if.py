"""What-if of settings changes on tests/fixtures/scoring_tiers as of 2026-06-30 (see tests/test_tiers.py)."""
import dataclasses
import datetime as dt

from kam import what_if
from kam.settings import Settings
from kam.settings.tiers import TierSettings
from tests.conftest import build_db

AS_OF = dt.date(2026, 6, 30)


def test_lowering_the_first_cut_off_lists_the_accounts_that_would_move_up():
    con = build_db("scoring_tiers")
    candidate = dataclasses.replace(Settings(), tiers=TierSettings(score_cutoffs=(55.0, 40.0)))
    moved = what_if.changes(con, Settings(), candidate, AS_OF)
    assert moved.values.tolist() == [["T3", "Gamma", "tier", "B", "A"]]  # T3 scores 58.5


def test_unchanged_settings_change_nothing():
    con = build_db("scoring_tiers")
    assert what_if.changes(con, Settings(), Settings(), AS_OF).empty


def test_raising_the_green_band_above_100_turns_every_green_account_yellow_and_leaves_unknown_alone():
    from kam import health
    con = build_db("scoring_tiers")
    bands = health.health_table(con, Settings(), AS_OF).set_index("account_id")["band"]
    candidate = dataclasses.replace(Settings(), health=dataclasses.replace(Settings().health, green_from=101.0))
    moved = what_if.changes(con, Settings(), candidate, AS_OF)
    assert moved["account_id"].tolist() == sorted(bands[bands == "green"].index)  # T1 and T3 on this fixture
    assert set(moved["before"]) == {"green"} and set(moved["after"]) == {"yellow"}
