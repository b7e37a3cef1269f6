"""AppTests of the Overview, Tiers and Settings pages on tests/fixtures/scoring_tiers as of 2026-06-30."""
import datetime as dt
import json

import pytest

AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def run_page(app_test):
    def make(page: str, lang: str = "en", **state):
        at = app_test("scoring_tiers", lang=lang, as_of=AS_OF, user=state.pop("user", ""), **state)
        return at.switch_page(page).run()
    return make


def test_the_overview_is_the_default_page_with_kpi_cards(app_test):
    at = app_test("scoring_tiers", lang="en", as_of=AS_OF)
    assert not at.exception
    assert at.title[0].value == "Overview"
    cards = {m.label: m.value for m in at.metric}
    assert cards["Key-account revenue, 12m"] == "¥800"
    assert cards["A accounts"] == "1"
    assert cards["Contracts ending within 60 days"] == "2"


def test_the_overview_lists_the_movers_since_last_quarter_in_chinese(run_page):
    at = run_page("pages/overview.py", lang="zh")
    assert not at.exception
    movers = at.dataframe(key="overview_movers").value
    # 31 Mar: T2 (40.0) and T3 (45.0) were already B; T4 became a customer in June
    assert movers["name"].tolist() == ["Delta"]
    assert movers["direction"].tolist() == ["新客户"]


def test_the_tiers_page_shows_the_tier_table_and_the_movers_between_two_quarters(run_page):
    at = run_page("pages/tiers.py")
    assert not at.exception
    table = at.dataframe(key="tiers_table").value
    assert table["name"].tolist() == ["Alpha", "Gamma", "Beta", "Delta", "Zeta", "Epsilon"]
    assert table["tier"].tolist() == ["A", "B", "B", "C", "C", "C"]
    assert at.selectbox(key="tiers_from.en").options[-2:] == ["2025 Q4", "2026 Q1"]   # quarter ends, as quarters
    at.selectbox(key="tiers_from.en").set_value(dt.date(2025, 12, 31)).run()
    moved = at.dataframe(key="tiers_movers").value
    assert moved[["name", "tier_from", "tier_to"]].values.tolist() == [
        ["Beta", "C", "B"], ["Gamma", "C", "B"], ["Delta", "New", "C"], ["Epsilon", "New", "C"]]


def test_a_choice_made_in_one_language_is_shown_in_the_other(run_page):
    # ui/choices.py: a choice is kept as the option itself under the plain key, and a widget of either language
    # starts from it (the browser test of Health & risk switches the language for real)
    at = run_page("pages/tiers.py")
    at.selectbox(key="tiers_from.en").set_value(dt.date(2025, 12, 31)).run()
    at.segmented_control(key="tiers_matrix_value.en").set_value("revenue_12m_to").run()
    chosen = {key: at.session_state[key] for key in ("tiers_from", "tiers_matrix_value")}
    assert chosen == {"tiers_from": dt.date(2025, 12, 31), "tiers_matrix_value": "revenue_12m_to"}


def test_a_widget_in_the_other_language_starts_from_the_choice_made(run_page):
    at = run_page("pages/tiers.py", lang="zh", tiers_from=dt.date(2025, 12, 31), tiers_matrix_value="revenue_12m_to")
    assert not at.exception
    picked = at.selectbox(key="tiers_from.zh")
    assert picked.value == dt.date(2025, 12, 31) and picked.options[-2:] == ["2025年Q4", "2026年Q1"]
    assert at.segmented_control(key="tiers_matrix_value.zh").value == "revenue_12m_to"
    moved = at.dataframe(key="tiers_movers").value
    assert moved["name"].tolist() == ["Beta", "Gamma", "Delta", "Epsilon"]   # the movers since 2025 Q4, as in en


def test_the_tier_table_shows_shares_as_percentages_with_one_decimal(run_page):
    at = run_page("pages/tiers.py")
    table = at.dataframe(key="tiers_table")
    # Alpha: 800 of the 2,100 revenue of the 12 months (38.1%); margin 240 / 800; growth 800 vs 500 the 12 months before
    alpha = table.value.iloc[0]
    assert [alpha[c] for c in ("revenue_share", "gross_margin", "growth", "coverage")] == [
        38.1, 30.0, 60.0, 100.0]                              # 38.095...% at the one decimal shown
    assert json.loads(table.proto.columns)["revenue_share"]["type_config"]["format"] == "%,.1f%%"


