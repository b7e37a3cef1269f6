"""kam.followups_export: the exported workbook keeps values and never turns text into formulas."""
import datetime as dt
import io
import zipfile

import pandas as pd
from openpyxl import load_workbook

from kam import followups, followups_export
from tests.conftest import build_db


def test_the_follow_up_list_exports_with_headers_dates_and_formula_like_text_kept_as_text():
    con = build_db("followups")
    frame = followups.follow_up_list(con, dt.date(2026, 6, 30))[["follow_up_id", "due_date", "action", "version"]]
    data = followups_export.to_excel(frame, {"action": "行动", "due_date": "Due"})
    ws = load_workbook(io.BytesIO(data)).active
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert rows[0] == ["follow_up_id", "Due", "行动", "version"]
    assert rows[1] == [3, dt.datetime(2026, 6, 10), '=HYPERLINK("http://evil.example","click")', 1]
    assert [r[2] for r in rows[1:]] == ['=HYPERLINK("http://evil.example","click")', "季度回访", "-check stock",
                                        "Call about the delivery delay", "+Review pricing", "@later"]
    assert rows[6][1] is None
    assert all(cell.data_type == "s" for cell in ws["C"][1:])
    assert ws["C2"].quotePrefix and not ws["C3"].quotePrefix
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula anywhere in the file
    con.close()


def test_numbers_stay_numbers_and_missing_values_stay_empty():
    frame = pd.DataFrame({"n": [1.5, None], "s": ["-5", "x"]})
    ws = load_workbook(io.BytesIO(followups_export.to_excel(frame))).active
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["n", "s"], [1.5, "-5"], [None, "x"]]
    assert ws["B2"].data_type == "s"
