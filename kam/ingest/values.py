"""Value cleaning: text cells as exported -> typed values, vectorised over whole columns (dates: kam.ingest.dates).

In: a pandas Series of text (None/NaN/"" for empty cells), as every reader hands cells over as text. Out: the typed
Series plus a boolean mask of cells that held something but could not be read. A bad cell is reported by the caller
as a rejected row; it is never silently blanked. Everything runs as pandas string/array operations (no per-cell
Python loop over rows): coded values (stages, channels, yes/no) are mapped once per distinct value.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Unit words in a header or a unit line -> the factor into base currency units.
UNITS: tuple[tuple[str, float], ...] = (
    ("亿元", 1e8), ("亿", 1e8), ("百万元", 1e6), ("百万", 1e6), ("万元", 1e4), ("万", 1e4), ("千元", 1e3),
    ("inmillions", 1e6), ("million", 1e6), ("millions", 1e6), ("mn", 1e6), ("inthousands", 1e3), ("thousand", 1e3),
    ("thousands", 1e3), ("000", 1e3),
    ("k", 1e3), ("元", 1.0), ("yuan", 1.0), ("rmb", 1.0), ("cny", 1.0), ("usd", 1.0),
)
TRUE_WORDS = ("是", "有", "对", "y", "yes", "true", "t", "1", "√", "✓", "✔", "x")
FALSE_WORDS = ("否", "无", "不是", "n", "no", "false", "f", "0", "×", "✗", "")

_BRACKETED = re.compile(r"[(\[（【]([^)\]）】]*)[)\]）】]")
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


# First bytes of whitespace that str.strip() removes: ASCII \t-\r and space, and the lead bytes of the UTF-8
# encoded Unicode spaces (U+00A0/U+0085: C2, U+1680/U+180E: E1, U+2000-U+205F: E2, U+3000: E3).
_SPACE_LEADS = np.isin(np.arange(256), [9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 0xC2, 0xE1, 0xE2, 0xE3])
# Last bytes of the same (ASCII, or the final byte of a multi-byte space): a filter, confirmed by a real trim.
_SPACE_ENDS = np.isin(np.arange(256), [9, 10, 11, 12, 13, 28, 29, 30, 31, 32, *range(0x80, 0x90), 0x9F, 0xA0,
                                         0xA8, 0xA9, 0xAF, 0x85, 0x8E])


def _text_traits(raw: pa.Array | pa.ChunkedArray) -> tuple[bool, bool, bool]:
    """(any non-ASCII cell, any cell that may start or end with whitespace, any empty cell), read straight from
    the Arrow buffers: a few numpy passes over bytes instead of a string kernel per question."""
    wide = spaced = empty = False
    for chunk in (raw.chunks if isinstance(raw, pa.ChunkedArray) else [raw]):
        if len(chunk) == 0 or chunk.null_count == len(chunk):
            continue
        width = "int64" if pa.types.is_large_string(chunk.type) else "int32"
        _validity, offsets, data = chunk.buffers()
        offsets = np.frombuffer(offsets, dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1]
        data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
        lengths = np.diff(offsets)
        filled = lengths > 0
        valid = chunk.is_valid().to_numpy(zero_copy_only=False) if chunk.null_count else True
        empty |= bool(np.any(~filled & valid))
        wide |= bool(np.any(data[offsets[0]:offsets[-1]] >= 0x80))
        starts, ends = offsets[:-1][filled], offsets[1:][filled] - 1
        spaced |= bool(_SPACE_LEADS[data[starts]].any() or _SPACE_ENDS[data[ends]].any())
    return wide, spaced, empty


def clean_text(series: pd.Series) -> pd.Series:
    """Full-width to half-width (NFKC), trimmed; empty -> missing. The str dtype of pandas 3 throughout."""
    text = series.astype("str")
    raw = pa.array(text.array)
    wide, spaced, empty = _text_traits(raw)  # a clean column (most are) is returned as it came: no copy
    if wide:  # NFKC is a per-cell Python call: only the non-ASCII cells pay for it
        mask = ~text.str.isascii().fillna(True).astype(bool)
        text = text.where(~mask, text[mask].str.normalize("NFKC"))
        raw = pa.array(text.array)
    if wide or spaced:
        trimmed = pc.utf8_trim_whitespace(raw)  # what str.strip() does; kept only where it changed a cell
        if pc.sum(pc.binary_length(trimmed)).as_py() != pc.sum(pc.binary_length(raw)).as_py():
            text, raw = pd.Series(trimmed, index=text.index, dtype="str"), trimmed
            empty = empty or pc.min(pc.binary_length(raw)).as_py() == 0
    blank = text.eq("").fillna(False) if empty else None  # blanking out copies every cell: only when needed
    if text.dtype != series.dtype:  # an object column: a cell that was missing stays missing
        lost = text.notna() & series.isna()
        blank = lost if blank is None else blank | lost
    return text.where(~blank, None) if blank is not None and blank.any() else text


def arrow_cast(text: pd.Series, to: pa.DataType) -> pd.Series | None:
    """The whole column parsed by Arrow's C++ casts in one pass, or None when any cell does not parse (the caller
    then takes its slower, more forgiving path for that column): clean exports pay for one pass only."""
    try:
        cast = pc.cast(pa.array(text.array), to)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None
    return pd.Series(cast.to_numpy(zero_copy_only=False), index=text.index)


def unit_factor(text: str) -> float | None:
    """The currency unit a header or unit line declares ('金额（万元）', '单位：亿元', 'Amount (in thousands)')."""
    folded = re.sub(r"[\s'’]", "", unicodedata.normalize("NFKC", str(text))).lower()
    candidates = _BRACKETED.findall(folded)
    if not candidates and ("单位" in folded or "unit" in folded):  # a unit line: 单位：万元 / Unit: thousands
        candidates = [re.split(r"单位|units?", folded)[-1].lstrip(":")]
    for candidate in candidates:
        for word, factor in UNITS:
            if candidate == word or candidate.endswith(word) and len(word) > 1:
                return factor
    return None


def strip_units(header: str) -> str:
    """A header without its bracketed unit: '金额（万元）' -> '金额'."""
    return _BRACKETED.sub("", str(header)).strip()


def parse_number(series: pd.Series, factor: float = 1.0) -> tuple[pd.Series, pd.Series]:
    """Numbers with thousands separators, currency signs, (negatives in brackets) and % -> float * factor."""
    text = clean_text(series)
    plain = arrow_cast(text, pa.float64())
    if plain is not None:  # no separators, currency, brackets or % anywhere in the column
        scaled = plain * factor
        return scaled, text.notna() & scaled.isna()
    # a cell of dashes alone is a zero as Excel's accounting format shows it
    bare = text.str.replace("−", "-").str.replace(_ZERO_DASH, "0", regex=True)
    if _decimal_comma(bare):  # 1.234,50 -> 1234.50
        bare = bare.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    bare = bare.str.replace(_CURRENCY, "", regex=True)
    # Accounting exports write negatives as (1,234); a leading minus may sit before or after the currency sign.
    negative = bare.str.match(r"^\(.*\)$", na=False) | bare.str.startswith("-", na=False)
    bare = bare.str.strip("()").str.lstrip("-+")
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
    raw = pa.array(text.array)
    for chunk in (raw.chunks if isinstance(raw, pa.ChunkedArray) else [raw]):
        data = chunk.buffers()[2] if len(chunk) else None
        if data is not None and (np.frombuffer(data, dtype=np.uint8) == byte[0]).any():
            return True
    return False


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
