"""Excel 2003 XML Spreadsheets: every <Worksheet> a sheet; ss:Index skips; merges as the xlsx reader reads them."""
import pandas as pd
import pytest
from defusedxml import DTDForbidden, EntitiesForbidden

from kam.ingest import spreadsheetml

HEAD = ('<?xml version="1.0" encoding="{encoding}"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:x="urn:schemas-microsoft-com:office:excel">')


def _book(sheets: str, encoding: str = "UTF-8") -> bytes:
    return (HEAD.format(encoding=encoding) + sheets + "</Workbook>").encode("gbk" if encoding == "GB2312" else "utf-8")


def _sheet(name: str, rows: str, options: str = "") -> str:
    return f'<Worksheet ss:Name="{name}"><Table>{rows}</Table>{options}</Worksheet>'


def _cell(text: str, kind: str = "String", attrs: str = "") -> str:
    return f'<Cell {attrs}><Data ss:Type="{kind}">{text}</Data></Cell>'


def _cells(grid: pd.DataFrame) -> list[list]:
    return grid.astype(object).where(grid.notna(), None).values.tolist()


def test_every_worksheet_is_a_sheet_named_as_in_the_file_with_hidden_ones_marked():
    hidden = '<WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetHidden</Visible>' \
             '</WorksheetOptions>'
    book = _book(_sheet("订单", "<Row>" + _cell("订单号") + _cell("金额") + "</Row><Row>" + _cell("X0")
                        + _cell("100", "Number") + "</Row>") + _sheet("lookup", "", hidden))
    tables = spreadsheetml.read_workbook("x.xls", book)
    assert [(t.sheet, t.hidden) for t in tables] == [("订单", False), ("lookup", True)]
    assert _cells(tables[0].grid) == [["订单号", "金额"], ["X0", "100"]]
    assert tables[1].grid.empty


def test_ss_index_skips_rows_and_columns():
    rows = "<Row>" + _cell("a") + _cell("c", attrs='ss:Index="3"') + '</Row><Row ss:Index="3">' + _cell("d") + "</Row>"
    grid = spreadsheetml.read_workbook("x.xls", _book(_sheet("s", rows)))[0].grid
    assert _cells(grid) == [["a", None, "c"], [None, None, None], ["d", None, None]]


def test_a_value_merged_down_fills_each_row_and_one_merged_across_leaves_the_cells_empty():
    rows = ("<Row>" + _cell("Title", attrs='ss:MergeAcross="1"') + _cell("Amount") + "</Row>"
            "<Row>" + _cell("Acme", attrs='ss:MergeDown="1"') + _cell("a") + _cell("1", "Number") + "</Row>"
            '<Row><Cell ss:Index="2"><Data ss:Type="String">b</Data></Cell>' + _cell("2", "Number") + "</Row>")
    grid = spreadsheetml.read_workbook("x.xls", _book(_sheet("s", rows)))[0].grid
    assert _cells(grid) == [["Title", None, "Amount"], ["Acme", "a", "1"], ["Acme", "b", "2"]]


def test_dates_read_as_the_xlsx_reader_writes_them_and_rich_text_keeps_its_words():
    rows = ("<Row>" + _cell("2025-03-01T00:00:00.000", "DateTime") + _cell("2025-03-01T14:30:00.000", "DateTime")
            + '<Cell><ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><B>Big</B> deal</ss:Data>'
            "</Cell></Row>")
    grid = spreadsheetml.read_workbook("x.xls", _book(_sheet("s", rows)))[0].grid
    assert _cells(grid) == [["2025-03-01", "2025-03-01 14:30:00", "Big deal"]]


def test_a_workbook_declaring_gb2312_reads_its_gbk_only_characters():
    book = _book(_sheet("客户", "<Row>" + _cell("朱镕基") + "</Row>"), encoding="GB2312")
    assert spreadsheetml.read_workbook("x.xls", book)[0].grid.iat[0, 0] == "朱镕基"


def test_an_entity_declaration_is_refused():
    book = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' \
           b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">&a;</Workbook>'
    with pytest.raises((DTDForbidden, EntitiesForbidden)):
        spreadsheetml.read_workbook("x.xls", book)
