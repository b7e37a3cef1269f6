"""Value cleaning: text cells as exported -> typed values, vectorised over whole columns (dates: kam.ingest.dates,
units in headers: kam.ingest.units).

In: a pandas Series of text (None/NaN/"" for empty cells), as every reader hands cells over as text. Out: the typed
Series plus a boolean mask of cells that held something but could not be read. A bad cell is reported by the caller
as a rejected row; it is never silently blanked. A cell that says there is no value (NULL, N/A, 无) is missing in
a number or date column: whether the column may be missing is the caller's check. Everything runs as pandas
string/array operations (no per-cell Python loop over rows): coded values (stages, channels, yes/no) are mapped
once per distinct value.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


TRUE_WORDS = ("是", "有", "对", "y", "yes", "true", "t", "1", "√", "✓", "✔", "x")
FALSE_WORDS = ("否", "无", "不是", "n", "no", "false", "f", "0", "×", "✗", "")

# Patterns used on whole columns stay plain strings: pandas hands those to Arrow's vectorised regex kernels, while a
# compiled re.Pattern falls back to a Python loop over the cells.
_CURRENCY = r"[¥$€£, \t]|RMB|CNY|USD|元"   # no \s, \d or \W: those also force the Python fallback
# A decimal comma (1.234,50 or 99,00, as European exports write) and its opposite, a thousands comma before a point.
_COMMA_DECIMAL = r"[0-9],[0-9]{1,2}(?:[^0-9]|$)|[.][0-9]{3},[0-9]"
_COMMA_THOUSANDS = r",[0-9]{3}[.]|,[0-9]{3},"
# A unit written into a number cell (12.5万, 3亿元; 元 itself is dropped with the currency signs).
_CELL_UNITS = {"百万": 1e6, "万": 1e4, "亿": 1e8, "千": 1e3}
_CELL_UNIT = "(百万|万|亿|千)$"
_ZERO_DASH = r"^[¥$€£ ]*[-—–]+ *$"   # '-', '¥ -', '—': how Excel's accounting format writes a zero
_SCIENTIFIC = r"[0-9](?:[.][0-9]+)?[eE][+][0-9]+"   # 1.23457E+17
# Excel's ways to keep a cell as text: the formula ="00123" and a leading apostrophe ('00123).
_EXCEL_TEXT = r"""(?s)^(?:="(.*)"|'(.*))$"""
_EXCEL_TEXT_LEADS = np.isin(np.arange(256), [ord("="), ord("'")])
# Cells that say "no value" (database dumps, Chinese and English exports): missing, not unreadable. A dash alone
# is one more in a date column; in an amount it is Excel's accounting zero (_ZERO_DASH).
NO_VALUE = ("无", "空", "NULL", "null", "Null", "N/A", "n/a", "N/a", "NA", "/", "#N/A", "None", "none")
DASHES = ("-", "--", "---", "—", "——", "–", "––")


# First bytes of whitespace that str.strip() removes: ASCII \t-\r and space, and the lead bytes of the UTF-8
# encoded Unicode spaces (U+00A0/U+0085: C2, U+1680/U+180E: E1, U+2000-U+205F: E2, U+3000: E3).
_SPACE_LEADS = np.isin(np.arange(256), [9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 0xC2, 0xE1, 0xE2, 0xE3])
# Last bytes of the same (ASCII, or the final byte of a multi-byte space): a filter, confirmed by a real trim.
_SPACE_ENDS = np.isin(np.arange(256), [9, 10, 11, 12, 13, 28, 29, 30, 31, 32, *range(0x80, 0x90), 0x9F, 0xA0,
                                         0xA8, 0xA9, 0xAF, 0x85, 0x8E])


def _buffers(raw: pa.Array | pa.ChunkedArray) -> Iterator[tuple[pa.Array, np.ndarray, np.ndarray]]:
    """(chunk, offsets, data bytes) of every chunk that holds a value: the Arrow buffers as numpy views, no copy."""
    for chunk in (raw.chunks if isinstance(raw, pa.ChunkedArray) else [raw]):
        if len(chunk) == 0 or chunk.null_count == len(chunk):
            continue
        width = "int64" if pa.types.is_large_string(chunk.type) else "int32"
        _validity, offsets, data = chunk.buffers()
        offsets = np.frombuffer(offsets, dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1]
        yield chunk, offsets, np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)


