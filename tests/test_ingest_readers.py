"""Readers: every supported format -> text grids; unreadable or unsafe files -> InputError naming the file."""
import io
import sqlite3
import zipfile

import duckdb
import pandas as pd
import pytest

from tests.ingest_samples import messy_workbook, orders_csv, single_sheet
from kam.errors import InputError
from kam.ingest import readers


def test_a_workbook_yields_every_sheet_with_hidden_ones_marked():
    name, data = messy_workbook()
    tables = readers.read_file(name, data)
    assert [t.sheet for t in tables] == ["客户档案", "销售订单", "商机", "跟进计划", "产品清单", "空白", "lookup"]
    assert [t.sheet for t in tables if t.hidden] == ["lookup"]
    assert tables[5].grid.empty


def test_sheet_rows_keep_the_row_numbers_the_user_sees_and_cells_are_text():
    orders = readers.read_file(*messy_workbook())[1].grid
    assert orders.iat[0, 0] == "2025年销售订单明细"
    assert list(orders.iloc[2]) == ["订单号", "客户名称", "订单日期", "产品", "数量", "金额"]
    assert orders.iat[4, 2] == "2025-03-02"      # a real date cell
    assert orders.iat[6, 2] == "45717.0"         # a serial typed as a number stays a number
    assert orders.iloc[5].isna().all()           # the blank row


