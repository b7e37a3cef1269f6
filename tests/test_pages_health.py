"""AppTests of the Health & risk page and the Account 360 health section on tests/fixtures/scoring_health."""
import datetime as dt
import json

AS_OF = dt.date(2026, 6, 30)


def test_the_health_risk_page_shows_the_average_and_the_risk_list_with_reasons(app_test):
    at = app_test("scoring_health", lang="en", as_of=AS_OF)
    at.switch_page("pages/health_risk.py").run()
    assert not at.exception
    assert at.title[0].value == "Health & risk"
    assert at.metric[0].value == "64"  # mean of 100, 60.6, 35.7, 57.9 = 63.5 (H5 has no score)
    assert [m.value for m in at.metric[1:]] == ["1", "2", "1", "1"]  # red, yellow, green, unknown
    table = at.dataframe[0].value
    assert len(table) == 9
    assert list(table.iloc[0][["name", "reason"]]) == [
        "Lapsed GmbH", "No order for 94 days, 3.1x its usual 30-day interval"]


def test_the_risk_list_filters_by_rule_and_severity_in_chinese(app_test):
    at = app_test("scoring_health", lang="zh", as_of=AS_OF, risk_severities=["low"])
    at.switch_page("pages/health_risk.py").run()
    assert not at.exception
    assert list(at.dataframe[0].value["reason"]) == [
        "最近一次 NPS 评分为 5，低于 7", "近 90 天下单天数较去年同期下降 100%（0 天，去年同期 2 天）"]
    at.multiselect(key="risk_rules.zh").set_value(["nps_low"]).run()
    assert list(at.dataframe[0].value["name"]) == ["One Order Inc"]
    assert at.caption[1].value.startswith("1 条预警")


def test_a_filter_that_matches_nothing_says_there_are_no_warnings(app_test):
    at = app_test("scoring_health", lang="en", as_of=AS_OF, risk_rules=["no_order"], risk_severities=["low"])
    at.switch_page("pages/health_risk.py").run()
    assert at.info[0].value == "No active warnings"


def test_selecting_a_risk_row_opens_account_360_on_that_account(app_test):
    at = app_test("scoring_health", lang="en", as_of=AS_OF)
    at.switch_page("pages/health_risk.py").run()
    at.session_state["risk_table"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert at.query_params["account"] == ["H4"] or at.query_params["account"] == "H4"
    assert at.title[0].value == "Lapsed GmbH"


def test_account_360_shows_health_points_what_changed_and_warnings(app_test):
    at = app_test("scoring_health", lang="en", as_of=AS_OF)
    at.query_params["account"] = "H4"
    at.switch_page("pages/account_360.py").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Health"] == "58" and metrics["Coverage"] == "95%"
    assert any(c.value == "No data (not scored): NPS" for c in at.caption)
    assert "Health fell 42 points: 26 from order recency, 8 from order frequency, 8 from revenue trend" in [
        m.value for m in at.markdown]
    breakdown = next(d.value for d in at.dataframe if {"points", "known"} <= set(d.value.columns))
    assert round(breakdown["points"].sum(), 6) == round((0 + 7.5 + 7.5 + 15 + 10 + 10 + 5) / 0.95, 6)
    # H4: last order 94 days before as_of, orders every 30 days; order days and revenue both down a quarter
    assert breakdown["value"].tolist() == ["94 days, 3.1x its usual 30-day interval", "-25.0%", "-25.0%",
                                           "0 days overdue", "30 days ago", "0", "—", "0 left"]
    assert any("No order for 94 days" in w.value for w in at.warning)
    tier = next(d.value for d in at.dataframe if "scaled" in d.value.columns)
    # no margin, product or pipeline data: unknown, not 0; revenue 30,000 vs 40,000 the 12 months before
    assert tier["value"].tolist() == ["¥30.0K", "unknown", "-25.0%", "2.1 years", "unknown", "no", "unknown"]


def test_account_360_explains_health_in_chinese_and_says_when_no_measure_is_known(app_test):
    at = app_test("scoring_health", lang="zh", as_of=AS_OF)
    at.query_params["account"] = "H4"
    at.switch_page("pages/account_360.py").run()
    assert not at.exception
    assert "健康度下降 42 分：下单间隔 26 分，下单频次趋势 8 分，收入趋势 8 分" in [m.value for m in at.markdown]
    at.query_params["account"] = "H5"
    at.run()
    assert not at.exception
    assert "无法比较：其中一期无健康度数据" in [m.value for m in at.markdown]
    assert {m.label: m.value for m in at.metric}["健康度"] == "—"


def test_the_risk_list_shows_revenue_at_risk_in_whole_yuan_on_every_row(app_test):
    at = app_test("scoring_health", lang="en", as_of=AS_OF)
    at.switch_page("pages/health_risk.py").run()
    columns = json.loads(at.dataframe[0].proto.columns)
    assert columns["revenue_at_risk"]["type_config"]["format"] == "¥%,.0f"


def test_the_risk_list_writes_dates_the_chinese_way_in_chinese(app_test):
    at = app_test("scoring_health", lang="zh", as_of=AS_OF)
    at.switch_page("pages/health_risk.py").run()
    columns = json.loads(at.dataframe[0].proto.columns)
    assert columns["active_since"]["type_config"]["format"] == "YYYY年M月D日"


def test_the_overview_top_risks_show_each_account_once_with_its_worst_warning(app_test):
    at = app_test("scoring_health", lang="en", as_of=AS_OF)
    risks = at.dataframe(key="overview_risks").value
    # the warning list (severity, then revenue at risk): H4 no_order, revenue_drop; H2 health_drop (high);
    # H1 contract_ending, H3 key_contact_left, receivables_overdue, H2 complaints_up (medium); H3 nps_low,
    # H4 order_count_drop (low)
    assert risks["account_id"].tolist() == ["H4", "H2", "H1", "H3"]
    assert risks["reason"].tolist() == [
        "No order for 94 days, 3.1x its usual 30-day interval (+2 more)",
        "Health fell 39 points in 30 days (100 → 61) (+1 more)", "Contract ends in 45 days (14 Aug 2026)",
        "Key contact 王磊 left 29 days ago (+2 more)"]


def test_the_risk_filters_are_kept_when_leaving_the_page_and_coming_back(app_test):
    at = app_test("scoring_health", lang="en", as_of=AS_OF)
    at.switch_page("pages/health_risk.py").run()
    at.multiselect(key="risk_severities.en").set_value(["high"]).run()
    shown = at.caption.values
    at.switch_page("pages/overview.py").run()
    at.switch_page("pages/health_risk.py").run()
    assert not at.exception
    assert at.multiselect(key="risk_severities.en").value == ["high"]
    assert at.caption.values == shown