def _text_traits(raw: pa.Array | pa.ChunkedArray) -> tuple[bool, bool, bool]:
    """(any non-ASCII cell, any cell that may start or end with whitespace, any empty cell), read straight from
    the Arrow buffers: a few numpy passes over bytes instead of a string kernel per question."""
    wide = spaced = empty = False
    for chunk, offsets, data in _buffers(raw):
        filled = np.diff(offsets) > 0
        valid = chunk.is_valid().to_numpy(zero_copy_only=False) if chunk.null_count else True
        empty |= bool(np.any(~filled & valid))
        wide |= bool(np.any(data[offsets[0]:offsets[-1]] >= 0x80))
        starts, ends = offsets[:-1][filled], offsets[1:][filled] - 1
        spaced |= bool(_SPACE_LEADS[data[starts]].any() or _SPACE_ENDS[data[ends]].any())
    return wide, spaced, empty


def _any_opens(raw: pa.Array | pa.ChunkedArray, leads: np.ndarray) -> bool:
    """Whether some cell's first byte is one of `leads` (a 256-entry table): one numpy pass over the offsets."""
    return any(leads[data[offsets[:-1][np.diff(offsets) > 0]]].any() for _chunk, offsets, data in _buffers(raw))


def clean_text(series: pd.Series) -> pd.Series:
    """Full-width to half-width (NFKC), trimmed, Excel's keep-as-text tricks undone (="00123" and '00123 ->
    00123: how exports keep leading zeros); empty -> missing. The str dtype of pandas 3 throughout."""
    text = series.astype("str")
    raw = pa.array(text.array)
    wide, spaced, empty = _text_traits(raw)  # a clean column (most are) is returned as it came: no copy
    if wide:
        text, raw = _folded(text)
    if wide or spaced:
        text, raw, empty = _trimmed(text, raw, empty)
    if _any_opens(raw, _EXCEL_TEXT_LEADS):  # the regex runs only when some cell starts with = or '
        text = text.str.replace(_EXCEL_TEXT, r"\1\2", regex=True)
        empty = True  # a lone apostrophe or ="" leaves an empty cell
    blank = text.eq("").fillna(False) if empty else None  # blanking out copies every cell: only when needed
    if text.dtype != series.dtype:  # an object column: a cell that was missing stays missing
        lost = text.notna() & series.isna()
        blank = lost if blank is None else blank | lost
    return text.where(~blank, None) if blank is not None and blank.any() else text


def _folded(text: pd.Series) -> tuple[pd.Series, pa.Array]:
    """NFKC on the non-ASCII cells alone: it is a per-cell Python call."""
    mask = ~text.str.isascii().fillna(True).astype(bool)
    text = text.where(~mask, text[mask].str.normalize("NFKC"))
    return text, pa.array(text.array)


def _trimmed(text: pd.Series, raw: pa.Array, empty: bool) -> tuple[pd.Series, pa.Array, bool]:
    """Cells without leading and trailing whitespace (what str.strip() removes), and whether some cell is now
    empty; the column is only replaced when trimming changed a cell."""
    trimmed = pc.utf8_trim_whitespace(raw)
    if pc.sum(pc.binary_length(trimmed)).as_py() == pc.sum(pc.binary_length(raw)).as_py():
        return text, raw, empty
    empty = empty or pc.min(pc.binary_length(trimmed)).as_py() == 0
    return pd.Series(trimmed, index=text.index, dtype="str"), trimmed, empty


def blank_no_value(text: pd.Series, words: tuple[str, ...] = NO_VALUE) -> pd.Series:
    """`text` with the cells that only say "no value" (NULL, N/A, 无...) missing: one hash lookup per cell. The
    same object comes back when no cell does."""
    hit = text.isin(words)
    return text.where(~hit, None) if hit.any() else text


def cast_or_blank(text: pd.Series, to: pa.DataType, words: tuple[str, ...] = NO_VALUE
                  ) -> tuple[pd.Series, pd.Series | None]:
    """`text` (its no-value cells missing once the cast has failed) and its arrow_cast, None when some cell still
    does not parse: placeholders are often all that keeps a clean column off the fast path."""
    cast = arrow_cast(text, to)
    if cast is not None:
        return text, cast
    blanked = blank_no_value(text, words)
    return blanked, arrow_cast(blanked, to) if blanked is not text else None


def arrow_cast(text: pd.Series, to: pa.DataType) -> pd.Series | None:
    """The whole column parsed by Arrow's C++ casts in one pass, or None when any cell does not parse (the caller
    then takes its slower, more forgiving path for that column): clean exports pay for one pass only."""
    try:
        cast = pc.cast(pa.array(text.array), to)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None
    return pd.Series(cast.to_numpy(zero_copy_only=False), index=text.index)


