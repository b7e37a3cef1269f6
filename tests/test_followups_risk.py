"""kam.followups_risk on tests/fixtures/followups: follow-up 3 (F3, no_order) is done, 4 (F4, nps_low) open,
6 (F5, no_order) cancelled; the active warnings below are made by hand."""
import datetime as dt

import pandas as pd

from kam import followups_risk
from kam.settings import Settings
from tests.conftest import database_fixture

WARNINGS = pd.DataFrame({"account_id": ["F1", "F3", "F4", "F2"], "owner": ["张伟", "Amy Chen", "Amy Chen", "张伟"],
                         "rule": ["no_order", "no_order", "nps_low", "complaint"]})


con = database_fixture("followups", scope="function")


def test_each_warning_shows_whether_an_open_a_closed_or_no_follow_up_answers_it(con):
    states = followups_risk.warning_states(con, WARNINGS)
    assert list(states["account_id"]) == ["F1", "F3", "F4", "F2"]
    assert list(states["follow_up_state"]) == ["none", "closed", "open", "none"]
    assert states["follow_up_id"].tolist() == [pd.NA, 3, 4, pd.NA]


def test_a_closed_follow_up_whose_warning_is_gone_counts_as_cleared(con):
    done = followups_risk.cleared(con, WARNINGS)
    assert done[["follow_up_id", "account_id", "rule", "status"]].values.tolist() == \
        [[6, "F5", "no_order", "cancelled"]]
    assert list(followups_risk.cleared(con, WARNINGS.iloc[:0])["follow_up_id"]) == [6, 3]


def test_a_follow_up_from_a_warning_is_prefilled_with_its_reason_owner_and_due_date():
    values = followups_risk.from_warning(WARNINGS.iloc[0].to_dict(), "No order for 120 days", Settings(),
                                         dt.date(2026, 6, 30))
    assert values == {"account_id": "F1", "owner": "张伟", "action": "No order for 120 days",
                      "warning_rule": "no_order", "status": "open", "due_date": dt.date(2026, 7, 7)}


def test_a_database_without_follow_ups_has_nothing_cleared_and_every_warning_uncovered(tiny):
    states = followups_risk.warning_states(tiny, WARNINGS.iloc[:1].assign(account_id="A001"))
    assert list(states["follow_up_state"]) == ["none"]
    assert followups_risk.cleared(tiny, WARNINGS).empty
