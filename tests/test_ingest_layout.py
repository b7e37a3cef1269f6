"""Layout: finding the header and skipping title, unit, blank, total and note rows."""
import json

import pandas as pd
import pytest

from kam import db
from kam.__main__ import main
from kam.ingest import layout
from kam.ingest.mapping import known_words
from tests.conftest import build_db
from tests.ingest_samples import single_sheet


def _grid(rows):
    return pd.DataFrame(rows, dtype=object)


MESSY = [["2025年销售订单明细", None, None], ["单位：万元", None, None], ["客户", "订单日期", "金额"],
         ["甲", "2025-03-01", "1.5"], [None, None, None], ["乙", "45717", "12"], ["客户", "订单日期", "金额"],
         ["合 计", None, "13.5"], ["注：数据来自ERP", None, None]]


def test_the_header_is_found_below_a_title_and_a_unit_line():
    found = layout.detect(_grid(MESSY), known_words())
    assert found.header_row == 3
    assert found.headers == ("客户", "订单日期", "金额")
    assert found.unit == 1e4


def test_blank_total_note_and_repeated_header_rows_are_skipped_and_counted():
    found = layout.detect(_grid(MESSY), known_words())
    assert list(found.body.index) == [4, 6]
    assert list(found.body["客户"]) == ["甲", "乙"]
    assert found.skipped == {"title": 3, "blank": 1, "total": 1, "note": 1}


def test_an_english_total_row_and_a_starred_note_are_skipped():
    found = layout.detect(_grid([["Customer", "Amount"], ["Acme", "1"], ["Grand Total", "1"],
                                 ["* figures unaudited", None]]), known_words())
    assert list(found.body.index) == [2]
    assert found.skipped == {"total": 1, "note": 1}


def test_a_blank_header_over_data_gets_a_placeholder_and_an_unused_column_is_dropped():
    found = layout.detect(_grid([["客户", None, None, "金额"], ["甲", "x", None, "1"]]), known_words())
    assert found.headers == ("客户", "column 2", "金额")


def test_an_empty_sheet_has_no_layout():
    assert layout.detect(pd.DataFrame(), known_words()) is None
    assert layout.detect(_grid([["only one cell"]]), known_words()) is None


def test_a_total_label_behind_separators_is_skipped_and_data_that_starts_like_one_is_kept():
    found = layout.detect(_grid([["客户", "金额"], ["Summit Ltd", "1"], ["SUB-7", "2"], ["－－合 计：", "3"],
                                 ["  Sub-Total", "3"]]), known_words())
    assert list(found.body.index) == [2, 3]
    assert found.skipped == {"total": 2}


def test_a_repeated_header_behind_a_space_and_an_upper_case_total_are_skipped_among_plain_rows():
    found = layout.detect(_grid([["Customer", "Amount"], ["Acme", "1"], [" Customer", "Amount"], ["Tom's", "2"],
                                 [None, "3"], ["\u3000TOTAL:", "3"]]), known_words())
    assert list(found.body.index) == [2, 4, 5]
    assert found.skipped == {"title": 1, "total": 1}


def test_a_two_level_header_joins_its_levels_in_the_order_kam_knows():
    # an xlsx export: 订单编号 merged down over both header rows (the reader copies it), 金额 merged across two
    grid = _grid([["订单编号", "客户", "金额", None, "联系人", None],
                  ["订单编号", "客户", "含税", "不含税", "姓名", "电话"],
                  ["D1", "甲", "113", "100", "王磊", "138"],
                  ["D2", "乙", "226", "200", "李娜", "139"]])
    found = layout.detect(grid, known_words())
    assert found.headers == ("订单编号", "客户", "含税金额", "不含税金额", "联系人 姓名", "联系人 电话")
    assert found.body.index.tolist() == [3, 4]
    assert found.body["不含税金额"].tolist() == ["100", "200"]


def test_a_first_data_row_of_text_under_a_blank_header_is_data_not_a_second_level():
    found = layout.detect(_grid([["客户", None, "金额"], ["甲", "x", None], ["乙", "y", "2"]]), known_words())
    assert found.headers == ("客户", "column 2", "金额")
    assert found.body.index.tolist() == [2, 3]


