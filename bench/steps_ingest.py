"""Import speed: a whole import (read, layout, mapping, cleaning, validation, commit) of an orders workbook and an
orders CSV, against bare reads of the same files measured in the same run.

Baselines: a bare fastexcel read of the workbook into Arrow (the import must reach >= 0.65x its speed),
pandas.read_excel(engine="openpyxl") (the import must be >= 10x faster), and pandas.read_csv for the CSV (the
import must also reach >= 1M rows/s; printed). The files are generated once into bench/out (the workbook as raw
SpreadsheetML, seconds per million rows); KAM_BENCH_XLSX_ROWS / KAM_BENCH_CSV_ROWS change the sizes (1M each).
"""
from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pandas as pd

from bench.common import OUT, best_of, report
from kam import db, ingest, settings

XLSX_ROWS = int(os.environ.get("KAM_BENCH_XLSX_ROWS", 1_000_000))
CSV_ROWS = int(os.environ.get("KAM_BENCH_CSV_ROWS", 1_000_000))
ACCOUNTS = 500
FASTEXCEL_TARGET = 1 / 0.65   # at least 0.65x the speed of a bare fastexcel read of the same workbook
PEAK_MB_TARGET = 800          # peak resident memory of one whole import
OPENPYXL_TARGET = 0.1         # at least 10x faster than pandas + openpyxl
CSV_TARGET = 10.0             # a whole import may cost at most 10x a bare pandas.read_csv of the file
CSV_RATE_TARGET = 1_000_000   # and must reach 1M rows/s


_STYLES = ('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           '2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
           '<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/>'
           '</borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/><xf numFmtId="14" '
           'applyNumberFormat="1"/></cellXfs></styleSheet>')
_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook'
    '.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="订单" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '</Relationships>',
    "xl/styles.xml": _STYLES,
}


def _text_row(number: int, cells: list[str]) -> str:
    inline = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(cells))
    return f'<row r="{number}">{inline}</row>'


def _sheet_xml(rows: int):
    """The sheet XML in pieces: title, unit line, header on row 3, `rows` order lines, a 合计 row."""
    yield ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           f'2006/main"><dimension ref="A1:G{rows + 4}"/><sheetData>')
    yield _text_row(1, ["2025年订单明细"]) + _text_row(2, ["单位：元"])
    yield _text_row(3, ["订单号", "客户编号", "订单日期", "产品", "数量", "单价", "金额"])
    first_serial = (dt.date(2024, 1, 1) - dt.date(1899, 12, 30)).days
    for block in range(0, rows, 10_000):
        parts = []
        for i in range(block, min(block + 10_000, rows)):
            r, quantity, price = i + 4, i % 7 + 1, 100.0 + i % 13
            parts.append(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>SO-{i}</t></is></c><c r="B{r}" '
                         f't="inlineStr"><is><t>A{i % ACCOUNTS}</t></is></c><c r="C{r}" s="1"><v>'
                         f'{first_serial + i % 700}</v></c><c r="D{r}" t="inlineStr"><is><t>P{i % 50}</t></is></c>'
                         f'<c r="E{r}"><v>{quantity}</v></c><c r="F{r}"><v>{price}</v></c><c r="G{r}"><v>'
                         f'{quantity * price}</v></c></row>')
        yield "".join(parts)
    yield _text_row(rows + 4, ["合计"]) + "</sheetData></worksheet>"


