"""Delimited text (CSV, TSV, TXT) -> one text grid.

In: the file name (for messages only) and its bytes. Out: a grid as kam.ingest.grids describes; InputError naming
the file otherwise. The codec comes from kam.ingest.encodings; the delimiter and the table's width from a sample of
the first lines. pyarrow parses a file whose lines all have that width (multi-threaded, straight to Arrow text);
otherwise pandas' C parser pads the narrower lines (a title, a blank line, a row whose empty trailing fields were
left out). A line with more fields than the header cannot be read without guessing which value held the delimiter
(an unquoted 1,234.50 shifts every later value one column right), so the file is refused naming that row, wherever
it is in the file: a reader returns grids, and the pipeline has no way yet to take a rejected row from one.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from kam.errors import InputError
from kam.ingest import encodings, fastxlsx
from kam.ingest.grids import as_text

SNIFF_LINES = 200                 # lines used to guess a CSV's delimiter and width
SNIFF_BYTES = 200_000             # ... taken from at most this many bytes
DELIMITERS = ",;\t|"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_PANDAS_WIDE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def read_csv(name: str, data: bytes) -> pd.DataFrame:
    """The file's grid: every line a row (a quoted value may span lines), padded to the header's width."""
    encoding, start = encodings.text_encoding(name, data)
    # A UTF-8 file goes to the parser as uploaded: decoding it to str and encoding it back would copy it twice.
    if encoding == "utf-8":
        raw: memoryview | bytes = memoryview(data)[start:]
    else:
        raw = encodings.decode_as(name, data, encoding, start).encode("utf-8")
    sample = bytes(raw[:SNIFF_BYTES]).decode("utf-8", errors="ignore").splitlines()[:SNIFF_LINES]
    if not any(line.strip() for line in sample):
        return pd.DataFrame()
    delimiter = sniff_delimiter(sample)
    width = table_width(list(csv.reader(sample, delimiter=delimiter)))
    # Without any quote a value cannot hold a line break, and the parser may split the file at any newline.
    grid = _arrow_csv(raw, delimiter, width, quoted=b'"' in (data if encoding == "utf-8" else raw))
    return grid if grid is not None else _pandas_csv(name, raw, delimiter, width)


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the sample's lines most consistently into more than one field."""
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {d: sum(line.count(d) for line in lines) for d in DELIMITERS}
        return max(counts, key=counts.get)


def table_width(rows: Sequence[Sequence[str]]) -> int:
    """The header's field count: that of the first row at least as wide as most rows. Titles above the header are
    narrower; so are rows whose empty trailing fields were left out; a row with an unquoted delimiter is wider."""
    counts = [len(row) for row in rows]
    usual = Counter(count for count in counts if count > 1).most_common(1)
    if not usual:
        return max(counts, default=0)
    return next(count for count in counts if count >= usual[0][0])


def _wide_row(name: str, row: int, fields: int, width: int, delimiter: str) -> InputError:
    """The error for a row with more fields than the header (row: 1-based, as in the grid)."""
    what = DELIMITER_NAMES.get(delimiter, repr(delimiter))
    return InputError(f"{fields} fields where the header has {width}: an unquoted {what} inside a value (such as a "
                      f"thousands separator)? Put that value in quotes, or remove the {what}, and import again",
                      file=name, row=row)


def _pandas_csv(name: str, raw: memoryview | bytes, delimiter: str, width: int) -> pd.DataFrame:
    """The grid with narrower lines padded; a wider line is an error naming its row. (pandas would read a first line
    wider than `width` as an index, silently: table_width never makes the first line the wider one.)"""
    try:
        grid = pd.read_csv(io.BytesIO(raw), sep=delimiter, header=None, names=range(width), dtype=str,
                           keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c",
                           encoding="utf-8")
    except pd.errors.ParserError as exc:
        found = _PANDAS_WIDE.search(str(exc))  # its "line" counts records, as the grid's rows do
        if found is None:
            raise InputError(f"inconsistent number of fields: {exc}", file=name) from exc
        raise _wide_row(name, int(found[2]), int(found[3]), width, delimiter) from exc
    return as_text(grid)


def _arrow_csv(raw: memoryview | bytes, delimiter: str, width: int, quoted: bool) -> pd.DataFrame | None:
    """The UTF-8 CSV parsed by pyarrow (multi-threaded, straight to Arrow text), or None when some line does not have
    exactly `width` fields: pandas pads the narrower ones and locates a wider one, see _pandas_csv."""
    names = [str(i) for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(raw)), read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted, ignore_empty_lines=False),
            # large_string: the layout pandas' str columns use, so the grid takes the parsed buffers as they are.
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.large_string()),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except pa.ArrowInvalid:
        return None
    return fastxlsx.text_grid(table.columns)
