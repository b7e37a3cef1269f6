"""The import pipeline end to end on the tiny fixture: preview counts, commit, re-import, undo, atomicity."""
import json

import openpyxl
import pandas as pd
import pytest

from kam import db, settings
from kam.ingest import store
from kam.ingest import pipeline
from tests.ingest_samples import _save, messy_workbook, orders_csv, single_sheet

MODEL = ("owners", "accounts", "contacts", "orders", "payments", "interactions", "opportunities",
         "opportunity_stage_history", "follow_ups", "follow_up_events")


def snapshot(con):
    return {t: db.query(con, f"SELECT * FROM {t} ORDER BY ALL") for t in MODEL}


def assert_same(before, after):
    for table in MODEL:
        pd.testing.assert_frame_equal(before[table], after[table], obj=table)


def _plans(con, *files):
    return pipeline.read_sources(con, list(files or [messy_workbook()]))


def test_the_preview_counts_every_table_of_the_messy_workbook(tiny):
    preview = pipeline.preview(tiny, _plans(tiny), settings.load(tiny))
    assert preview.counts.to_dict("index") == {
        "accounts": {"read": 2, "created": 1, "updated": 0, "unchanged": 1, "rejected": 0, "skipped": 0},
        "orders": {"read": 4, "created": 3, "updated": 0, "unchanged": 0, "rejected": 1, "skipped": 5},
        "opportunities": {"read": 3, "created": 1, "updated": 1, "unchanged": 0, "rejected": 1, "skipped": 0},
        "follow_ups": {"read": 1, "created": 1, "updated": 0, "unchanged": 0, "rejected": 0, "skipped": 0}}


def test_the_error_list_names_file_sheet_row_column_value_and_reason(tiny):
    errors = pipeline.preview(tiny, _plans(tiny), settings.load(tiny)).errors
    rows = errors[errors["row"].notna()].values.tolist()
    assert rows == [["客户导出.xlsx", "销售订单", 8, "订单日期", "not a date", "not a date"],
                    ["客户导出.xlsx", "商机", 4, "阶段", "Stage X",
                     "unknown stage (configured stages: lead, qualified, proposal, negotiation, won, lost)"]]
    skipped = errors.loc[errors["row"].isna(), ["sheet", "reason"]].values.tolist()
    assert [s for s, _ in skipped] == ["产品清单", "空白", "lookup"]
    assert skipped[0][1].startswith("sheet skipped: no table matches")


def test_a_preview_writes_nothing(tiny):
    before = snapshot(tiny)
    pipeline.preview(tiny, _plans(tiny), settings.load(tiny))
    assert_same(before, snapshot(tiny))
    assert db.scalar(tiny, "SELECT count(*) FROM import_batches") == 0


def test_a_commit_lands_cleaned_values_each_row_carrying_its_batch(tiny):
    batch, _ = pipeline.commit(tiny, _plans(tiny), settings.load(tiny), user="amy")
    orders = db.query(tiny, "SELECT order_id, account_id, order_date::VARCHAR AS d, quantity, amount, batch_id "
                            "FROM orders WHERE order_id LIKE 'SO-10_' ORDER BY order_id")
    assert orders.values.tolist() == [["SO-100", "A001", "2025-03-01", 2.0, 15000.0, batch],
                                      ["SO-101", "A009", "2025-03-02", 10.0, 25000.0, batch],
                                      ["SO-102", "A002", "2025-03-01", -1.0, -4000.0, batch]]
    op1 = db.query(tiny, "SELECT stage, amount, probability, batch_id FROM opportunities WHERE opportunity_id = 'OP1'")
    assert op1.values.tolist() == [["negotiation", 500000.0, 0.75, batch]]
    assert db.scalar(tiny, "SELECT name FROM accounts WHERE account_id = 'A009'") == "宁德时代"


def test_imported_follow_ups_start_at_version_one_with_a_created_event(tiny):
    batch, _ = pipeline.commit(tiny, _plans(tiny), settings.load(tiny), user="amy")
    follow_up = db.query(tiny, "SELECT follow_up_id, version, created_by, batch_id FROM follow_ups")
    assert follow_up[["version", "created_by", "batch_id"]].values.tolist() == [[1, "amy", batch]]
    event = db.query(tiny, "SELECT follow_up_id, event_type, version, changed_by, old_values, new_values "
                           "FROM follow_up_events")
    assert event[["event_type", "version", "changed_by"]].values.tolist() == [["created", 1, "amy"]]
    assert event["old_values"].isna().all()
    assert json.loads(event["new_values"][0]) == {
        "account_id": "A009", "action": "季度回访", "channel": "visit", "due_date": "2026-07-01", "next_step": None,
        "next_step_date": None, "outcome": None, "owner": None, "status": "open", "warning_rule": None}


