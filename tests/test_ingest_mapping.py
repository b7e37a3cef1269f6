"""Mapping: which table a sheet fills and which column each header feeds."""
from kam.ingest import mapping


def test_a_chinese_order_sheet_maps_to_orders_with_account_names():
    proposal = mapping.propose(["客户名称", "订单日期", "金额（万元）", "产品"], "销售")
    assert proposal.table == "orders"
    assert proposal.mapping == {"客户名称": "_account_name", "订单日期": "order_date", "金额（万元）": "amount",
                                "产品": "product"}
    assert set(proposal.confidence.values()) == {1.0}


def test_the_same_words_mean_the_account_name_in_an_accounts_sheet():
    proposal = mapping.propose(["客户编号", "客户名称", "行业", "区域", "负责人"], "客户")
    assert proposal.table == "accounts"
    assert proposal.mapping["客户名称"] == "name"


def test_headers_match_whatever_their_case_spacing_or_width():
    assert mapping.match_column(" ORDER  date ", "orders") == ("order_date", 1.0)
    assert mapping.match_column("Ｑｔｙ", "orders") == ("quantity", 1.0)


def test_a_header_containing_a_synonym_matches_with_lower_confidence():
    assert mapping.match_column("销售金额合计", "orders") == ("amount", 0.8)


def test_a_header_is_what_its_last_word_names_and_short_latin_words_never_match_inside_others():
    assert mapping.match_column("Opportunity Owner", "opportunities") == ("owner", 0.8)  # not the deal's name
    assert mapping.match_column("Amount Currency", "opportunities") == ("amount", 0.8)   # never 'am' -> owner
    proposal = mapping.propose(["Opportunity Owner", "Account Name", "Opportunity Name", "Stage", "Amount Currency",
                                "Amount", "Close Date"])
    assert proposal.table == "opportunities"
    assert proposal.mapping == {"Opportunity Owner": "owner", "Account Name": "_account_name",
                                "Opportunity Name": "name", "Stage": "stage", "Amount Currency": None,
                                "Amount": "amount", "Close Date": "expected_close_date"}


def test_a_net_amount_feeds_amount_before_a_tax_inclusive_one_whatever_the_column_order():
    proposal = mapping.propose(["订单号", "客户", "日期", "价税合计", "税额", "金额"])
    assert (proposal.mapping["金额"], proposal.mapping["价税合计"], proposal.mapping["税额"]) == ("amount", None, None)
    alone = mapping.propose(["订单号", "客户", "日期", "价税合计"])
    assert (alone.mapping["价税合计"], alone.confidence["价税合计"]) == ("amount", 0.95)


def test_a_misspelt_header_matches_by_fuzzy_spelling_below_contained_words():
    column, confidence = mapping.match_column("Custmer Name", "orders")
    assert column == "_account_name"
    assert 0.6 < confidence < 0.8


def test_a_product_list_matches_no_table_and_says_why():
    proposal = mapping.propose(["产品编号", "产品名称", "规格", "单价"], "产品")
    assert proposal.table is None
    assert proposal.reason.startswith("no table matches these columns; nearest: orders, missing order_date")


def test_the_header_fingerprint_ignores_spacing_width_and_bracket_style():
    assert mapping.fingerprint(["客户 名称", "金额(万元)"]) == mapping.fingerprint(["客户名称", "金额（万元）"])
    assert mapping.fingerprint(["客户名称", "金额"]) != mapping.fingerprint(["金额", "客户名称"])


def test_a_remembered_mapping_is_proposed_again_for_the_same_header(tiny):
    headers = ["Kunde", "Datum", "Betrag"]
    chosen = {"Kunde": "_account_name", "Datum": "order_date", "Betrag": "amount"}
    mapping.remember(tiny, headers, "orders", chosen, "amy")
    proposal = mapping.propose(headers, "x", mapping.recall(tiny, ["Kunde ", "Datum", "Betrag"]))
    assert (proposal.table, proposal.mapping, proposal.reason) == ("orders", chosen, "remembered")