def parse_number(series: pd.Series, factor: float = 1.0) -> tuple[pd.Series, pd.Series]:
    """Numbers with thousands separators, currency signs, (negatives in brackets), SAP's trailing minus (500,00-)
    and % -> float * factor; NULL, N/A, 无 and the like -> missing."""
    text, plain = cast_or_blank(clean_text(series), pa.float64())
    if plain is not None:  # no separators, currency, brackets or % anywhere in the column
        scaled = plain * factor
        return scaled, text.notna() & scaled.isna()
    # a cell of dashes alone is a zero as Excel's accounting format shows it
    bare = text.str.replace("−", "-").str.replace(_ZERO_DASH, "0", regex=True)
    if _decimal_comma(bare):  # 1.234,50 -> 1234.50
        bare = bare.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    bare = bare.str.replace(_CURRENCY, "", regex=True)
    # Accounting exports write negatives as (1,234), SAP as 1.234,56-; a leading minus may sit before or after the
    # currency sign.
    negative = bare.str.match(r"^\(.*\)$", na=False) | bare.str.startswith("-", na=False) | \
        bare.str.endswith("-", na=False)
    bare = bare.str.strip("()").str.lstrip("-+").str.rstrip("-")
    unit = bare.str.extract(_CELL_UNIT, expand=False)
    in_cell = unit.notna()
    if in_cell.any():  # 12.5万, 3亿元: the cell's own unit wins over the column's
        bare = bare.str.replace(_CELL_UNIT, "", regex=True)
    percent = bare.str.endswith("%", na=False)
    value = pd.to_numeric(bare.str.rstrip("%"), errors="coerce")
    signed = value.where(~negative, -value)
    scale = np.where(percent, 1.0, factor)
    if in_cell.any():
        scale = np.where(in_cell, unit.map(_CELL_UNITS).astype("float64").fillna(1.0), scale)
    scaled = signed.where(~percent, signed / 100) * scale
    return scaled.astype("float64"), text.notna() & scaled.isna()


def _decimal_comma(text: pd.Series) -> bool:
    """Whether the column writes its decimals after a comma: some cell reads like 1.234,50 or 99,00, and none like
    1,234.50 or 1,234,567 (then the commas separate thousands, as in every Chinese export)."""
    return bool(text.str.contains(_COMMA_DECIMAL, regex=True, na=False).any()) and \
        not text.str.contains(_COMMA_THOUSANDS, regex=True, na=False).any()


def parse_fraction(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Shares such as a win probability: '60%', '0.6' and '60' all mean 0.6 (a plain number above 1 is percent)."""
    value, bad = parse_number(series)
    value = value.where(value.abs() <= 1, value / 100)
    out_of_range = value.notna() & ((value < 0) | (value > 1))
    return value.where(~out_of_range), bad | out_of_range


def parse_integer(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    value, bad = parse_number(series)
    fractional = value.notna() & (value != value.round())
    return value.where(~fractional).astype("Int64"), bad | fractional


def parse_bool(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """是/否, Y/N, yes/no, true/false, 1/0, √/×."""
    text = clean_text(series).str.lower()
    mapping = {**{w: True for w in TRUE_WORDS}, **{w: False for w in FALSE_WORDS if w}}
    value = text.map(mapping).astype("boolean")
    return value, text.notna() & value.isna()


def parse_coded(series: pd.Series, canonical: Callable[[str], str | None]) -> tuple[pd.Series, pd.Series]:
    """Map labels onto canonical codes (stage, channel, status) once per distinct label."""
    text = clean_text(series)
    labels = text.dropna().unique()
    mapping = {label: canonical(label) for label in labels}
    value = text.map(mapping).astype("str")
    value = value.where(value.notna() & value.ne("None"), None)
    return value, text.notna() & value.isna()


def _has_byte(text: pd.Series, byte: bytes) -> bool:
    """Whether any cell holds `byte`: one numpy pass over the Arrow data buffers (a string kernel costs ~20 ms per
    1M ids, this ~2 ms)."""
    return any((data == byte[0]).any() for _chunk, _offsets, data in _buffers(pa.array(text.array)))


def parse_id(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Identifiers as text; a number that Excel stored as 1001.0 reads back as '1001'. An id in scientific notation
    (1.23457E+17: a long number Excel rounded when the file was opened and saved) is flagged: its digits are lost,
    and distinct orders would merge under one id."""
    text = clean_text(series)
    rounded = text.str.fullmatch(_SCIENTIFIC, na=False) if _has_byte(text, b"+") else pd.Series(False, text.index)
    if text.str.endswith(".0", na=False).any():
        stored_as_float = text.str.fullmatch(r"[0-9]+\.0", na=False)
        text = text.where(~stored_as_float, text.str.slice(0, -2))
    return text, rounded


def parse_text(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    return clean_text(series), pd.Series(False, index=series.index)
