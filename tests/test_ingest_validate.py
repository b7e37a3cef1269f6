"""Validation: typed rows per table; unreadable or missing values reject the whole row, listed with its place."""
import datetime as dt

import pandas as pd

from kam.ingest import validate

STAGES = ("lead", "qualified", "proposal", "negotiation", "won", "lost")


def _clean(rows, mapping, table, unit=None, index=None):
    body = pd.DataFrame(rows, columns=list(mapping), index=index or range(2, 2 + len(rows)), dtype=object)
    return validate.clean(body, mapping, table, file="f.xlsx", sheet="s", unit=unit, stages=STAGES)


ORDER_MAP = {"客户": "_account_name", "日期": "order_date", "数量": "quantity", "单价": "unit_price", "状态": "_cancelled"}


def test_order_lines_without_amount_get_quantity_times_unit_price():
    cleaned = _clean([["甲", "2025-03-01", "3", "1,000.50", None]], ORDER_MAP, "orders")
    assert cleaned.frame["amount"].tolist() == [3001.5]


def test_returns_and_cancelled_lines_keep_a_negative_amount():
    cleaned = _clean([["甲", "2025-03-01", "-2", "100", None], ["甲", "2025-03-01", "1", "50", "已作废"],
                      ["甲", "2025-03-01", "1", "70", "Cancelled"], ["甲", "2025-03-01", "1", "10", "正常"]],
                     ORDER_MAP, "orders")
    assert cleaned.frame["amount"].tolist() == [-200.0, -50.0, -70.0, 10.0]


def test_a_negated_cancel_status_keeps_the_amount_positive():
    # Kingdee's 作废状态 reads 未作废 on every live line; 'credit' in a payment note is not a credit note
    statuses = ["未作废", "已作废", "Not cancelled", "Voided", "Paid by credit card", "Credit Note", "未退货", "红冲"]
    cleaned = _clean([["甲", "2025-03-01", "1", "100", status] for status in statuses], ORDER_MAP, "orders")
    assert cleaned.frame["amount"].tolist() == [100.0, -100.0, 100.0, -100.0, 100.0, -100.0, 100.0, -100.0]


def test_a_row_with_an_unreadable_value_is_rejected_whole_and_listed_with_its_place():
    cleaned = _clean([["甲", "bad date", "1", "10", None], ["乙", "2025-03-01", "1", "ten", None]],
                     ORDER_MAP, "orders", index=[7, 9])
    assert cleaned.frame.empty
    assert cleaned.read == 2
    assert cleaned.errors.values.tolist() == [["f.xlsx", "s", 7, "日期", "bad date", "not a date"],
                                              ["f.xlsx", "s", 9, "单价", "ten", "not an amount"]]


def test_a_missing_required_value_rejects_the_row():
    cleaned = _clean([["甲", None, "1", "10", None]], ORDER_MAP, "orders")
    assert cleaned.errors[["row", "column", "reason"]].values.tolist() == [[2, "日期", "required value missing"]]


def test_a_unit_line_scales_money_and_a_unit_in_the_header_overrides_it():
    cleaned = _clean([["甲", "2025-03-01", "1.5", "2"]],
                     {"客户": "_account_name", "日期": "order_date", "金额": "amount", "毛利（元）": "gross_margin"},
                     "orders", unit=1e4)
    assert cleaned.frame[["amount", "gross_margin"]].values.tolist() == [[15000.0, 2.0]]


def test_an_unknown_stage_is_a_rejected_row_naming_the_configured_stages():
    cleaned = _clean([["OP1", "方案报价"], ["OP2", "Stage X"]], {"编号": "opportunity_id", "阶段": "stage"},
                     "opportunities")
    assert cleaned.frame["stage"].tolist() == ["proposal"]
    assert cleaned.errors["reason"].tolist() == [
        "unknown stage (configured stages: lead, qualified, proposal, negotiation, won, lost)"]


def test_dates_booleans_and_codes_come_out_typed():
    cleaned = _clean([["甲", "2026/7/1", "待办", "拜访"]],
                     {"客户": "_account_name", "截止日期": "due_date", "状态": "status", "方式": "channel"}, "follow_ups")
    row = cleaned.frame.iloc[0]
    assert (row["due_date"].date(), row["status"], row["channel"], row["_row"]) == (dt.date(2026, 7, 1), "open",
                                                                                     "visit", 2)


def test_an_nps_outside_zero_to_ten_is_rejected():
    cleaned = _clean([["甲", "2025-03-01", "survey", "11"]],
                     {"客户": "_account_name", "日期": "interaction_date", "方式": "channel", "NPS": "nps"},
                     "interactions")
    assert cleaned.errors["reason"].tolist() == ["outside 0-10"]


def test_two_headers_mapped_to_one_column_fill_each_others_gaps_first_header_first():
    cleaned = _clean([["甲", "2025-03-01", "10", "12"], ["甲", "2025-03-01", None, "7"]],
                     {"客户": "_account_name", "日期": "order_date", "不含税金额": "amount", "含税金额": "amount"},
                     "orders")
    assert cleaned.frame["amount"].tolist() == [10.0, 7.0]


def test_a_margin_rate_becomes_that_share_of_the_signed_amount():
    mapping = {"客户": "_account_name", "日期": "order_date", "金额": "amount", "毛利率": "_margin_rate",
               "状态": "_cancelled"}
    cleaned = _clean([["甲", "2025-03-01", "1000", "25%", None], ["甲", "2025-03-01", "400", "0.1", None],
                      ["甲", "2025-03-01", "200", "30", "红冲"], ["甲", "2025-03-01", "500", "-5%", None]],
                     mapping, "orders")
    assert cleaned.frame["gross_margin"].tolist() == [250.0, 40.0, -60.0, -25.0]
    assert "_margin_rate" not in cleaned.frame


def test_a_complaints_log_without_a_channel_column_is_stored_as_complaints():
    mapping = {"客户名称": "_account_name", "投诉日期": "interaction_date", "投诉内容": "summary"}
    cleaned = _clean([["甲", "2025-03-01", "交期延误"], ["乙", "2025-03-05", "质量问题"]], mapping, "interactions")
    assert cleaned.frame["channel"].tolist() == ["complaint", "complaint"]
    assert cleaned.errors.empty


def test_a_name_in_first_and_last_name_columns_is_joined_as_each_language_writes_it():
    mapping = {"Company": "_account_name", "First Name": "_first_name", "Last Name": "_last_name"}
    cleaned = _clean([["Acme", "Jane", "Doe"], ["Acme", "Li", None], ["甲", "三", "张"], ["Acme", None, None]],
                     mapping, "contacts")
    assert cleaned.frame["name"].tolist() == ["Jane Doe", "Li", "张三"]
    assert cleaned.errors[["row", "reason"]].values.tolist() == [[5, "required value missing"]]
    assert not {"_first_name", "_last_name"} & set(cleaned.frame)
