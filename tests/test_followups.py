"""kam.followups on tests/fixtures/followups (6 follow-ups, as of 2026-06-30; see the CSVs there)."""
import datetime as dt
import json

import pytest

from kam import db, followups
from kam.errors import ConflictError, InputError
from kam.scope import Scope
from kam.settings import Settings
from tests.conftest import database_fixture

AS_OF = dt.date(2026, 6, 30)


con = database_fixture("followups", scope="function")


def _events(con, follow_up_id):
    return db.query(con, "SELECT event_type, version, changed_by, old_values::VARCHAR AS old, "
                         "new_values::VARCHAR AS new FROM follow_up_events WHERE follow_up_id = ? ORDER BY version",
                    [follow_up_id])


def test_creating_a_follow_up_stores_version_1_and_a_created_event_with_every_editable_column(con):
    new_id = followups.create(con, {"account_id": "F1", "owner": "张伟", "due_date": "2026-07-08",
                                    "channel": "电话", "action": " 回访 "}, user="李强")
    assert new_id == 7
    row = followups.get(con, new_id)
    assert (row["status"], row["channel"], row["action"], row["due_date"], row["version"], row["updated_by"]) == \
        ("open", "call", "回访", dt.date(2026, 7, 8), 1, "李强")
    events = _events(con, new_id)
    assert list(events["event_type"]) == ["created"] and events["old"][0] is None
    assert json.loads(events["new"][0]) == {
        "account_id": "F1", "owner": "张伟", "due_date": "2026-07-08", "channel": "call", "action": "回访",
        "status": "open", "outcome": None, "next_step": None, "next_step_date": None, "warning_rule": None}


def test_an_update_bumps_the_version_and_logs_only_the_changed_columns(con):
    new_version = followups.update(con, 1, {"status": "已完成", "outcome": "visited", "owner": "张伟"},
                                   version=1, user="张伟")
    assert new_version == 2
    row = followups.get(con, 1)
    assert (row["status"], row["outcome"], row["version"], row["updated_by"]) == ("done", "visited", 2, "张伟")
    event = _events(con, 1).iloc[-1]
    assert (event["event_type"], event["version"], event["changed_by"]) == ("updated", 2, "张伟")
    assert json.loads(event["old"]) == {"status": "open", "outcome": None}
    assert json.loads(event["new"]) == {"status": "done", "outcome": "visited"}


def test_an_update_that_changes_nothing_writes_nothing(con):
    assert followups.update(con, 1, {"status": "open", "due_date": dt.date(2026, 6, 25)}, version=1, user="x") == 1
    assert len(_events(con, 1)) == 1


def test_a_second_save_of_the_same_version_is_refused_with_the_first_editors_change(con):
    followups.update(con, 2, {"due_date": "2026-07-10"}, version=1, user="张伟")
    with pytest.raises(ConflictError) as caught:
        followups.update(con, 2, {"status": "done"}, version=1, user="Amy Chen")
    current = caught.value.current
    assert (current["version"], current["updated_by"], current["due_date"], current["status"]) == \
        (2, "张伟", dt.date(2026, 7, 10), "in_progress")
    assert current["changes"] == {"due_date": "2026-07-10"}
    assert "张伟" in str(caught.value)
    assert followups.get(con, 2)["status"] == "in_progress" and len(_events(con, 2)) == 2


def test_writes_without_a_user_name_are_refused(con):
    with pytest.raises(InputError, match="user name"):
        followups.update(con, 1, {"status": "done"}, version=1, user="  ")
    with pytest.raises(InputError, match="user name"):
        followups.create(con, {"account_id": "F1"}, user="")
    assert followups.get(con, 1)["version"] == 1


@pytest.mark.parametrize("changes, column", [({"status": "maybe"}, "status"), ({"due_date": "next week"}, "due_date"),
                                             ({"channel": "pigeon"}, "channel"), ({"status": None}, "status"),
                                             ({"account_id": "NOPE"}, "account_id"), ({"version": 9}, "version")])
def test_bad_values_are_refused_naming_the_column_and_nothing_changes(con, changes, column):
    with pytest.raises(InputError) as caught:
        followups.update(con, 1, changes, version=1, user="x")
    assert caught.value.column == column
    assert followups.get(con, 1)["version"] == 1 and len(_events(con, 1)) == 1


def test_creating_for_an_unknown_account_writes_nothing(con):
    with pytest.raises(InputError, match="unknown account"):
        followups.create(con, {"account_id": "ZZ"}, user="x")
    assert db.scalar(con, "SELECT count(*) FROM follow_ups") == 6
    assert db.scalar(con, "SELECT count(*) FROM follow_up_events") == 6


def test_the_list_is_sorted_by_due_date_with_undated_last_and_flags_open_items_past_due(con):
    frame = followups.follow_up_list(con, AS_OF)
    assert list(frame["follow_up_id"]) == [3, 1, 5, 2, 4, 6]
    assert dict(zip(frame["follow_up_id"], frame["overdue"])) == {3: False, 1: True, 5: False, 2: False,
                                                                  4: False, 6: False}
    assert dict(zip(frame["follow_up_id"], frame["days_overdue"])) == {3: 0, 1: 5, 5: 0, 2: 0, 4: 0, 6: 0}


def test_the_list_honours_owner_account_and_scope(con):
    assert list(followups.follow_up_list(con, AS_OF, owner="Amy Chen")["follow_up_id"]) == [3, 4, 6]
    assert list(followups.follow_up_list(con, AS_OF, account_id="F2")["follow_up_id"]) == [5, 2]
    assert list(followups.follow_up_list(con, AS_OF, scope=Scope(regions=("华东",)))["follow_up_id"]) == [1, 5, 2]


def test_overdue_keeps_every_open_item_past_its_due_date(con):
    assert list(followups.overdue(con, dt.date(2026, 7, 21))["follow_up_id"]) == [1, 5, 2, 4]
    assert list(followups.overdue(con, dt.date(2026, 7, 21))["days_overdue"]) == [26, 21, 18, 1]


def test_my_follow_ups_count_overdue_and_due_this_week(con):
    frame, counts = followups.my_follow_ups(con, Settings(), AS_OF, "张伟")
    assert list(frame["follow_up_id"]) == [1, 5, 2]
    assert counts == followups.Counts(open=3, overdue=1, due_soon=2)
    frame, counts = followups.my_follow_ups(con, Settings(), AS_OF, "Amy Chen", include_closed=True)
    assert list(frame["follow_up_id"]) == [3, 4, 6]
    assert counts == followups.Counts(open=1, overdue=0, due_soon=0)