def test_importing_the_same_file_again_changes_nothing(tiny):
    pipeline.commit(tiny, _plans(tiny), settings.load(tiny), user="amy")
    before = snapshot(tiny)
    again = pipeline.preview(tiny, _plans(tiny), settings.load(tiny))
    assert again.counts[["created", "updated"]].sum().sum() == 0
    assert again.counts.loc["orders", "unchanged"] == 3
    pipeline.commit(tiny, _plans(tiny), settings.load(tiny), user="amy")
    assert_same(before, snapshot(tiny))


def test_undo_restores_exactly_the_previous_state(tiny):
    before = snapshot(tiny)
    batch, _ = pipeline.commit(tiny, _plans(tiny), settings.load(tiny), user="amy")
    assert db.scalar(tiny, "SELECT amount FROM opportunities WHERE opportunity_id = 'OP1'") == 500000.0
    pipeline.undo(tiny, batch, user="amy")
    assert_same(before, snapshot(tiny))
    assert pipeline.history(tiny)["status"].tolist() == ["undone"]


def test_a_failing_commit_leaves_the_database_unchanged(tiny, monkeypatch):
    before = snapshot(tiny)
    real = store.write_table

    def fail_on_opportunities(con, table, *args):
        if table == "opportunities":
            raise RuntimeError("disk full")
        return real(con, table, *args)

    monkeypatch.setattr(store, "write_table", fail_on_opportunities)
    with pytest.raises(RuntimeError):
        pipeline.commit(tiny, _plans(tiny), settings.load(tiny), user="amy")
    assert_same(before, snapshot(tiny))
    assert db.scalar(tiny, "SELECT count(*) FROM import_batches") == 0


def test_unknown_accounts_can_be_rejected_instead_of_created(tiny):
    preview = pipeline.preview(tiny, _plans(tiny, orders_csv()), settings.load(tiny), unknown_accounts="reject")
    assert preview.counts.loc["orders", ["created", "rejected"]].tolist() == [2, 0]
    plans = _plans(tiny, ("new.csv", "Customer,Order Date,Amount\nNobody Ltd,2025-03-01,5\n".encode()))
    preview = pipeline.preview(tiny, plans, settings.load(tiny), unknown_accounts="reject")
    assert preview.counts.loc["orders", ["created", "rejected"]].tolist() == [0, 1]
    assert "accounts" not in preview.counts.index


def test_a_hidden_sheet_mapped_by_hand_is_imported(tiny):
    plans = [p for p in _plans(tiny) if p.sheet == "lookup"]
    chosen = pipeline.with_mapping(plans[0], "accounts", {"客户名称": "name", "区域": "region"})
    preview = pipeline.preview(tiny, [chosen], settings.load(tiny))
    assert preview.counts.loc["accounts", "created"] == 1


def test_the_json_summary_has_the_documented_shape(tiny):
    summary = pipeline.preview(tiny, _plans(tiny, orders_csv("gb18030")), settings.load(tiny)).as_dict()
    assert summary == {"ok": True, "tables": {"orders": {"read": 2, "created": 2, "updated": 0, "unchanged": 0,
                                                         "rejected": 0, "skipped": 1}}, "errors": []}


def test_the_confirmed_mapping_is_remembered_for_the_next_file_with_that_header(tiny):
    plans = _plans(tiny, ("a.csv", "Kunde,Datum,Betrag\nAcme Corp,2025-03-01,5\n".encode()))
    assert plans[0].table is None
    chosen = pipeline.with_mapping(plans[0], "orders", {"Kunde": "_account_name", "Datum": "order_date",
                                                        "Betrag": "amount"})
    pipeline.commit(tiny, [chosen], settings.load(tiny), user="amy")
    again = _plans(tiny, ("b.csv", "Kunde,Datum,Betrag\nAcme Corp,2025-04-01,7\n".encode()))
    assert (again[0].table, again[0].proposal.reason) == ("orders", "remembered")


def test_a_commit_of_the_shown_preview_re_decides_actions_against_the_data_as_it_is_now(tiny):
    plans = _plans(tiny)
    shown = pipeline.preview(tiny, plans, settings.load(tiny))
    db.execute(tiny, "UPDATE opportunities SET amount = 500000, probability = 0.75 WHERE opportunity_id = 'OP1'")
    _, done = pipeline.commit(tiny, plans, settings.load(tiny), user="amy", shown=shown)
    assert done.counts.loc["opportunities", ["created", "updated", "unchanged"]].tolist() == [1, 0, 1]
    assert db.scalar(tiny, "SELECT count(*) FROM orders WHERE order_id LIKE 'SO-10_'") == 3


