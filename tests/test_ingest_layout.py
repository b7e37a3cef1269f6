"""Layout: finding the header and skipping title, unit, blank, total and note rows."""
import pandas as pd

from kam.ingest import layout
from kam.ingest.mapping import known_words


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
