"""The Funnel page in a real browser (tests/fixtures/funnel, as of today: D10 is won by then, D11 exists):
a stage-table row and a funnel bar each drill down to their deals, and a deal row opens Account 360."""
import pytest

from tests.browser.conftest import SCREENSHOTS, click_grid_row, wait_idle

pytestmark = pytest.mark.browser


def _click_centre(page, locator) -> None:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_idle(page)


def test_a_table_row_and_a_funnel_bar_drill_down_to_the_deals_and_on_to_account_360(app_server, page):
    base = app_server("funnel")
    page.goto(f"{base}/funnel")
    wait_idle(page)
    page.get_by_role("heading", name="Funnel (deals that reached each stage)").wait_for()
    page.get_by_text("The data has stages that are not configured: POC").wait_for()

    # A row of the stage table (the first grid before any drill-down): its row-selection cell at the left edge.
    click_grid_row(page, page.get_by_test_id("stDataFrame").first)
    page.get_by_role("heading", name="Deals: Lead").wait_for()

    # Plotly bars are SVG paths: click the centre of the fifth bar (won), by coordinates.
    bar = page.get_by_test_id("stPlotlyChart").first.locator(".barlayer .point").nth(4)
    _click_centre(page, bar)
    page.get_by_role("heading", name="Deals: Won").wait_for()
    page.get_by_test_id("stPlotlyChart").first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)  # the grid is a canvas: let it repaint before the picture
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "funnel.png"), full_page=False)

    # The drill-down grid sits right under the chart; its first row is D5 (won 80k, Acme Corp).
    click_grid_row(page, page.get_by_test_id("stDataFrame").first)
    page.get_by_role("heading", name="Acme Corp").wait_for()
    assert "account=F2" in page.url
