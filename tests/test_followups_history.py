"""kam.followups_history: the audit trail and replaying events, on tests/fixtures/followups."""

from kam import followups, followups_history as history
from tests.conftest import database_fixture


con = database_fixture("followups", scope="function")


def test_replaying_the_fixture_events_gives_the_rows_the_importer_and_demo_wrote(con):
    assert history.replay(con) == history.snapshot(con)
    assert history.replay(con)[3] == {
        "account_id": "F3", "owner": "Amy Chen", "due_date": "2026-06-10", "channel": "email",
        "action": '=HYPERLINK("http://evil.example","click")', "status": "done", "outcome": "signed the renewal",
        "next_step": "send contract", "next_step_date": "2026-07-15", "warning_rule": "no_order", "version": 1}


def test_replay_follows_updates_to_the_current_rows(con):
    version = followups.update(con, 1, {"status": "in_progress", "due_date": "2026-07-02"}, version=1, user="a")
    followups.update(con, 1, {"outcome": "met the buyer", "status": "done"}, version=version, user="b")
    replayed = history.replay(con)
    assert replayed == history.snapshot(con)
    assert (replayed[1]["status"], replayed[1]["due_date"], replayed[1]["outcome"], replayed[1]["version"]) == \
        ("done", "2026-07-02", "met the buyer", 3)


def test_the_audit_trail_of_an_account_lists_who_changed_what_newest_first(con):
    followups.update(con, 5, {"status": "done", "outcome": "stock ok"}, version=1, user="张伟")
    trail = history.audit_trail(con, account_id="F2")
    assert list(zip(trail["follow_up_id"], trail["event_type"], trail["version"], trail["changed_by"])) == \
        [(5, "updated", 2, "张伟"), (5, "created", 1, "demo"), (2, "created", 1, "demo")]
    assert trail["change"][0] == "outcome: — → stock ok; status: open → done"
    assert trail["change"][1] == ("account_id: — → F2; action: — → -check stock; channel: — → wechat; "
                                  "due_date: — → 2026-06-30; owner: — → 张伟; status: — → open")


def test_changes_since_a_version_merge_every_later_event(con):
    v2 = followups.update(con, 4, {"owner": "张伟"}, version=1, user="a")
    followups.update(con, 4, {"owner": "Amy Chen", "status": "done"}, version=v2, user="b")
    assert history.changes_since(con, 4, 1) == {"owner": "Amy Chen", "status": "done"}
    assert history.changes_since(con, 4, 3) == {}
