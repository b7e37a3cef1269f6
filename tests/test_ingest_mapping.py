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
