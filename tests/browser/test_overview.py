"""The executive journey in a real browser: the Overview opens first, a click on a tier's bar lists the accounts
behind it (as does a square of the migration matrix), and a click on one of them opens its Account 360 with the tier score explained."""
import pytest

from tests.browser.conftest import SCREENSHOTS, click_grid_row, wait_idle

pytestmark = pytest.mark.browser


def test_click_a_tier_bar_then_an_account_to_reach_account_360(app_server, page):
    base = app_server("scoring_tiers")
    page.goto(base)
    wait_idle(page)
    page.get_by_role("heading", name="Overview").wait_for()
    page.get_by_test_id("stMetric").filter(has_text="A accounts").first.wait_for()
    page.wait_for_timeout(1500)  # let the sparklines draw before the screenshot
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overview.png"), full_page=True)

    # Migration since last quarter: the New -> C square lists the account that became a customer (Delta).
    matrix = page.get_by_test_id("stPlotlyChart").nth(2)
    matrix.scroll_into_view_if_needed()
    square = matrix.locator("path.point").nth(2).bounding_box()
    page.mouse.click(square["x"] + square["width"] / 2, square["y"] + square["height"] / 2)
    wait_idle(page)
    page.get_by_text("Accounts behind: New → C").wait_for()

    # Revenue by tier: the last quarter's bar, near the bottom of the stack (the first tier, A: Alpha only).
    chart = page.get_by_test_id("stPlotlyChart").first
    chart.scroll_into_view_if_needed()
    plot = chart.locator(".nsewdrag").first.bounding_box()
    page.mouse.click(plot["x"] + plot["width"] * 0.94, plot["y"] + plot["height"] - 6)
    wait_idle(page)
    page.get_by_text("Accounts behind: A", exact=False).wait_for()

    click_grid_row(page, page.get_by_test_id("stDataFrame").first)
    page.get_by_role("heading", name="Alpha").wait_for()
    assert "account=T1" in page.url
    page.get_by_test_id("stMetric").filter(has_text="Tier").get_by_text("A", exact=True).wait_for()