def orders_workbook(rows: int = XLSX_ROWS) -> bytes:
    """An orders export with a title, a unit line, the header on row 3 and a 合计 row, built once into bench/out.
    Written as raw SpreadsheetML (inline strings, a date style): openpyxl needs ~45 s per 100k rows here."""
    path = OUT / f"orders_{rows}.xlsx"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        partial = path.with_suffix(".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for part, text in _PARTS.items():
                archive.writestr(part, text)
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                for piece in _sheet_xml(rows):
                    sheet.write(piece.encode("utf-8"))
        partial.rename(path)
    return path.read_bytes()


def orders_csv(rows: int = CSV_ROWS) -> bytes:
    """The same columns as a CSV, written by DuckDB (fast) once."""
    path = OUT / f"orders_{rows}.csv"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        duckdb.sql(f"""COPY (SELECT 'SO-' || i AS "Order No", 'A' || (i % {ACCOUNTS}) AS "Customer ID",
                        DATE '2024-01-01' + (i % 700)::INTEGER AS "Order Date", 'P' || (i % 50) AS "Item",
                        i % 7 + 1 AS "Qty", 100.0 + i % 13 AS "Unit Price" FROM range({rows}) t(i))
                        TO '{path}' (HEADER)""")
    return path.read_bytes()


def _fresh() -> duckdb.DuckDBPyConnection:
    con = db.connect()
    db.execute(con, "INSERT INTO accounts (account_id, name) SELECT 'A' || i, 'Account ' || i FROM range(?) t(i)",
               [ACCOUNTS])
    return con


def _import(name: str, data: bytes, repeat: int) -> float:
    """Best time of a whole import into a fresh database (making the database is not timed)."""
    times = []
    for _ in range(repeat):
        con = _fresh()
        start = time.perf_counter()
        plans = ingest.read_sources(con, [(name, data)])
        _, result = ingest.commit(con, plans, settings.load(con), user="bench")
        times.append(time.perf_counter() - start)
        assert int(result.counts["created"].sum()) > 0
        con.close()
    return min(times)


def _fastexcel_read(book: bytes) -> None:
    import fastexcel

    fastexcel.read_excel(book).load_sheet(0, header_row=None, eager=True)


def _peak_rss_mb(name: str, path: Path) -> float:
    """Peak resident memory of a fresh process running one whole import of the file: what the OS sees, Arrow,
    DuckDB and Rust allocations included (tracemalloc sees only the Python heap)."""
    # VmHWM, not getrusage: Linux carries ru_maxrss across exec, so a child would report this process's peak.
    code = ("import re; from bench.steps_ingest import _import; "
            f"_import({name!r}, open({str(path)!r}, 'rb').read(), 1); "
            "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).parent.parent)
    return int(done.stdout.split()[-1]) / 1024


def run() -> list[dict]:
    # The CSV import runs first and the openpyxl baseline last: that baseline leaves ~1M Python objects alive in
    # this process, which slows whatever is measured after it by 20-40% (a cost of the baseline, not of kam).
    results = []
    text = orders_csv()
    seconds = _import("orders.csv", text, repeat=3)  # best of three: the first run in a process also pays warm-up
    bare = best_of(lambda: pd.read_csv(io.BytesIO(text), dtype=str), repeat=2)
    results.append(report(f"import {CSV_ROWS:,}-row csv (read..commit)", seconds, bare, "pandas.read_csv",
                          CSV_TARGET))
    # the rate as a ratio: seconds taken over the seconds 1M rows/s would take
    results.append(report(f"import {CSV_ROWS:,}-row csv, rate", seconds, CSV_ROWS / CSV_RATE_TARGET,
                          "time at 1M rows/s", 1.0))
    print(f"{'':48} {CSV_ROWS / seconds:,.0f} rows/s (target 1,000,000); "
          f"peak RSS {_peak_rss_mb('orders.csv', OUT / f'orders_{CSV_ROWS}.csv'):,.0f} MB", flush=True)
    book = orders_workbook()
    seconds = _import("orders.xlsx", book, repeat=2)
    bare = best_of(lambda: _fastexcel_read(book), repeat=2)
    results.append(report(f"import {XLSX_ROWS:,}-row xlsx (read..commit)", seconds, bare,
                          "bare fastexcel read to Arrow", FASTEXCEL_TARGET))
    print(f"{'':48} xlsx import peak RSS {_peak_rss_mb('orders.xlsx', OUT / f'orders_{XLSX_ROWS}.xlsx'):,.0f} MB "
          f"(target < {PEAK_MB_TARGET})", flush=True)
    openpyxl = best_of(lambda: pd.read_excel(io.BytesIO(book), engine="openpyxl", header=None), repeat=1)
    results.append(report(f"import {XLSX_ROWS:,}-row xlsx vs openpyxl", seconds, openpyxl,
                          "pandas+openpyxl read", OPENPYXL_TARGET))
    return results
