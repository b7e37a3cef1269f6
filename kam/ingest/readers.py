"""Readers: an uploaded file's bytes -> raw text grids, one per sheet or table.

In: the file name as uploaded (used only for its suffix and in messages, never as a path) and its bytes. Out: a list
of `RawTable` (see kam.ingest.grids), each a DataFrame with positional columns 0..n-1 holding every cell as text
(None when empty); row i of the grid is row i+1 of the sheet as the user sees it. Keeping everything as text until
the cleaning step lets one set of vectorised parsers handle every format alike. Any reader failure becomes an
InputError naming the file. The format is told by content, not by name: web ERPs save HTML tables, Excel 2003 XML
and CSV files as .xls. One module per text format: delimited (CSV), html_tables, spreadsheetml.

Safety: the upload size is capped; an xlsx (a zip) is checked for its uncompressed size before parsing and its XML
for DTD/entity declarations (defusedxml); python-calamine (Rust) does the parsing and expands no entities.
"""
from __future__ import annotations

import io
import os
import re
import sqlite3
import tempfile
import zipfile

import pandas as pd
import python_calamine as calamine
from defusedxml import ElementTree as SafeXML

from kam import db
from kam.errors import InputError
from kam.ingest import delimited, encodings, fastxlsx, html_tables, spreadsheetml
from kam.ingest.grids import RawTable, as_text

MAX_UPLOAD_BYTES = 200 * 1024 * 1024        # same as Streamlit's default server.maxUploadSize
MAX_UNCOMPRESSED_BYTES = 2 * 1024 ** 3      # a 1M-row sheet unpacks to ~0.3 GB; far more is a zip bomb
MAX_ZIP_RATIO = 200                         # real workbooks compress 5-20x; bombs compress 1000x+
FAST_XLSX_BYTES = 4 * 1024 ** 2             # xlsx unpacking to more than this is read by fastexcel straight to Arrow
HEAD_BYTES = 4096                           # the opening that tells markup or delimited text from other content
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
DATABASE_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".duckdb")
_SPREADSHEETML = re.compile(r"<(?:\w+:)?workbook\b[^>]*urn:schemas-microsoft-com:office:spreadsheet")
_HTML = re.compile(r"<(?:!doctype\s+html|html|table)\b")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f]")  # in text: only tab, line ends and a DOS end mark


def kind_of(name: str, data: bytes) -> str:
    """xlsx | xls | sqlite | duckdb | parquet | spreadsheetml | html | csv, by content first (a renamed file still
    reads), then suffix."""
    if data[:16] == b"SQLite format 3\x00":
        return "sqlite"
    if data[8:12] == b"DUCK":
        return "duckdb"
    if data[:4] == b"PAR1":
        return "parquet"
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    head = _head(data)
    if head.startswith("<") and _SPREADSHEETML.search(head):
        return "spreadsheetml"
    if head.startswith("<") and _HTML.search(head):
        return "html"
    suffix = os.path.splitext(name.lower())[1]
    if suffix in EXCEL_SUFFIXES and _looks_delimited(head):
        return "csv"
    if suffix in EXCEL_SUFFIXES or suffix in DATABASE_SUFFIXES or suffix == ".parquet":
        raise InputError(f"the file is not a valid {suffix} file", file=name)
    return "csv"


def _head(data: bytes) -> str:
    """The file's opening as lower-case text, loosely decoded (Latin-1 unless a BOM or NUL bytes say otherwise):
    enough to recognise markup or delimited text, whatever the real encoding."""
    codec, start = encodings.marked_codec(data[:HEAD_BYTES]) or ("latin-1", 0)
    return data[start:HEAD_BYTES].decode(codec, errors="ignore").lstrip("\ufeff \t\r\n").lower()


def _looks_delimited(head: str) -> bool:
    """Text with a delimiter in its opening: a CSV, though named like a workbook (a binary file has control bytes)."""
    return not _CONTROL.search(head) and any(d in head for d in delimited.DELIMITERS)


def read_file(name: str, data: bytes, tables: tuple[str, ...] | None = None) -> list[RawTable]:
    """Every sheet (or the chosen `tables` of a database file) of one uploaded file."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"the file is larger than {MAX_UPLOAD_BYTES // 1024 ** 2} MB", file=name)
    kind = kind_of(name, data)
    try:
        return _READERS[kind](name, data, tables)
    except InputError:
        raise
    except Exception as exc:  # every third-party reader error becomes one clear message
        raise InputError(f"cannot read the file as {kind}: {exc}", file=name) from exc


def list_tables(name: str, data: bytes) -> list[str]:
    """The tables of a database file, so the user can pick which to import (other files: every sheet is read)."""
    try:
        return _database_tables(name, data) if kind_of(name, data) in ("sqlite", "duckdb") else []
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"cannot list the tables: {exc}", file=name) from exc


def check_zip(name: str, data: bytes) -> int:
    """Refuse zip bombs and XML with entity declarations before any parser sees the workbook; returns the
    uncompressed size of an xlsx (0 for other zipped formats such as .ods)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(item.file_size for item in archive.infolist())
        if total > MAX_UNCOMPRESSED_BYTES or total > MAX_ZIP_RATIO * max(len(data), 1) and total > 50 * 1024 ** 2:
            raise InputError(f"the workbook unpacks to {total // 1024 ** 2} MB: refused as a possible zip bomb",
                             file=name)
        for item in archive.infolist():
            if item.filename.endswith(".xml"):
                with archive.open(item) as part:
                    head = part.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise InputError(f"unsafe XML (DTD/entity declaration) in {item.filename}", file=name)
        if "xl/workbook.xml" not in archive.namelist():
            return 0
        SafeXML.fromstring(archive.read("xl/workbook.xml"))
        return total


