"""Value cleaning: text cells as exported -> typed values, vectorised over whole columns.

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

# Excel's day zero (serial 1 = 1900-01-01, counting the 1900 leap-year bug) and the last valid serial (9999-12-31).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EXCEL_MAX_SERIAL = 2_958_465
# Serials below this are far more likely plain numbers typed into a date column than dates before 1954.
EXCEL_MIN_SERIAL = 20_000

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
_DATE_SEPARATORS = r"[年月/.]"
_TIME_PART = r"[ T].*$"


def clean_text(series: pd.Series) -> pd.Series:
    """Full-width to half-width (NFKC), trimmed; empty -> missing. The str dtype of pandas 3 throughout."""
    text = series.astype("str")
    wide = ~text.str.isascii().fillna(True).astype(bool)
    if wide.any():  # NFKC is a per-cell Python call: spend it only on cells that are not plain ASCII
        text = text.where(~wide, text[wide].str.normalize("NFKC"))
    raw = pa.array(text.array)
    trimmed = pc.utf8_trim_whitespace(raw)  # what str.strip() does; kept only where it changed a cell, so that a
    if not pc.all(pc.equal(pc.binary_length(trimmed), pc.binary_length(raw))).as_py():  # clean column is no copy
        text = pd.Series(trimmed, index=text.index, dtype="str")
    # Blanking out copies every cell: only for columns that hold an empty cell (most exports have none).
    blank = text.eq("").fillna(False) | (text.notna() & series.isna())
    return text.where(~blank, None) if blank.any() else text


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
    bare = text.str.replace("−", "-").str.replace(_CURRENCY, "", regex=True)
    # Accounting exports write negatives as (1,234); a leading minus may sit before or after the currency sign.
    negative = bare.str.match(r"^\(.*\)$", na=False) | bare.str.startswith("-", na=False)
    bare = bare.str.strip("()").str.lstrip("-+")
    percent = bare.str.endswith("%", na=False)
    value = pd.to_numeric(bare.str.rstrip("%"), errors="coerce")
    signed = value.where(~negative, -value)
    scaled = signed.where(~percent, signed / 100) * np.where(percent, 1.0, factor)
    return scaled.astype("float64"), text.notna() & scaled.isna()


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


def parse_date(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates as Excel serials, 2025-03-01, 2025/3/1, 2025.03.01, 2025年3月1日, with or without a time."""
    text = clean_text(series)
    stamps = arrow_cast(text, pa.timestamp("us"))
    if stamps is not None:  # every cell ISO (2025-03-01, with or without a time)
        return stamps.dt.normalize().astype("datetime64[us]"), text.notna() & stamps.isna()
    # The common case, 2025-03-01 with or without a time, in one C pass; everything else takes the slower path below.
    plain = text.str.fullmatch(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9:.]+)?", na=False)
    iso = pd.to_datetime(text.where(plain), format="ISO8601", errors="coerce")
    if iso.notna().sum() == text.notna().sum():
        return iso.dt.normalize().astype("datetime64[us]"), pd.Series(False, index=series.index)
    text = text.where(iso.isna())
    serial = pd.to_numeric(text, errors="coerce")
    is_serial = serial.between(EXCEL_MIN_SERIAL, EXCEL_MAX_SERIAL)
    from_serial = EXCEL_EPOCH + pd.to_timedelta(serial.where(is_serial).floordiv(1), unit="D")
    eight = text.str.fullmatch(r"[0-9]{8}", na=False)  # 20250301 (sliced, not a back-referencing regex: see above)
    compact = text.where(~eight, text.str.slice(0, 4) + "-" + text.str.slice(4, 6) + "-" + text.str.slice(6))
    dashed = compact.str.replace(_DATE_SEPARATORS, "-", regex=True)
    date_part = dashed.str.replace(_TIME_PART, "", regex=True).str.rstrip("日-")
    parsed = pd.to_datetime(date_part, format="%Y-%m-%d", errors="coerce")
    worded = text.str.contains(r"[A-Za-z]{3}", na=False) & parsed.isna()
    if worded.any():  # '1 Mar 2025', 'March 1, 2025': unambiguous because the month is a word
        parsed = parsed.where(~worded, pd.to_datetime(text.where(worded), format="mixed", errors="coerce"))
    value = from_serial.where(is_serial, parsed).fillna(iso).dt.normalize().astype("datetime64[us]")
    return value, text.notna() & value.isna()


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


def parse_id(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Identifiers as text; a number that Excel stored as 1001.0 reads back as '1001'."""
    text = clean_text(series)
    if not text.str.endswith(".0", na=False).any():
        return text, pd.Series(False, index=series.index)
    stored_as_float = text.str.fullmatch(r"[0-9]+\.0", na=False)
    text = text.where(~stored_as_float, text.str.slice(0, -2))
    return text, pd.Series(False, index=series.index)


def parse_text(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    return clean_text(series), pd.Series(False, index=series.index)