def test_a_value_merged_down_over_rows_fills_each_of_them():
    book_name, data = single_sheet([["客户", "产品"], ["甲", "a"], [None, "b"]])
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(data))
    book.active.merge_cells("A2:A3")
    out = io.BytesIO()
    book.save(out)
    grid = readers.read_file(book_name, out.getvalue())[0].grid
    assert list(grid[0]) == ["客户", "甲", "甲"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_text_is_decoded_whatever_its_encoding(encoding):
    name, data = orders_csv(encoding)
    grid = readers.read_file(name, data)[0].grid
    assert list(grid.iloc[0]) == ["Order No", "Customer", "Order Date", "Item", "Qty", "Unit Price", "Status"]
    assert grid.iat[1, 5] == "1,000.50"


def test_a_gbk_csv_with_chinese_text_reads_back_the_same_characters():
    data = "客户名称,金额\n华为技术,1\n".encode("gbk")
    assert readers.read_file("x.csv", data)[0].grid.iat[1, 0] == "华为技术"


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_the_csv_delimiter_is_detected(delimiter):
    grid = readers.read_file(*orders_csv("utf-8", delimiter))[0].grid
    assert grid.shape == (4, 7)


def test_a_csv_title_line_narrower_than_the_table_is_padded():
    grid = readers.read_file("x.csv", "Orders export\nCustomer,Amount\nAcme,1\n".encode())[0].grid
    assert grid.shape == (3, 2)
    assert pd.isna(grid.iat[0, 1])


def test_sqlite_and_duckdb_files_list_and_read_their_tables(tmp_path):
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE TABLE orders (customer TEXT, amount REAL)")
    lite.execute("INSERT INTO orders VALUES ('Acme', 1.5)")
    lite.commit()
    data = lite.serialize()
    assert readers.list_tables("crm.db", data) == ["orders"]
    assert readers.read_file("crm.db", data)[0].grid.values.tolist() == [["customer", "amount"], ["Acme", "1.5"]]
    path = tmp_path / "erp.duckdb"
    duck = duckdb.connect(str(path))
    duck.execute("CREATE TABLE a AS SELECT 1 AS x; CREATE TABLE b AS SELECT DATE '2025-03-01' AS d")
    duck.close()
    data = path.read_bytes()
    assert readers.list_tables("upload.bin", data) == ["a", "b"]
    assert readers.read_file("upload.bin", data, ("b",))[0].grid.values.tolist() == [["d"], ["2025-03-01 00:00:00"]]


def test_parquet_reads_with_its_column_names_as_the_header():
    out = io.BytesIO()
    pd.DataFrame({"客户": ["甲"], "金额": [2.5]}).to_parquet(out)
    assert readers.read_file("x.parquet", out.getvalue())[0].grid.values.tolist() == [["客户", "金额"], ["甲", "2.5"]]


def test_a_broken_workbook_is_an_input_error_naming_the_file():
    with pytest.raises(InputError) as caught:
        readers.read_file("报表.xlsx", b"PK\x03\x04 not really a zip")
    assert caught.value.file == "报表.xlsx"


def test_a_file_with_an_excel_suffix_but_other_content_is_refused():
    with pytest.raises(InputError, match="not a valid .xlsx file"):
        readers.read_file("x.xlsx", b"hello")


def test_a_zip_bomb_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(readers, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(InputError, match="zip bomb"):
        readers.read_file(*messy_workbook())


def test_xml_with_entity_declarations_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(InputError, match="unsafe XML"):
        readers.read_file("bomb.xlsx", out.getvalue())


def test_an_oversized_upload_is_refused(monkeypatch):
    monkeypatch.setattr(readers, "MAX_UPLOAD_BYTES", 4)
    with pytest.raises(InputError, match="larger than"):
        readers.read_file("x.csv", b"a,b\n1,2\n")


def test_a_chart_sheet_reads_as_an_empty_sheet():
    import openpyxl
    from openpyxl.chart import BarChart, Reference
    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    book.active.append([1, 2])
    chart_sheet = book.create_chartsheet("图表")
    chart = BarChart()
    chart.add_data(Reference(book.active, min_col=2, min_row=1, max_row=2))
    chart_sheet.add_chart(chart)
    out = io.BytesIO()
    book.save(out)
    tables = readers.read_file("c.xlsx", out.getvalue())
    assert [(t.sheet, t.grid.shape) for t in tables] == [("Sheet", (2, 2)), ("图表", (0, 0))]


def test_the_arrow_path_keeps_leading_blank_rows_and_columns_and_fills_merged_values(monkeypatch):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B3"], sheet["C3"], sheet["B4"], sheet["C4"], sheet["C5"] = "客户", "金额", "甲", 1.5, 2
    sheet.merge_cells("B4:B5")
    out = io.BytesIO()
    book.save(out)
    monkeypatch.setattr(readers, "FAST_XLSX_BYTES", 0)
    grid = readers.read_file("big.xlsx", out.getvalue())[0].grid
    assert grid.shape == (5, 3)
    assert grid[0].isna().all() and grid.iloc[:2].isna().all().all()
    assert list(grid[1].iloc[2:]) == ["客户", "甲", "甲"]
    assert list(grid[2].iloc[2:]) == ["金额", "1.5", "2"]


def test_a_quoted_csv_value_keeps_its_line_break_and_an_unquoted_file_splits_at_every_line():
    quoted = readers.read_file("x.csv", 'Customer,Note\nAcme,"two\nlines"\nBeta,one\n'.encode("utf-8-sig"))[0].grid
    assert quoted.shape == (3, 2)
    assert quoted.iat[1, 1] == "two\nlines"
    plain = readers.read_file("x.csv", b"Customer,Note\nAcme,a\nBeta,b\n")[0].grid
    assert plain.values.tolist() == [["Customer", "Note"], ["Acme", "a"], ["Beta", "b"]]


TABLE_HTML = "<html><head><meta charset='utf-8'></head><body><table><tr><td>客户</td><td>金额</td></tr>" \
             "<tr><td>华为</td><td>100</td></tr></table></body></html>"
EXCEL_HTML = '<html xmlns:o="urn:schemas-microsoft-com:office:office" ' \
             'xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table><tr><td>客户</td><td>金额</td></tr>' \
             "<tr><td>华为</td><td>100</td></tr></table></body></html>"
XML_BOOK = '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" ' \
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="客户"><Table>' \
           '<Row><Cell><Data ss:Type="String">客户</Data></Cell><Cell><Data ss:Type="String">金额</Data></Cell></Row>' \
           '<Row><Cell><Data ss:Type="String">华为</Data></Cell><Cell><Data ss:Type="Number">100</Data></Cell></Row>' \
           "</Table></Worksheet></Workbook>"


@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
@pytest.mark.parametrize("data, kind, sheet", [
    (TABLE_HTML.encode(), "html", "table 1"),
    (EXCEL_HTML.encode("utf-8-sig"), "html", "table 1"),    # Excel's own "web page" export
    (XML_BOOK.encode(), "spreadsheetml", "客户"),
    ("客户\t金额\n华为\t100\n".encode("gbk"), "csv", None),
])
def test_an_html_table_an_xml_spreadsheet_or_a_csv_under_an_excel_name_reads_as_what_it_is(suffix, data, kind, sheet):
    assert readers.kind_of("export" + suffix, data) == kind
    table = readers.read_file("export" + suffix, data)[0]
    assert (table.sheet, table.grid.values.tolist()) == (sheet, [["客户", "金额"], ["华为", "100"]])


def test_binary_content_under_an_excel_name_is_still_refused():
    with pytest.raises(InputError, match="not a valid .xls file"):
        readers.read_file("x.xls", b"\x01\x02\x03,\x04")


def test_a_broken_xml_spreadsheet_is_an_input_error_naming_the_file():
    with pytest.raises(InputError, match="cannot read the file as spreadsheetml") as caught:
        readers.read_file("x.xls", XML_BOOK[:120].encode())
    assert caught.value.file == "x.xls"