def test_a_title_merged_across_the_header_is_a_title_not_a_first_level():
    found = layout.detect(_grid([["2025年华东区销售明细", None, None], ["客户", "订单日期", "金额"],
                                 ["甲", "2025-03-01", "1"]]), known_words())
    assert (found.header_row, found.headers, found.skipped) == (2, ("客户", "订单日期", "金额"), {"title": 1})


def test_a_print_line_above_the_header_is_a_title_not_a_first_level_and_its_unit_applies():
    grid = _grid([["2025年销售订单", None, None, None, None, None],
                  ["打印日期：2025-04-01", None, None, "单位：万元", None, None],
                  ["单号", "日期", "客户名称", "产品", "金额", "备注"],
                  ["D1", "2025-03-01", "华为技术", "Router", "1.5", None]])
    found = layout.detect(grid, known_words())
    assert (found.header_row, found.unit, found.skipped) == (3, 1e4, {"title": 2})
    assert found.headers == ("单号", "日期", "客户名称", "产品", "金额", "备注")  # no print date in the fingerprint


def test_a_unit_sharing_its_cell_with_a_print_date_still_applies():
    found = layout.detect(_grid([["单位：万元 打印日期：2025-04-01", None], ["客户", "金额"], ["甲", "1"]]), known_words())
    assert (found.header_row, found.unit) == (2, 1e4)


@pytest.fixture
def tiny_db(tmp_path):
    path = tmp_path / "tiny.duckdb"
    build_db("tiny", path).close()
    return path


def _import(tmp_path, tiny_db, capsys, name, data):
    (tmp_path / name).write_bytes(data)
    assert main(["import", str(tmp_path / name), "--db", str(tiny_db), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    con = db.connect(tiny_db)
    try:
        return summary, db.scalar(con, "SELECT sum(amount) FROM orders WHERE batch_id = 1")
    finally:
        con.close()


def test_importing_a_subtotal_outside_the_first_columns_skips_it_and_keeps_an_account_named_total(
        tiny_db, tmp_path, capsys):
    name, data = single_sheet([["日期", "单号", "业务员", "客户名称", "金额"],
                               ["2025-03-01", "SO-901", "张伟", "华为技术", "100"],
                               ["2025-03-01", "SO-902", "张伟", "华为技术", "100"],
                               ["2025-03-01", None, None, "小计", "200"],
                               ["2025-03-02", "SO-903", "张伟", "Total Petroleum", "50"],
                               [None, None, None, "本月合计", "250"]], "订单")
    summary, amount = _import(tmp_path, tiny_db, capsys, name, data)
    assert summary["tables"]["orders"] == {"read": 3, "created": 3, "updated": 0, "unchanged": 0, "rejected": 0,
                                           "skipped": 2}
    assert (summary["errors"], amount) == ([], 100 + 100 + 50)


def test_importing_a_salesforce_export_skips_its_footer_instead_of_rejecting_it(tiny_db, tmp_path, capsys):
    lines = ['"Order No","Customer","Order Date","Amount"', '"INV-901","Acme Corp","2025-03-01","100"',
             '"INV-902","Acme Corp","2025-03-02","200"', '""',
             '"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."',
             '"Confidential Information - Do Not Distribute"', '"Generated By: Jane Doe  3/1/2025 10:00 AM"',
             '"Acme Corp"', "\x1a"]
    summary, amount = _import(tmp_path, tiny_db, capsys, "report.csv", "\n".join(lines).encode())
    assert summary["tables"]["orders"] == {"read": 2, "created": 2, "updated": 0, "unchanged": 0, "rejected": 0,
                                           "skipped": 6}  # a blank line and five footer lines
    assert (summary["errors"], amount) == ([], 300)


def test_importing_a_sheet_with_a_print_line_stores_amounts_in_its_unit(tiny_db, tmp_path, capsys):
    name, data = single_sheet([["2025年销售订单"],
                               ["打印日期：2025-04-01", None, None, "单位：万元"],
                               ["单号", "日期", "客户名称", "产品", "金额", "备注"],
                               ["SO-911", "2025-03-01", "华为技术", "Router", "1.5"],
                               ["SO-912", "2025-03-02", "华为技术", "Router", "2", "加急"]], "订单")
    summary, amount = _import(tmp_path, tiny_db, capsys, name, data)
    assert summary["tables"]["orders"]["created"] == 2
    assert summary["tables"]["orders"]["skipped"] == 2  # the title and the print line
    assert amount == 15_000 + 20_000
