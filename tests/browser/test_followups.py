"""Follow-ups in a real browser (tests/fixtures/followups, as of 2026-07-10: one warning, F2's health drop, has no
follow-up): create a follow-up from the risk page in one click, edit its action in the follow-up table, reload,
and see the edit (it was saved at once, not held in the grid)."""
import pytest

from tests.browser.conftest import SCREENSHOTS, wait_idle

pytestmark = pytest.mark.browser

ROW_HEIGHT = 35  # px: the data grid's header and row height
NEW_ACTION = "Visit the plant manager"


def _edit_cell(page, grid, row: int, steps_right: int, text: str) -> None:
    """Select the first cell of `row`, move right to the column, open its editor, replace the text, commit."""
    grid.wait_for()
    grid.scroll_into_view_if_needed()
    wait_idle(page, settle_ms=600)  # the grid's canvas draws after the element appears
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 20, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)
    page.wait_for_timeout(300)
    for _ in range(steps_right):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    page.keyboard.press("Control+A")
    page.keyboard.type(text, delay=20)
    page.keyboard.press("Enter")
    wait_idle(page)


def _options(page, label: str) -> list[str]:
    box = page.get_by_test_id("stSelectbox").filter(has_text=label).first
    box.locator("input").click()
    page.get_by_role("option").first.wait_for()
    return page.get_by_role("option").all_inner_texts()


def test_a_follow_up_created_from_a_risk_and_edited_in_the_table_survives_a_reload(app_server, page):
    base = app_server("followups")
    page.goto(f"{base}/health_risk")
    wait_idle(page)
    name = page.get_by_label("Your name")
    name.fill("Tester")
    name.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Create follow-up").click()
    wait_idle(page)
    page.get_by_text("Created follow-up #7").wait_for()

    page.get_by_role("link", name="Follow-ups").click()  # same session: the name stays
    wait_idle(page)
    page.get_by_test_id("stMetric").first.wait_for()
    # open follow-ups by due date: #1 06-25, #5 06-30, #2 07-03, #7 07-17 (new), #4 07-20; Action is 5 columns right
    _edit_cell(page, page.get_by_test_id("stDataFrame").first, 3, 5, NEW_ACTION)
    page.get_by_text("Saved follow-up #7 (version 2)").wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "followups.png"), full_page=False)

    page.reload()
    wait_idle(page)
    page.get_by_test_id("stMetric").first.wait_for()
    assert f"#7 · Beta Ltd · {NEW_ACTION}" in _options(page, "Follow-up")
