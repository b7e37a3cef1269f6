"""kam.funnel: the command-line summary, period presets and stage names (tests/fixtures/funnel, 2026-06-30)."""
import datetime as dt
import json

import pytest

from kam import db, funnel
from kam.settings import Settings
from tests.conftest import database_fixture
from tests.funnel_fixture import AS_OF


con = database_fixture("funnel", scope="function")


def test_summary_follows_the_command_line_contract_with_hand_computed_values(con):
    result = json.loads(json.dumps(funnel.summary(con, Settings(), AS_OF)))
    assert set(result) == {"stages", "win_rate", "win_rate_amount", "median_cycle_days", "weighted_pipeline",
                           "stalled"}
    assert [(s["stage"], s["deals"], s["amount"]) for s in result["stages"]] == [
        ("lead", 10, 640_000), ("qualified", 8, 590_000), ("proposal", 7, 590_000), ("negotiation", 5, 360_000),
        ("won", 2, 130_000), ("lost", 2, 30_000)]
    assert [s["conversion_to_next"] for s in result["stages"]] == pytest.approx([0.8, 0.875, 5 / 7, 0.4, None, None])
    assert (result["win_rate"], result["win_rate_amount"], result["median_cycle_days"]) == (0.5, 0.8125, 39.5)
    assert result["weighted_pipeline"] == 296_500
    assert result["stalled"] == [{"opportunity_id": "D1", "stage": "negotiation", "days_in_stage": 121},
                                 {"opportunity_id": "D2", "stage": "proposal", "days_in_stage": 60}]


def test_summary_without_stage_history_lists_no_stalled_deals(con):
    db.execute(con, "DELETE FROM opportunity_stage_history")
    assert funnel.summary(con, Settings(), AS_OF)["stalled"] == []


@pytest.mark.parametrize("name, expected", [
    ("all", (None, None)),
    ("this_quarter", (dt.date(2026, 4, 1), AS_OF)),
    ("last_quarter", (dt.date(2026, 1, 1), dt.date(2026, 3, 31))),
    ("this_year", (dt.date(2026, 1, 1), AS_OF)),
    ("last_12_months", (dt.date(2025, 7, 1), AS_OF)),
])
def test_period_presets_name_created_date_windows_ending_on_as_of(name, expected):
    assert funnel.period_range(name, AS_OF) == expected


def test_default_stages_have_chinese_names_and_custom_ones_show_as_typed():
    assert funnel.stage_label("proposal", "zh") == "方案报价"
    assert funnel.stage_label("proposal", "en") == "Proposal"
    assert funnel.stage_label("POC", "zh") == "POC"


def test_every_period_preset_has_a_label_in_both_languages():
    from kam.i18n import catalogue
    assert [p for p in funnel.PERIODS if f"funnel.period.{p}" not in catalogue()] == []


def test_forecast_periods_are_named_by_quarter_or_month_in_each_language():
    assert funnel.period_label(dt.date(2026, 4, 1), "quarter", "en") == "2026 Q2"
    assert funnel.period_label(dt.date(2026, 4, 1), "quarter", "zh") == "2026年Q2"
    assert funnel.period_label(dt.date(2026, 6, 1), "month", "en") == "Jun 2026"
    assert funnel.period_label(None, "month", "zh") == "—"
