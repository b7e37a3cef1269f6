"""AppTests of the Funnel page on tests/fixtures/funnel (as of 2026-06-30; expectations in tests/test_funnel*.py)."""
import datetime as dt

import pytest

AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def funnel_page(app_test):
    def open_page(lang: str = "en", **state):
        at = app_test("funnel", lang=lang, as_of=AS_OF, **state)
        at.switch_page("pages/funnel.py").run()
        assert not at.exception
        return at
    return open_page


def test_the_funnel_page_shows_pipeline_forecast_and_win_rates(funnel_page):
    at = funnel_page("en")
    assert at.title[0].value == "Funnel"
    cards = {m.label: m.value for m in at.metric}
    assert cards["Open pipeline"] == "¥480K"
    assert cards["Weighted pipeline"] == "¥296K"
    assert cards["Won to date"] == "¥130K"
    assert cards["Win rate (deals)"] == "50.0%"
    assert cards["Win rate (amount)"] == "81.2%"
    assert cards["Median cycle"] == "39.5 days"


def test_the_stage_table_lists_reached_counts_and_the_unknown_stage_is_reported(funnel_page):
    at = funnel_page("zh")
    table = at.dataframe(key="funnel_stages_table").value
    assert table["stage"].tolist() == ["线索", "需求确认", "方案报价", "商务谈判", "赢单", "输单",
                                       "POC"]
    assert table["deals"].tolist()[:6] == [10, 8, 7, 5, 2, 2]
    assert any("POC" in w.value for w in at.warning)


def test_stalled_and_overdue_deals_are_listed(funnel_page):
    at = funnel_page("en")
    assert at.dataframe(key="funnel_stalled_table").value["opportunity_id"].tolist() == ["D1", "D2"]
    assert at.dataframe(key="funnel_overdue_table").value["opportunity_id"].tolist() == ["D2", "D9"]


def test_a_drill_down_shows_the_deals_behind_a_bar(funnel_page):
    at = funnel_page("en", funnel_drill={"by": "stage", "value": "won", "what": "Won"})
    assert "Deals: Won" in [h.value for h in at.subheader]
    deals = at.dataframe(key="funnel_deals_table").value
    assert deals["opportunity_id"].tolist() == ["D5", "D3"]
    assert deals["status"].tolist() == ["Won", "Won"]


def test_picking_a_deal_row_opens_account_360(funnel_page):
    at = funnel_page("en", funnel_drill={"by": "stage", "value": "won", "what": "Won"})
    at.session_state["funnel_deals_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert at.query_params.get("account") in ("F2", ["F2"])
    assert at.title[0].value == "Acme Corp"


def test_without_stage_history_the_page_says_so_instead_of_zeros(app_db):
    from streamlit.testing.v1 import AppTest
    from kam import db
    from tests.conftest import ROOT
    con = db.connect(app_db("funnel"))
    db.execute(con, "DELETE FROM opportunity_stage_history")
    con.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["lang"], at.session_state["as_of"] = "en", AS_OF
    at.run().switch_page("pages/funnel.py").run()
    assert not at.exception
    needs = "Needs stage history: the source has no record of stage changes."
    assert [i.value for i in at.info].count(needs) == 2     # time in stage, stalled deals


def test_a_period_limits_the_deals_and_compares_with_the_period_before(funnel_page):
    at = funnel_page("en", funnel_period="this_quarter")
    cards = {m.label: m.value for m in at.metric}
    assert cards["Win rate (amount)"] == "72.7%"   # D5 won 80k, D6 lost 30k
    # a table without selection is not a widget, so AppTest does not know its key: find it by its columns
    changes = next(d.value for d in at.dataframe if "previous_deals" in d.value.columns)
    # Apr-Jun against 31 Dec-31 Mar: new 6 vs 4, won 1 vs 1, lost 2 vs 0
    assert changes[["deals", "previous_deals", "deals_change"]].values.tolist() == [[6, 4, 2], [1, 1, 0], [2, 0, 2]]
    assert "Moved in/out of the period and amount changes need snapshot history, which the source does not keep." in [
        c.value for c in at.caption]
