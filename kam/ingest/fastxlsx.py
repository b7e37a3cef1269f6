"""Big xlsx sheets straight to Arrow: fastexcel (calamine underneath) -> a text grid without Python-object cells.

In: the workbook's bytes (already checked by readers.check_zip) and a sheet name. Out: the same text grid as
kam.ingest.readers builds (positional columns, str cells, None when empty, values merged down filled in). Reading
through Python objects (calamine's to_python) costs about as much again as parsing the workbook, so sheets of a
big workbook are read here. The text of a number cell is its shortest form ('100', not '100.0') and a date cell
reads '2025-03-02 00:00:00': the value parsers read both forms alike. Merged ranges are not exposed by fastexcel:
they are read from the sheet XML's <mergeCells> part (which follows the cell data) in one streaming pass.
"""
from __future__ import annotations

import contextlib
import ctypes
import io
import os
import re
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import fastexcel
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from defusedxml import ElementTree as SafeXML
from isal import isal_zlib

CHUNK_BYTES = 256 * 1024        # the sheet XML is inflated and scanned for merged ranges in pieces of this size
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s[^>]*ref="([A-Z]+)[0-9]+')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*ref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')


def release_freed_memory() -> None:
    """Hand the C heap's freed pages back to the OS (glibc only; elsewhere a no-op). Parsing a big sheet frees
    millions of small cells (calamine's, in Rust): without this, ~90 MB per million rows stays resident for the
    rest of the import, on top of the cleaned rows and DuckDB's own."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


@contextlib.contextmanager
def reader(data: bytes) -> Iterator[fastexcel.ExcelReader]:
    """fastexcel on a private temporary copy of the upload, deleted afterwards: handed bytes, fastexcel would keep
    a second in-memory copy of the whole workbook while it parses (tens of MB at a million rows)."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        yield fastexcel.read_excel(path)
    finally:
        os.unlink(path)


def sheet_grid(book: fastexcel.ExcelReader, data: bytes, sheet: SheetInfo) -> pd.DataFrame:
    """One sheet as a text grid (every cell read as a string by fastexcel, empty strings -> None)."""
    # The XML scan for merged ranges runs beside the parse (both release the GIL: zlib and fastexcel's Rust).
    with ThreadPoolExecutor(1) as pool:
        extent = pool.submit(sheet_extent, data, sheet.part)
        # skip_rows=0 keeps leading blank rows (row numbers stay the user's); blank columns are put back below.
        batch = book.load_sheet(sheet.name, header_row=None, dtypes="string", eager=True, skip_rows=0)
        first_column, merged = extent.result()
    grid = text_grid([pa.nulls(batch.num_rows, pa.string())] * first_column + list(batch.columns))
    for (r0, c0), (r1, _c1) in merged:
        if r1 > r0 and c0 in grid.columns and r0 < len(grid):  # a value merged down belongs to each row
            grid.iloc[r0:r1 + 1, c0] = grid.iat[r0, c0]
    return grid


def text_grid(columns: list[pa.Array | pa.ChunkedArray]) -> pd.DataFrame:
    """Arrow text columns as the readers' grid: positional labels, str cells, empty strings -> None (also used for
    CSV files read by pyarrow)."""
    if not columns:
        return pd.DataFrame()
    blank = pa.scalar(None, pa.string())
    # Readers give empty cells as nulls already; only a column holding "" (lengths from offsets: cheap) is rewritten.
    cleared = [pc.if_else(pc.equal(col, ""), blank, col) if _has_empty(col) else col for col in columns]
    grid = pa.table(cleared, names=[str(i) for i in range(len(cleared))]).to_pandas()
    grid.columns = range(grid.shape[1])
    return grid


def _has_empty(column: pa.Array | pa.ChunkedArray) -> bool:
    shortest = pc.min(pc.binary_length(column)).as_py() if len(column) else None
    return shortest == 0


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + char - 64
    return index - 1


@dataclass(frozen=True)
class SheetInfo:
    name: str
    part: str            # the zip member holding the sheet
    hidden: bool
    worksheet: bool      # False for a chart sheet or dialog sheet: no table there


def sheets(data: bytes) -> list[SheetInfo]:
    """The workbook's sheets in tab order, read from workbook.xml and its relationships (calamine's open would
    parse every shared string up front just to list them)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = SafeXML.fromstring(archive.read("xl/workbook.xml"))
        rels = SafeXML.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target_of = {rel.get("Id"): rel.get("Target", "") for rel in rels.findall("p:Relationship", _NS)}
    out = []
    for node in book.findall("m:sheets/m:sheet", _NS):
        target = target_of.get(node.get(f"{{{_NS['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        out.append(SheetInfo(node.get("name", ""), part, node.get("state", "visible") != "visible",
                             "/worksheets/" in f"/{part}"))
    return out


def _inflate(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A zip member's bytes in pieces, inflated straight from the archive (zipfile's reader also checks a CRC over
    every byte: fastexcel's parse of the same member checks it already)."""
    memory = memoryview(data)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    end = start + info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        yield bytes(memory[start:end])
        return
    # Raw deflate, as zip stores it; ISA-L inflates ~5x faster than zlib (1M rows: 310 MB of XML in ~0.25 s instead
    # of ~1.2 s of CPU taken from the parse running beside it on a 2-core machine).
    inflater = isal_zlib.decompressobj(-zlib.MAX_WBITS)
    for position in range(start, end, CHUNK_BYTES):
        yield inflater.decompress(memory[position:min(position + CHUNK_BYTES, end)])
    yield inflater.flush()


def sheet_extent(data: bytes, part: str) -> tuple[int, list[tuple[tuple[int, int], tuple[int, int]]]]:
    """(0-based first used column, the merged ranges as ((row0, col0), (row1, col1)) 0-based, as calamine reports
    them). fastexcel's grid starts at the first used column; the sheet's <dimension> says which one that is."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if part not in archive.namelist():
            return 0, []
        info = archive.getinfo(part)
    found, tail, first_column = [], b"", None
    for chunk in _inflate(data, info):
        if first_column is None and (dimension := _DIMENSION.search(chunk)):
            first_column = _column_index(dimension.group(1))
        if b"mergeCell" in chunk or b"mergeCell" in tail + chunk[:16]:  # plain search first: the regex is slow
            text = tail + chunk
            cut = text.rfind(b"<")  # a tag may straddle two pieces: keep the last one for the next round
            found += _MERGE.findall(text[:cut])
            tail = text[cut:]
        else:
            tail = chunk[chunk.rfind(b"<"):]
    found += _MERGE.findall(tail)
    return first_column or 0, [((int(r0) - 1, _column_index(c0)), (int(r1) - 1, _column_index(c1)))
                               for c0, r0, c1, r1 in found]