def test_a_big_workbook_read_straight_to_arrow_previews_exactly_like_a_small_one(tiny, monkeypatch):
    from kam.ingest import readers
    small = pipeline.preview(tiny, _plans(tiny), settings.load(tiny))
    monkeypatch.setattr(readers, "FAST_XLSX_BYTES", 0)  # every workbook takes the fastexcel path
    big = pipeline.preview(tiny, _plans(tiny), settings.load(tiny))
    pd.testing.assert_frame_equal(small.counts, big.counts)
    pd.testing.assert_frame_equal(small.errors.assign(value=small.errors["value"].str.replace(".0", "")),
                                  big.errors.assign(value=big.errors["value"].str.replace(".0", "")))
    for table, frame in small.frames.items():
        pd.testing.assert_frame_equal(frame, big.frames[table], obj=table)


def _history(con):
    return db.query(con, "SELECT opportunity_id, stage, CAST(entered_date AS VARCHAR) AS d FROM "
                         "opportunity_stage_history WHERE opportunity_id IN ('OP1', 'OP9') ORDER BY ALL"
                    ).values.tolist()


def test_an_opportunity_import_with_a_stage_date_adds_history_for_new_deals_and_stage_moves(tiny):
    before = _history(tiny)
    sheet = single_sheet([["商机编号", "客户编号", "商机名称", "阶段", "阶段日期"],
                          ["OP1", "A001", "5G 核心网扩容", "won", "2026-04-01"],
                          ["OP9", "A001", "New deal", "lead", "2026-04-02"]], "商机")
    batch, _ = pipeline.commit(tiny, _plans(tiny, sheet), settings.load(tiny), user="amy")
    assert _history(tiny) == sorted(before + [["OP1", "won", "2026-04-01"], ["OP9", "lead", "2026-04-02"]])
    store.undo(tiny, batch, user="amy")
    assert _history(tiny) == before


def test_an_opportunity_import_without_a_stage_date_adds_no_history(tiny):
    before = _history(tiny)
    sheet = single_sheet([["商机编号", "客户编号", "商机名称", "阶段"], ["OP1", "A001", "5G 核心网扩容", "won"]], "商机")
    pipeline.commit(tiny, _plans(tiny, sheet), settings.load(tiny), user="amy")
    assert _history(tiny) == before


def test_order_lines_are_numbered_per_order_across_two_files_and_within_one(tiny):
    first = ("a.csv", "订单号,客户编号,订单日期,金额\nX-1,A001,2025-03-01,10\nX-2,A001,2025-03-01,20\n".encode())
    second = ("b.csv", "订单号,客户编号,订单日期,金额\nX-1,A001,2025-03-02,30\nX-1,A001,2025-03-03,40\n".encode())
    frames = {name: pipeline.preview(tiny, _plans(tiny, *files), settings.load(tiny)).frames["orders"]
              for name, files in (("one", [second]), ("two", [first, second]))}
    assert frames["one"][["order_id", "line_no", "amount"]].values.tolist() == [["X-1", 1, 30.0], ["X-1", 2, 40.0]]
    assert frames["two"][["order_id", "line_no", "amount"]].values.tolist() == [
        ["X-1", 1, 10.0], ["X-2", 1, 20.0], ["X-1", 2, 30.0], ["X-1", 3, 40.0]]
    assert "_order_code" not in frames["two"] and "_order_code" not in frames["one"]


def test_a_summary_sheet_beside_its_detail_is_skipped_so_revenue_is_not_counted_twice(tiny):
    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "汇总"
    for row in (["客户名称", "日期", "订单数", "销售额"], ["甲", "2025-03", 2, 300], ["乙", "2025-03", 1, 200]):
        summary.append(row)
    detail = book.create_sheet("明细")
    for row in (["订单号", "日期", "客户名称", "金额"], ["S1", "2025-03-01", "甲", 100], ["S2", "2025-03-02", "甲", 200],
                ["S3", "2025-03-03", "乙", 200]):
        detail.append(row)
    plans = _plans(tiny, ("sales.xlsx", _save(book)))
    assert [(p.sheet, p.table) for p in plans] == [("汇总", None), ("明细", "orders")]
    assert plans[0].proposal.reason == "a summary of sheet '明细' (choose a table to import it anyway)"
    alone = _plans(tiny, single_sheet([["客户名称", "月份", "销售额"], ["甲", "2025-03", 300]], "月度汇总"))
    assert alone[0].table == "orders"  # a summary with no detail beside it is the data