def test_chinese_tier_labels_show_both_names(run_page):
    at = run_page("pages/tiers.py", lang="zh")
    assert at.dataframe(key="tiers_table").value["tier"].tolist()[0] == "A 战略级"
    pareto = json.loads(at.get("plotly_chart")[0].proto.spec)
    # the largest account's 800 of revenue: steps of 200 up to 800, in yuan (below 1万, no unit)
    assert pareto["layout"]["yaxis"]["ticktext"] == ["0", "¥200", "¥400", "¥600", "¥800"]


def test_the_settings_fields_are_labelled_in_chinese(run_page):
    at = run_page("pages/settings.py", lang="zh")
    assert at.number_input(key="set0_risk_nps_below").label == "NPS 低于"
    assert at.number_input(key="set0_tiers_key_tiers").label == "计为重点客户的等级数"
    assert at.number_input(key="set0_tiers_key_tiers").help.startswith("KPI 中最高的几个等级算作重点客户")
    assert any(c.value.startswith("截至 2026年6月30日：") for c in at.caption)


def test_the_settings_preview_lists_who_changes_tier_before_saving(run_page):
    at = run_page("pages/settings.py")
    assert not at.exception
    at.text_input(key="set0_tiers_score").set_value("55, 40").run()
    preview = at.dataframe(key="settings_preview").value
    assert preview[["name", "before", "after"]].values.tolist() == [["Gamma", "B", "A"]]


def _change_and_save(at):
    at.text_input(key="set0_tiers_score").set_value("55, 40")
    at.text_input(key="set0_note").set_value("Gamma is a key account").run()
    return at.button(key="set0_save").click().run()


def test_saving_settings_without_a_name_is_refused(run_page):
    at = _change_and_save(run_page("pages/settings.py"))
    assert at.warning[0].value.startswith("Enter your name")
    assert at.dataframe[-1].value.empty


def test_saving_settings_adds_a_version_recording_who_saved_it(run_page):
    at = _change_and_save(run_page("pages/settings.py", user="Li"))
    assert not at.exception
    assert at.success[0].value == "Saved as version 1."
    assert at.dataframe[-1].value[["version", "saved_by", "note"]].values.tolist() == [
        [1, "Li", "Gamma is a key account"]]
    from kam import settings as store
    from ui import shell
    assert store.load(shell._connection(shell.database_path()).cursor()).tiers.score_cutoffs == (55.0, 40.0)


def test_bad_cut_offs_are_named_and_block_saving(run_page):
    at = run_page("pages/settings.py")
    at.text_input(key="set0_tiers_score").set_value("40, 70").run()
    assert at.error[0].value.startswith("Score cut-offs")
    assert at.button(key="set0_save").disabled



def test_account_360_shows_the_tier_and_the_points_behind_its_score(run_page):
    at = run_page("pages/overview.py")
    at.query_params["account"] = "T1"
    at.switch_page("pages/account_360.py").run()
    assert not at.exception
    breakdown = next(d.value for d in at.dataframe if "points" in d.value.columns)
    assert breakdown["points"].tolist() == pytest.approx([40, 7.5, 10, 8, 8, 5, 0])
    assert breakdown["value"].tolist()[:3] == ["¥800", "30.0%", "+60.0%"]  # money and a signed growth
    assert any(m.label == "Tier" and m.value == "A" for m in at.metric)


def test_health_fields_are_drawn_from_their_settings_and_previewed_as_band_changes(run_page):
    at = run_page("pages/settings.py")
    at.number_input(key="set0_health_green_from").set_value(101.0).run()
    assert not at.exception
    preview = at.dataframe(key="settings_preview").value
    assert set(preview["what"]) == {"Health band"} and set(preview["after"]) == {"yellow"}


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/tiers.py", "pages/settings.py"])
def test_pages_open_on_an_empty_database(app_test, page):
    at = app_test("no_such_fixture_so_an_empty_database", lang="zh")
    at.switch_page(page).run()
    assert not at.exception
    if page == "pages/tiers.py":
        assert at.info[0].value == "数据中还没有完整的季度。"

