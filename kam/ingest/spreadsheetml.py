"""Excel 2003 XML Spreadsheet (SpreadsheetML) -> text grids, one per <Worksheet>.

In: the file name (for the result only) and its bytes, an XML document whose root is
`<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">`, which ERPs and old Excel save under an .xls name.
Out: a `RawTable` per worksheet, named as in the file and marked hidden as Excel would hide it. Rows come from <Row>,
cells from <Cell><Data>; ss:Index skips rows and columns. As in the xlsx reader, a value merged down (ss:MergeDown)
fills each row it covers and one merged across leaves the cells it covers empty; a date reads '2025-03-01' (or
'2025-03-01 14:30:00' with a time). defusedxml refuses DTDs and entities.
"""
from __future__ import annotations

import datetime as dt
import re
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeXML

from kam.ingest import encodings
from kam.ingest.grids import RawTable, check_size, rows_grid

SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
EXCEL = "{urn:schemas-microsoft-com:office:excel}"
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384        # Excel's own limits: an index beyond them is a broken file
_DECLARED = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def read_workbook(name: str, data: bytes) -> list[RawTable]:
    """Every worksheet of the workbook as a grid."""
    declared = _DECLARED.match(data[:512].lstrip(b"\xef\xbb\xbf \t\r\n"))
    # Decoded here: expat itself reads no multi-byte legacy codec (an ERP's encoding="GB2312").
    root = SafeXML.fromstring(encodings.decode_declared(name, data, declared and declared[1].decode("ascii")))
    return [RawTable(name, sheet.get(f"{SS}Name") or f"Sheet{n}", rows_grid(_rows(sheet)), _hidden(sheet))
            for n, sheet in enumerate(root.iter(f"{SS}Worksheet"), 1)]


def _rows(sheet: Element) -> list[list[str | None]]:
    """The sheet's rows of cell texts, ragged; the size is checked as it grows, since ss:Index can jump far."""
    rows: list[list[str | None]] = []
    merged_down: list[tuple[int, int, int, str | None]] = []   # (row, column, rows below, value)
    width = 0
    for row in sheet.iter(f"{SS}Row"):
        number = _index(row, len(rows) + 1, MAX_ROWS)
        rows.extend([] for _ in range(number - 1 - len(rows)))
        rows.append(_cells(row, number - 1, merged_down))
        width = max(width, len(rows[-1]))  # a merge down never widens: its column is in the row it starts on
        check_size(len(rows), width)
    for top, column, below, value in merged_down:
        for cells in rows[top + 1:top + 1 + below]:
            cells.extend([None] * (column + 1 - len(cells)))
            cells[column] = value
    return rows


def _cells(row: Element, number: int, merged_down: list) -> list[str | None]:
    cells: list[str | None] = []
    for cell in row.iter(f"{SS}Cell"):
        column = _index(cell, len(cells) + 1, MAX_COLUMNS)
        across = min(_attr_int(cell, "MergeAcross"), MAX_COLUMNS - column)
        cells.extend([None] * (column - 1 - len(cells)))
        cells.extend([_value(cell)] + [None] * across)
        if _attr_int(cell, "MergeDown"):
            merged_down.append((number, column - 1, _attr_int(cell, "MergeDown"), cells[column - 1]))
    return cells


def _index(element: Element, following: int, most: int) -> int:
    """ss:Index (1-based) when given, else the position after the previous one; never backwards, at most `most`."""
    given = _attr_int(element, "Index")
    return min(max(given, following), most)


def _attr_int(element: Element, name: str) -> int:
    value = element.get(f"{SS}{name}") or element.get(name) or ""
    return int(value) if value.strip().isdigit() else 0


def _value(cell: Element) -> str | None:
    data = cell.find(f"{SS}Data")
    if data is None:
        return None
    text = "".join(data.itertext())  # rich text holds <Font>/<B> children
    if data.get(f"{SS}Type") == "DateTime":
        return _date_text(text)
    return text if text.strip() else None


def _date_text(text: str) -> str:
    """'2025-03-01T00:00:00.000' -> '2025-03-01', as the xlsx reader writes a date cell; with a time, its seconds."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return text
    return str(moment.date()) if moment.time() == dt.time() else str(moment.replace(microsecond=0))


def _hidden(sheet: Element) -> bool:
    states = ((seen.text or "").strip() for seen in sheet.iter(f"{EXCEL}Visible"))
    return any(state in ("SheetHidden", "SheetVeryHidden") for state in states)