def test_a_bracketed_tax_mark_decides_which_amount_is_stored_whatever_the_column_order():
    proposal = mapping.propose(["单号", "日期", "客户名称", "金额（含税）", "金额（不含税）"])
    assert proposal.mapping["金额（含税）"] is None and proposal.mapping["金额（不含税）"] == "amount"
    proposal = mapping.propose(["Order No", "Date", "Customer", "Amount (incl. tax)", "Amount (excl. tax)"])
    assert proposal.mapping["Amount (excl. tax)"] == "amount"
    proposal = mapping.propose(["单据编号", "单据日期", "客户", "含税金额", "无税金额"])  # Yonyou's net amount
    assert proposal.mapping["无税金额"] == "amount"


def test_a_margin_with_a_percent_sign_is_a_rate_and_without_one_an_amount():
    assert mapping.match_column("毛利率(%)", "orders") == ("_margin_rate", 0.8)
    assert mapping.match_column("毛利率", "orders") == ("_margin_rate", 1.0)
    assert mapping.match_column("Margin %", "orders") == ("_margin_rate", 1.0)
    assert mapping.match_column("Gross Margin", "orders") == ("gross_margin", 1.0)
    assert mapping.match_column("毛利（元）", "orders") == ("gross_margin", 1.0)


def test_crm_activity_logs_are_interactions_not_accounts_or_follow_ups():
    # Fenxiang 跟进记录 and 销售易 活动记录: no task, no due date, so not follow-ups
    fenxiang = mapping.propose(["客户名称", "跟进时间", "跟进类型", "跟进内容", "负责人"])
    assert fenxiang.table == "interactions"
    assert fenxiang.mapping == {"客户名称": "_account_name", "跟进时间": "interaction_date", "跟进类型": "channel",
                                "跟进内容": "summary", "负责人": "owner"}
    assert mapping.propose(["所属客户", "开始时间", "活动类型", "内容", "负责人"]).table == "interactions"


def test_a_complaints_log_or_an_nps_survey_without_a_channel_is_interactions_of_that_kind():
    complaints = ["客户名称", "投诉日期", "投诉内容", "处理结果", "满意度"]
    assert mapping.propose(complaints).table == "interactions"
    assert mapping.implied_channel(complaints) == "complaint"
    survey = ["客户名称", "调研日期", "NPS评分", "满意度"]
    assert mapping.propose(survey).mapping == {"客户名称": "_account_name", "调研日期": "interaction_date",
                                               "NPS评分": "nps", "满意度": "satisfaction"}
    assert mapping.implied_channel(survey) == "survey"
    assert mapping.implied_channel(["客户", "日期", "内容"]) is None
    assert "channel" in mapping.missing_required("interactions", {"_account_name", "interaction_date"},
                                                 ["客户", "日期", "内容"])


def test_order_sheets_named_by_time_or_month_are_orders_not_accounts():
    web_shop = mapping.propose(["订单编号", "下单时间", "客户名称", "实付金额", "订单状态"])
    assert web_shop.table == "orders" and web_shop.mapping["下单时间"] == "order_date"
    monthly = mapping.propose(["客户名称", "月份", "销售额(万元)"])  # 销售额 is not the salesperson (销售)
    assert monthly.table == "orders"
    assert monthly.mapping == {"客户名称": "_account_name", "月份": "order_date", "销售额(万元)": "amount"}


def test_kingdee_receivables_store_the_invoice_total_and_the_settled_amount_as_paid():
    proposal = mapping.propose(["单据编号", "单据日期", "客户", "价税合计", "已核销金额", "到期日"], "应收单")
    assert proposal.table == "payments"
    assert proposal.mapping == {"单据编号": "invoice_id", "单据日期": "invoice_date", "客户": "_account_name",
                                "价税合计": "amount", "已核销金额": "amount_paid", "到期日": "due_date"}


def test_sap_sold_to_numbers_are_account_ids_and_name_1_the_account_name():
    proposal = mapping.propose(["Sales Document", "Document Date", "Sold-to party", "Name 1", "Net Value"])
    assert proposal.table == "orders"
    assert proposal.mapping == {"Sales Document": "order_id", "Document Date": "order_date",
                                "Sold-to party": "account_id", "Name 1": "_account_name", "Net Value": "amount"}
