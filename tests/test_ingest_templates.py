"""Import templates: each maps back to its own table at full confidence, in both languages."""
import io

import openpyxl
import pytest

from kam.ingest import mapping, templates
from kam.ingest.schema import TABLES


@pytest.mark.parametrize("table", list(TABLES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_template_header_maps_back_to_its_table_at_full_confidence(table, lang):
    proposal = mapping.propose(templates.headers(table, lang), "")
    assert proposal.table == table
    assert set(proposal.confidence.values()) == {1.0}


def test_the_orders_template_has_a_chinese_and_an_english_sheet():
    book = openpyxl.load_workbook(io.BytesIO(templates.workbook("orders")))
    assert book.sheetnames == ["中文", "English"]
    assert [c.value for c in book["中文"][1]][:4] == ["订单号", "行号", "客户编号", "客户"]
    assert [c.value for c in book["English"][1]][:4] == ["order id", "line", "account_id", "account"]
