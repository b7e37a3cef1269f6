"""Commit and undo: before-images, follow-up events, and the cases where undo must refuse."""
import json

import pytest

from kam import db, settings
from kam.errors import ConflictError
from kam.ingest import pipeline, store

TASKS = "客户,跟进事项,截止日期,状态,follow up id\nAcme Corp,回访,2026-07-01,{status},{id}\n"


def _import(con, name, text):
    plans = pipeline.read_sources(con, [(name, text.encode())])
    return pipeline.commit(con, plans, settings.load(con), user="amy")[0]


def test_a_later_import_must_be_undone_before_an_earlier_one(tiny):
    first = _import(tiny, "a.csv", "Customer,Order Date,Amount\nAcme Corp,2025-03-01,5\n")
    second = _import(tiny, "b.csv", "Customer,Order Date,Amount\nAcme Corp,2025-04-01,7\n")
    with pytest.raises(ConflictError, match=f"import {second} came after import {first}"):
        pipeline.undo(tiny, first, user="amy")
    pipeline.undo(tiny, second, user="amy")
    pipeline.undo(tiny, first, user="amy")
    assert db.scalar(tiny, "SELECT count(*) FROM orders WHERE batch_id IS NOT NULL") == 0


def test_an_undone_import_cannot_be_undone_twice(tiny):
    batch = _import(tiny, "a.csv", "Customer,Order Date,Amount\nAcme Corp,2025-03-01,5\n")
    pipeline.undo(tiny, batch, user="amy")
    with pytest.raises(ConflictError, match="already undone"):
        pipeline.undo(tiny, batch, user="amy")


def test_re_importing_a_follow_up_with_a_new_status_bumps_its_version_and_logs_an_update(tiny):
    _import(tiny, "t.csv", TASKS.format(status="待办", id=""))
    follow_up_id = db.scalar(tiny, "SELECT follow_up_id FROM follow_ups")
    batch = _import(tiny, "t2.csv", TASKS.format(status="已完成", id=follow_up_id))
    assert db.query(tiny, "SELECT status, version, batch_id FROM follow_ups").values.tolist() == [["done", 2, batch]]
    event = db.query(tiny, "SELECT event_type, version, old_values, new_values FROM follow_up_events "
                           "ORDER BY event_id").iloc[-1]
    assert (event["event_type"], event["version"]) == ("updated", 2)
    assert (json.loads(event["old_values"])["status"], json.loads(event["new_values"])["status"]) == ("open", "done")
    pipeline.undo(tiny, batch, user="amy")
    assert db.query(tiny, "SELECT status, version FROM follow_ups").values.tolist() == [["open", 1]]
    assert db.scalar(tiny, "SELECT count(*) FROM follow_up_events") == 1


def test_an_import_whose_follow_ups_were_edited_since_cannot_be_undone(tiny):
    batch = _import(tiny, "t.csv", TASKS.format(status="待办", id=""))
    db.execute(tiny, "INSERT INTO follow_up_events (follow_up_id, event_type, version, changed_by, new_values) "
                     "SELECT follow_up_id, 'updated', 2, 'bob', '{}' FROM follow_ups")
    with pytest.raises(ConflictError, match="1 follow-up change"):
        pipeline.undo(tiny, batch, user="amy")


def test_the_history_lists_imports_newest_first_with_their_totals(tiny):
    _import(tiny, "a.csv", "Customer,Order Date,Amount\nAcme Corp,2025-03-01,5\nAcme Corp,bad,1\n")
    _import(tiny, "b.csv", "Customer,Order Date,Amount\nAcme Corp,2025-04-01,7\n")
    history = pipeline.history(tiny)
    assert history[["source_file", "imported_by", "status", "created", "rejected"]].values.tolist() == [
        ["b.csv", "amy", "committed", 1, 0], ["a.csv", "amy", "committed", 1, 1]]


ORDER_LINE = "Order No,Customer,Order Date,Amount\nSO-9,Acme Corp,2025-03-01,5\n"


def test_an_import_started_while_another_is_saving_is_refused_and_the_order_is_stored_once(tiny):
    """Orders have no key index (migration 006): the import lock is what keeps two imports from both inserting
    the same new order line. The second import runs while the first is inside its transaction."""
    other = tiny.cursor()
    refused = []

    def second_import(_share, _table):
        if not refused:
            with pytest.raises(ConflictError, match="another import or undo is being saved") as caught:
                _import(other, "b.csv", ORDER_LINE)
            refused.append(caught.value)

    plans = pipeline.read_sources(tiny, [("a.csv", ORDER_LINE.encode())])
    pipeline.commit(tiny, plans, settings.load(tiny), user="amy", progress=second_import)
    assert len(refused) == 1
    _import(other, "b.csv", ORDER_LINE)  # once the first has finished, the same file is simply unchanged
    assert db.query(tiny, "SELECT order_id, amount FROM orders WHERE order_id = 'SO-9'").values.tolist() == [
        ["SO-9", 5.0]]


def test_an_undo_is_refused_while_an_import_is_saving_and_works_after(tiny):
    batch = _import(tiny, "a.csv", ORDER_LINE)
    other = tiny.cursor()
    db.execute(other, "BEGIN TRANSACTION")
    store.hold_lock(other, "bob")
    with pytest.raises(ConflictError, match="another import or undo"):
        pipeline.undo(tiny, batch, user="amy")
    db.execute(other, "ROLLBACK")
    pipeline.undo(tiny, batch, user="amy")
    assert db.scalar(tiny, "SELECT count(*) FROM orders WHERE order_id = 'SO-9'") == 0
