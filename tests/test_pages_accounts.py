"""AppTests of the Accounts list and Account 360 on tests/fixtures/tiny."""


def test_the_accounts_page_lists_every_account_by_revenue(app_test):
    at = app_test("tiny", lang="en")
    at.switch_page("pages/accounts.py").run()
    assert not at.exception
    assert at.title[0].value == "Accounts"
    assert at.caption[0].value == "3 accounts"
    table = at.dataframe[0].value
    assert list(table["account_id"]) == ["A001", "A002", "A003"]


def test_the_region_filter_in_the_sidebar_narrows_the_list(app_test):
    # AppTest drops sidebar widgets after switch_page, so the filter is set through its session-state key.
    at = app_test("tiny", lang="zh", filter_regions=["华北"])
    at.switch_page("pages/accounts.py").run()
    assert at.caption[0].value == "共 1 个客户"
    assert list(at.dataframe[0].value["name"]) == ["Acme Corp"]


def test_the_search_box_finds_an_account_by_part_of_its_name(app_test):
    at = app_test("tiny", lang="en")
    at.switch_page("pages/accounts.py").run()
    at.text_input(key="accounts_search").set_value("华为").run()
    assert list(at.dataframe[0].value["account_id"]) == ["A001"]


def test_account_360_asks_for_an_account_first(app_test):
    at = app_test("tiny", lang="en")
    at.switch_page("pages/account_360.py").run()
    assert at.info[0].value.startswith("Pick an account")
    assert [t.value for t in at.title] == ["Account 360"]


def test_account_360_shows_the_cards_and_the_key_contact_change_in_chinese(app_test):
    at = app_test("tiny", lang="zh", as_of=__import__("datetime").date(2026, 6, 30))
    at.query_params["account"] = "A001"
    at.switch_page("pages/account_360.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["华为技术有限公司"]  # the page name gives way to the account's
    cards = {m.label: m.value for m in at.metric}
    assert cards["近12个月收入"] == "¥43.0万"
    assert cards["逾期应收"] == "¥10.0万"
    assert cards["在手商机金额"] == "¥50.0万"
    assert cards["合同到期"] == "2026年8月15日"
    assert "关键联系人变动：王芳（采购总监）已于 2026年4月30日 离任" in [w.value for w in at.warning]


def test_account_360_in_english_formats_money_in_thousands(app_test):
    at = app_test("tiny", lang="en", as_of=__import__("datetime").date(2026, 6, 30))
    at.switch_page("pages/account_360.py").run()
    at.selectbox(key="account_None").set_value("A002").run()
    cards = {m.label: m.value for m in at.metric}
    assert cards["Revenue, last 12 months"] == "¥40.0K"
    assert cards["Overdue receivables"] == "¥40.0K"     # INV-3 due 2026-03-31, unpaid
