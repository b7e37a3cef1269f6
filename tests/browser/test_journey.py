"""The main journey in a real browser: open the app, switch language, filter, open an account."""
import pytest

from tests.browser.conftest import SCREENSHOTS, click_grid_row, wait_idle

pytestmark = pytest.mark.browser


def _open(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def test_switch_language_filter_and_open_an_account(app_server, page):
    base = app_server("tiny")
    _open(page, f"{base}/accounts")
    page.get_by_text("3 accounts").wait_for()

    page.get_by_test_id("stSidebar").get_by_text("中文", exact=True).click()
    wait_idle(page)
    page.get_by_text("共 3 个客户").wait_for()

    page.get_by_test_id("stSidebar").get_by_role("combobox", name="区域").click()
    page.get_by_role("option", name="华北").click()
    page.keyboard.press("Escape")
    wait_idle(page)
    page.get_by_text("共 1 个客户").wait_for()

    # Select the only row by clicking its row-selection cell at the grid's left edge, then land on Account 360.
    click_grid_row(page, page.get_by_test_id("stDataFrame").first)
    page.get_by_role("heading", name="Acme Corp").wait_for()
    assert "account=A002" in page.url
    page.get_by_test_id("stMetric").filter(has_text="近12个月收入").get_by_text("¥4.00万").wait_for()


def test_an_account_opens_from_a_shared_link(app_server, page):
    base = app_server("tiny")
    _open(page, f"{base}/account_360?account=A001")
    page.get_by_role("heading", name="华为技术有限公司").wait_for()
    wait_idle(page)  # the whole page drawn, not its loading placeholders
    page.get_by_test_id("stMetric").filter(has_text="Tier").get_by_text("A", exact=True).wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "account_360.png"), full_page=False)


def test_the_demo_company_opens_on_the_overview_in_chinese(app_server, page):
    base = app_server("demo")
    page.goto(base)
    wait_idle(page)
    page.get_by_test_id("stSidebar").get_by_text("中文", exact=True).click()
    wait_idle(page)
    page.get_by_role("heading", name="总览").wait_for(timeout=60_000)
    assert page.get_by_test_id("stMetric").count() >= 8
    page.wait_for_timeout(1500)  # sparklines draw after the numbers
    page.screenshot(path=str(SCREENSHOTS / "overview_demo_zh.png"), full_page=False)
