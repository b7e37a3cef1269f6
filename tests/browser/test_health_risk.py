"""Health & risk in a real browser on tests/fixtures/scoring_health (the app's as-of date is the data's own:
25 Jun 2026): a risk row opens Account 360 with the health breakdown and the warning, and a bar segment of the
health distribution lists its accounts."""
import pytest

from tests.browser.conftest import SCREENSHOTS, click_grid_row, wait_idle

pytestmark = pytest.mark.browser


def test_a_risk_row_opens_account_360_and_a_health_segment_lists_its_accounts(app_server, page):
    base = app_server("scoring_health")
    page.goto(f"{base}/health_risk")
    wait_idle(page)
    page.get_by_role("heading", name="Health & risk").wait_for()
    page.get_by_text("9 warnings").wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "health_risk.png"), full_page=True)

    # Second row of the risk list: Lapsed GmbH, no order for 89 days (the first is Steady Ltd's contract).
    click_grid_row(page, page.get_by_test_id("stDataFrame").first, 1)
    page.get_by_role("heading", name="Lapsed GmbH").wait_for()
    assert "account=H4" in page.url
    page.get_by_text("No order for 89 days, 3.0x its usual 30-day interval", exact=False).first.wait_for()
    page.get_by_text("No data (not scored): NPS").wait_for()
    page.get_by_text("Health fell", exact=False).first.wait_for()

    # Back on the page: the yellow segment of tier C (second trace, third bar) lists H2 and H4.
    page.goto(f"{base}/health_risk")
    wait_idle(page)
    bar = page.get_by_test_id("stPlotlyChart").first.locator(".barlayer .trace").nth(1).locator(".point").nth(2)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_idle(page)
    page.get_by_text("C · Watch: 2 accounts").wait_for()


def test_the_risk_filters_keep_their_choice_when_the_language_changes(app_server, page):
    base = app_server("scoring_health")
    page.goto(f"{base}/health_risk")
    wait_idle(page)
    page.get_by_text("9 warnings").wait_for()
    page.get_by_role("combobox", name="Severity").click()
    page.get_by_role("option", name="High").click()
    page.keyboard.press("Escape")
    wait_idle(page)
    filtered = page.get_by_text("warnings, revenue at risk", exact=False).first.inner_text()
    assert not filtered.startswith("9 ")

    page.get_by_test_id("stSidebar").get_by_text("中文", exact=True).click()
    wait_idle(page)
    page.get_by_role("heading", name="健康度与预警").wait_for()
    # the same choice, now labelled in Chinese, and the same warnings
    page.get_by_test_id("stMultiSelect").filter(has_text="严重程度").get_by_text("高", exact=True).wait_for()
    page.get_by_text(f"{filtered.split()[0]} 条预警", exact=False).wait_for()

    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    wait_idle(page)
    page.get_by_test_id("stMultiSelect").filter(has_text="Severity").get_by_text("High", exact=True).wait_for()
    page.get_by_text(filtered).wait_for()
