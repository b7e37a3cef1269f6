"""AppTest of the follow-ups page, the Account 360 section and the risk actions, on tests/fixtures/followups as of
2026-06-30. Data-editor edits are made as the browser reports them: st.session_state[key] = edit state."""
import datetime as dt
import os

import pytest
from streamlit.testing.v1 import AppTest

from kam import db, followups

AS_OF = dt.date(2026, 6, 30)
NO_EDITS = {"added_rows": [], "deleted_rows": []}


@pytest.fixture
def page(app_test):
    def open_page(user: str = "张伟", path: str = "pages/followups.py", **state) -> AppTest:
        at = app_test("followups", user=user, as_of=AS_OF, **state)
        return at.switch_page(path).run()
    return open_page


def _db():
    return db.connect(os.environ["KAM_DB"])


def test_my_follow_ups_default_to_the_sidebar_user_with_counts(page):
    at = page()
    assert not at.exception
    assert [m.value for m in at.metric] == ["3", "1", "2"]
    assert at.session_state["fu_mine_editor_0_rows"] == [(1, 1), (5, 1), (2, 1)]
    assert not at.warning


def test_an_edit_in_the_table_is_saved_at_once_with_the_version_it_was_shown_at(page):
    at = page()
    at.session_state["fu_mine_editor_0"] = {"edited_rows": {1: {"status": "done", "due_date": "2026-07-01"}},
                                           **NO_EDITS}
    at.run()
    assert [s.value for s in at.success] == ["Saved follow-up #5 (version 2)"]
    con = _db()
    row = followups.get(con, 5)
    assert (row["status"], row["due_date"], row["version"], row["updated_by"]) == \
        ("done", dt.date(2026, 7, 1), 2, "张伟")
    # the grid is redrawn from the database: follow-up 5 is done, so it leaves the open list
    assert at.session_state["fu_mine_editor_1_rows"] == [(1, 1), (2, 1)]
    assert [m.value for m in at.metric] == ["2", "1", "1"]


def test_a_second_editor_of_the_same_row_gets_the_first_persons_change_and_overwrites_nothing(page):
    at = page()
    con = _db()
    followups.update(con, 1, {"owner": "Amy Chen", "status": "in_progress"}, version=1, user="Amy Chen")
    at.session_state["fu_mine_editor_0"] = {"edited_rows": {0: {"status": "cancelled"}}, **NO_EDITS}
    at.run()
    assert [e.value for e in at.error] == [
        "Follow-up #1 was changed by Amy Chen (now version 2); your change was not saved. Their change: "
        "Owner: Amy Chen; Status: in progress. Check the latest values and edit again."]
    row = followups.get(con, 1)
    assert (row["owner"], row["status"], row["version"]) == ("Amy Chen", "in_progress", 2)


def test_without_a_user_name_the_page_says_so_and_an_edit_is_refused(page):
    at = page(user="")
    assert "Enter your name in the sidebar" in at.warning[0].value
    at.session_state["fu_mine_editor_0"] = {"edited_rows": {0: {"status": "done"}}, **NO_EDITS}
    at.run()
    assert "user name is required" in at.error[0].value
    assert followups.get(_db(), 3)["version"] == 1


def test_the_outcome_form_closes_a_follow_up_with_what_happened(page):
    at = page()
    at.selectbox(key="fu_mine_outcome_pick").select(2)
    at.text_area(key="fu_mine_outcome_outcome").input("客户确认延期原因")
    at.text_input(key="fu_mine_outcome_next_step").input("send the new plan")
    at.date_input(key="fu_mine_outcome_next_step_date").set_value(dt.date(2026, 7, 8))
    at.button[0].click().run()
    assert [s.value for s in at.success] == ["Saved follow-up #2 (version 2)"]
    row = followups.get(_db(), 2)
    assert (row["status"], row["outcome"], row["next_step"], row["next_step_date"]) == \
        ("done", "客户确认延期原因", "send the new plan", dt.date(2026, 7, 8))


def test_the_overdue_and_cadence_tabs_list_everything_overdue(page):
    at = page(fu_owner="Amy Chen")
    assert [m.value for m in at.metric] == ["1", "0", "0"]
    titles = [h.value for h in at.subheader]
    assert "Overdue follow-ups (1)" in titles
    assert "Accounts overdue for contact (2)" in titles  # no orders: every account in the last tier (90 days)


def test_account_360_shows_the_accounts_follow_ups_and_creates_one_for_its_owner(page):
    at = page(path="pages/account_360.py")
    at.query_params["account"] = "F2"
    at.run()
    assert not at.exception
    assert at.session_state["fu_account_editor_0_rows"] == [(5, 1), (2, 1)]
    assert at.selectbox(key="fu_account_new_owner").value == "张伟"
    at.text_input(key="fu_account_new_action").input("拜访采购总监")
    next(b for b in at.button if b.label == "Create").click().run()
    assert [s.value for s in at.success] == ["Created follow-up #7"]
    row = followups.get(_db(), 7)
    assert (row["account_id"], row["owner"], row["action"], row["due_date"]) == \
        ("F2", "张伟", "拜访采购总监", dt.date(2026, 7, 7))


def _risk_script():
    import pandas as pd
    from ui import shell
    from ui.sections.followups import risk_actions
    ctx = shell.sidebar()
    risk_actions(ctx, pd.DataFrame({"account_id": ["F1", "F3", "F4"], "name": ["甲公司", "Gamma GmbH", "丁集团"],
                                    "owner": ["张伟", "Amy Chen", "Amy Chen"],
                                    "rule": ["no_order", "no_order", "nps_low"],
                                    "facts": [{"days": 120, "interval": 30, "multiple": 4.0},
                                              {"days": 95, "interval": 45, "multiple": 2.1},
                                              {"nps": 3, "threshold": 7}]}))


def test_risk_actions_show_each_warnings_follow_up_and_create_one_in_one_click(app_db):
    app_db("followups")
    at = AppTest.from_function(_risk_script, default_timeout=30)
    for key, value in {"lang": "en", "user": "李强", "as_of": AS_OF}.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert at.caption[0].value == "1 with an open follow-up · 1 without · 1 closed but still active"
    table = at.dataframe[0].value
    assert list(table["follow_up_state"]) == ["no follow-up", "closed, warning still active", "follow-up open"]
    assert list(at.dataframe[1].value["follow_up_id"]) == [6]  # F5's warning is no longer active: cleared
    at.button(key="fu_risk_create").click().run()
    assert [s.value for s in at.success] == ["Created follow-up #7", "Every warning has a follow-up"]
    row = followups.get(_db(), 7)
    assert (row["account_id"], row["owner"], row["warning_rule"], row["due_date"], row["updated_by"]) == \
        ("F1", "张伟", "no_order", dt.date(2026, 7, 7), "李强")
    assert row["action"] == "No order for 120 days, 4.0x its usual 30-day interval"
    assert list(at.dataframe[0].value["follow_up_state"]) == ["follow-up open", "closed, warning still active",
                                                              "follow-up open"]


def test_the_page_reads_in_chinese_and_a_chinese_status_label_saves_as_its_code(page):
    at = page(lang="zh")
    assert [m.label for m in at.metric] == ["未完成", "已逾期", "本周到期"]
    assert [t.label for t in at.tabs] == ["我的跟进", "逾期", "拜访节奏"]
    at.session_state["fu_mine_editor_0"] = {"edited_rows": {2: {"status": "已完成"}}, **NO_EDITS}
    at.run()
    assert [s.value for s in at.success] == ["已保存跟进 #2（版本 2）"]
    assert followups.get(_db(), 2)["status"] == "done"
