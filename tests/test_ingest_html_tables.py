"""HTML tables (web ERP exports named .xls): every <table> a sheet, spans as the xlsx reader reads merges."""
import pandas as pd
import pytest

from kam.errors import InputError
from kam.ingest import html_tables


def _cells(grid: pd.DataFrame) -> list[list]:
    return grid.astype(object).where(grid.notna(), None).values.tolist()


def test_every_table_is_a_sheet_with_rows_from_tr_and_cells_from_td_and_th():
    page = b"<html><body><table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>" \
           b"<p>between</p><table><tbody><tr><td>only</td></tr></tbody></table></body></html>"
    tables = html_tables.read_tables("x.xls", page)
    assert [(t.file, t.sheet) for t in tables] == [("x.xls", "table 1"), ("x.xls", "table 2")]
    assert _cells(tables[0].grid) == [["A", "B"], ["1", "2"]]
    assert _cells(tables[1].grid) == [["only"]]


def test_a_colspan_leaves_the_covered_cells_empty_and_a_rowspan_repeats_its_value():
    page = b"""<table>
      <tr><th colspan="2">Customer</th><th>Amount</th></tr>
      <tr><td rowspan="2">Acme</td><td>a</td><td>1</td></tr>
      <tr><td>b</td><td>2</td></tr>
      <tr><td>Beta</td><td>c</td><td>3</td></tr></table>"""
    grid = html_tables.read_tables("x.xls", page)[0].grid
    assert _cells(grid) == [["Customer", None, "Amount"], ["Acme", "a", "1"], ["Acme", "b", "2"],
                            ["Beta", "c", "3"]]


def test_entities_are_decoded_whitespace_collapsed_and_a_br_kept_as_a_line_break():
    page = b"<table><tr><td> R&amp;D &lt;HK&gt; </td><td>first<br>second\n   line</td><td>&#21326;&#20026;</td>" \
           b"<td><script>var x = 1;</script></td></tr></table>"
    assert _cells(html_tables.read_tables("x.xls", page)[0].grid) == [["R&D <HK>", "first\nsecond line", "华为", None]]


def test_a_page_declaring_gb2312_reads_its_gbk_only_characters():
    page = '<html><head><meta charset="gb2312"></head><table><tr><td>朱镕基</td></tr></table>'.encode("gbk")
    assert html_tables.read_tables("x.xls", page)[0].grid.iat[0, 0] == "朱镕基"   # 镕 is in GBK, not in GB2312


def test_a_page_without_a_declared_charset_is_decoded_like_a_text_file():
    page = "<table><tr><td>华为技术</td></tr></table>".encode("gbk")
    assert html_tables.read_tables("x.xls", page)[0].grid.iat[0, 0] == "华为技术"


def test_a_page_without_any_table_is_an_input_error():
    with pytest.raises(InputError, match="without any table"):
        html_tables.read_tables("x.xls", b"<html><body>Session expired</body></html>")


def test_spans_expanding_past_the_cell_limit_are_refused(monkeypatch):
    monkeypatch.setattr(html_tables, "MAX_CELLS", 10)
    with pytest.raises(ValueError, match="too many cells"):
        html_tables.read_tables("x.xls", b'<table><tr><td colspan="6">a</td></tr><tr><td colspan="6">b</td></tr>')


def test_a_row_wider_than_excel_allows_is_refused():
    row = b'<td colspan="1000">x</td>' * 17  # 17,000 columns
    with pytest.raises(ValueError, match="wider than 16,384 columns"):
        html_tables.read_tables("x.xls", b"<table><tr>" + row + b"</tr></table>")
