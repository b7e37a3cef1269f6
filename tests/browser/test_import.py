"""The import journey in a real browser: upload a workbook, fix one column mapping, preview, commit, undo."""
import pytest

from tests.browser.conftest import wait_idle
from tests.ingest_samples import single_sheet

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_upload_fix_a_mapping_commit_and_undo(app_server, page):
    base = app_server("tiny")
    page.goto(f"{base}/import_data")
    wait_idle(page)
    page.get_by_test_id("stSidebar").get_by_label("Your name").fill("amy")
    page.keyboard.press("Enter")
    wait_idle(page)

    # 'Betrag' is no word kam knows: the amount would be computed from Qty x Unit Price until it is mapped by hand.
    name, data = single_sheet([["Order No", "Customer", "Order Date", "Qty", "Unit Price", "Betrag"],
                               ["SO-900", "Acme Corp", "2025-03-01", 2, 10, 25],
                               ["SO-901", "华为技术", "2025-03-02", 1, 10, 12]], title="Orders")
    page.locator("input[type=file]").set_input_files(files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    wait_idle(page)
    page.get_by_role("button", name="Read files").click()
    wait_idle(page)
    page.get_by_text("Orders: 2 rows, header on row 1").wait_for()

    page.get_by_role("combobox", name="Betrag · 0%").click()
    page.get_by_role("option", name="Amount (amount)").click()
    wait_idle(page)
    page.get_by_role("button", name="Preview").click()
    wait_idle(page)
    page.get_by_text("Errors (0)").wait_for()

    page.get_by_role("button", name="Commit import").click()
    wait_idle(page)
    page.get_by_text("Imported (batch 1): 2 rows created, 0 updated.").wait_for()
    page.get_by_text("2 created · 0 updated · 0 rejected").wait_for()

    page.get_by_role("button", name="Undo").click()
    wait_idle(page)
    page.get_by_text("Batch 1 undone: the data is as it was before.").wait_for()
    assert page.get_by_role("button", name="Undo").count() == 0