def _read_excel(name: str, data: bytes, tables: tuple[str, ...] | None) -> list[RawTable]:
    unpacked = check_zip(name, data) if data[:4] == b"PK\x03\x04" else 0
    # Small workbooks keep calamine's Python cells (exact cell types); big ones go straight to Arrow text.
    if unpacked > FAST_XLSX_BYTES:
        return _read_big_xlsx(name, data, tables)
    book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    out = []
    for meta in book.sheets_metadata:
        if tables is not None and meta.name not in tables:
            continue
        hidden = meta.visible != calamine.SheetVisibleEnum.Visible
        if meta.typ != calamine.SheetTypeEnum.WorkSheet:  # a chart or macro sheet holds no table
            out.append(RawTable(name, meta.name, pd.DataFrame(), hidden))
            continue
        out.append(RawTable(name, meta.name, _sheet_grid(book.get_sheet_by_name(meta.name)), hidden))
    return out


def _read_big_xlsx(name: str, data: bytes, tables: tuple[str, ...] | None) -> list[RawTable]:
    out = []
    with fastxlsx.reader(data) as book:
        for sheet in fastxlsx.sheets(data):
            if tables is None or sheet.name in tables:
                grid = fastxlsx.sheet_grid(book, data, sheet) if sheet.worksheet else pd.DataFrame()
                fastxlsx.release_freed_memory()  # the parser's cells, before the next sheet or the cleaning
                out.append(RawTable(name, sheet.name, grid, sheet.hidden))
    return out


def _sheet_grid(sheet: calamine.CalamineSheet) -> pd.DataFrame:
    rows = sheet.to_python(skip_empty_area=False)
    grid = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame()
    for (r0, c0), (r1, _c1) in sheet.merged_cell_ranges or ():
        if r1 > r0 and c0 in grid.columns:  # a value merged down over several rows belongs to each of them
            grid.iloc[r0:r1 + 1, c0] = grid.iat[r0, c0]
    return as_text(grid)


def _read_csv(name: str, data: bytes, tables: tuple[str, ...] | None) -> list[RawTable]:
    return [RawTable(name, None, delimited.read_csv(name, data))]


def _read_html(name: str, data: bytes, tables: tuple[str, ...] | None) -> list[RawTable]:
    return html_tables.read_tables(name, data)


def _read_spreadsheetml(name: str, data: bytes, tables: tuple[str, ...] | None) -> list[RawTable]:
    return spreadsheetml.read_workbook(name, data)


def _frame_grid(frame: pd.DataFrame) -> pd.DataFrame:
    """A typed table (Parquet, SQLite, DuckDB) as a grid whose first row is the header."""
    header = pd.DataFrame([list(frame.columns)], dtype=object)
    body = frame.astype(object)
    body.columns = range(body.shape[1])
    return as_text(pd.concat([header, body], ignore_index=True))


def _read_parquet(name: str, data: bytes, tables: tuple[str, ...] | None) -> list[RawTable]:
    return [RawTable(name, None, _frame_grid(pd.read_parquet(io.BytesIO(data))))]


def _sqlite(data: bytes) -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    con.deserialize(data)  # straight from memory: no temporary file, the upload's name never touches disk
    return con


def _database_tables(name: str, data: bytes) -> list[str]:
    if kind_of(name, data) == "sqlite":
        con = _sqlite(data)
        try:
            rows = con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                               "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
        finally:
            con.close()
        return [row[0] for row in rows]
    with _duckdb_file(data) as con:
        return list(db.query(con, "SELECT table_name FROM information_schema.tables "
                                  "WHERE table_schema = 'main' ORDER BY table_name")["table_name"])


def _read_sqlite(name: str, data: bytes, tables: tuple[str, ...] | None) -> list[RawTable]:
    wanted = _database_tables(name, data) if tables is None else tables
    con = _sqlite(data)
    try:
        return [RawTable(name, table, _frame_grid(pd.read_sql_query(f"SELECT * FROM {db.quote_ident(table)}", con)))
                for table in wanted]
    finally:
        con.close()


class _duckdb_file:
    """An uploaded DuckDB file opened read-only from a private temporary copy, deleted afterwards."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __enter__(self):
        handle, self.path = tempfile.mkstemp(suffix=".duckdb")
        with os.fdopen(handle, "wb") as out:
            out.write(self.data)
        self.con = db.connect(self.path, read_only=True)
        return self.con

    def __exit__(self, *exc: object) -> None:
        self.con.close()
        os.unlink(self.path)


def _read_duckdb(name: str, data: bytes, tables: tuple[str, ...] | None) -> list[RawTable]:
    wanted = _database_tables(name, data) if tables is None else tables
    with _duckdb_file(data) as con:
        return [RawTable(name, table, _frame_grid(db.query(con, f"SELECT * FROM {db.quote_ident(table)}")))
                for table in wanted]


_READERS = {"xlsx": _read_excel, "xls": _read_excel, "csv": _read_csv, "parquet": _read_parquet,
            "sqlite": _read_sqlite, "duckdb": _read_duckdb, "html": _read_html, "spreadsheetml": _read_spreadsheetml}
