"""Dates as exported -> datetime64 values, vectorised over whole columns (the rest of value cleaning: values).

In: a pandas Series of text. Out: the dates (midnight, datetime64[us]) and a mask of cells that held something but
could not be read as a date. Excel serials, ISO dates with or without a time, 2025/3/1, 2025.03.01, 2025年3月1日,
20250301 (also as the number 20250301.0), month names, 1/2/2025 10:30 AM, year-last dates (3/1/2025, 01.03.25) in
the order the column proves, and a month without a day (its first day). NULL, N/A, 无, a dash and the like are
missing, not unreadable.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from kam.ingest.values import DASHES, NO_VALUE, cast_or_blank, clean_text

# Excel's day zero (serial 1 = 1900-01-01, counting the 1900 leap-year bug) and the last serial read as a date
# (2199-12-31: a business export's later "dates" are typos, and 202503 is March 2025, not a day in 2454).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EXCEL_MAX_SERIAL = 109_574
# Serials below this are far more likely plain numbers typed into a date column than dates before 1954.
EXCEL_MIN_SERIAL = 20_000
# A column with fewer distinct cells than 1 in this many is parsed per distinct cell (1M dates spell ~2,000 days).
FEW_DISTINCT = 4
# Two-digit years as strptime's %y reads them: below this 20xx (25 -> 2025), from it 19xx (85 -> 1985).
TWO_DIGIT_YEAR_PIVOT = 70

_DATE_SEPARATORS = r"[年月/.]"
_MONTH_ONLY = r"[0-9]{4}-[0-9]{1,2}"   # 2025-03, 2025/3, 2025年3月, 202503 (after the separators are dashes)
_TIME_PART = r"[ T].*$"
# 15/03/2025, 03/15/2025, 15.03.2025, 15-03-2025 (with or without a time): the year last, day and month in an order
# the column itself tells (see _year_last_dates). A two-digit year only after / or . (3/1/25, 01.03.25): 01-03-25
# is as often 2001-03-25.
_YEAR_LAST = (r"^([0-9]{1,2})[/.-]([0-9]{1,2})(?:[/.-]([0-9]{4})|[/.]([0-9]{2}))"
              r"(?:[ T][0-9:.]+(?: ?[AaPp][Mm])?)?$")
# 20250301 or 202503 that a spreadsheet stored as a number and the reader gave back as 20250301.0
_WHOLE_NUMBER_TAIL = r"^([0-9]{6}|[0-9]{8})\.0+$"


def parse_date(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates as Excel serials, 2025-03-01, 2025/3/1, 2025.03.01, 2025年3月1日, 03/15/2025, 2025-03 (see the module
    docstring), with or without a time."""
    text, stamps = cast_or_blank(clean_text(series), pa.timestamp("us"), NO_VALUE + DASHES)
    if stamps is not None:  # every cell ISO (2025-03-01, with or without a time)
        return stamps.dt.normalize().astype("datetime64[us]"), text.notna() & stamps.isna()
    codes, distinct = pd.factorize(text)
    if len(distinct) * FEW_DISTINCT < len(text):  # an export repeats its dates: each spelling is read once
        value, bad = _parse_text(pd.Series(distinct, dtype="str"))
        taken = np.maximum(codes, 0)
        missing = codes < 0
        return (pd.Series(np.where(missing, np.datetime64("NaT"), value.to_numpy()[taken]), index=text.index,
                          dtype="datetime64[us]"),
                pd.Series(~missing & bad.to_numpy()[taken], index=text.index))
    return _parse_text(text)


def _parse_text(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """parse_date on cleaned text that is not all ISO."""
    # The common case, 2025-03-01 with or without a time, in one C pass; everything else takes the slower path below.
    plain = text.str.fullmatch(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9:.]+)?", na=False)
    iso = pd.to_datetime(text.where(plain), format="ISO8601", errors="coerce")
    if iso.notna().sum() == text.notna().sum():
        return iso.dt.normalize().astype("datetime64[us]"), pd.Series(False, index=text.index)
    text = text.where(iso.isna()).str.replace(_WHOLE_NUMBER_TAIL, r"\1", regex=True)
    serial = pd.to_numeric(text, errors="coerce")
    is_serial = serial.between(EXCEL_MIN_SERIAL, EXCEL_MAX_SERIAL)
    from_serial = EXCEL_EPOCH + pd.to_timedelta(serial.where(is_serial).floordiv(1), unit="D")
    eight = text.str.fullmatch(r"[0-9]{8}", na=False)  # 20250301 (sliced, not a back-referencing regex: see above)
    compact = text.where(~eight, text.str.slice(0, 4) + "-" + text.str.slice(4, 6) + "-" + text.str.slice(6))
    dashed = compact.str.replace(_DATE_SEPARATORS, "-", regex=True)
    date_part = dashed.str.replace(_TIME_PART, "", regex=True).str.rstrip("日-")
    parsed = pd.to_datetime(date_part, format="%Y-%m-%d", errors="coerce")
    six = text.str.fullmatch(r"[0-9]{6}", na=False)
    month = date_part.where(~six, text.str.slice(0, 4) + "-" + text.str.slice(4))
    month_only = month.str.fullmatch(_MONTH_ONLY, na=False) & parsed.isna() & ~is_serial
    if month_only.any():  # a month without a day (monthly sales sheets): its first day
        parsed = parsed.where(~month_only, pd.to_datetime(month.where(month_only) + "-01", format="%Y-%m-%d",
                                                          errors="coerce"))
    year_last = text.str.match(_YEAR_LAST, na=False) & parsed.isna()
    if year_last.any():
        parsed = parsed.where(~year_last, _year_last_dates(text.where(year_last)))
    worded = text.str.contains(r"[A-Za-z]{3}", na=False) & parsed.isna()
    if worded.any():  # '1 Mar 2025', 'March 1, 2025': unambiguous because the month is a word
        parsed = parsed.where(~worded, pd.to_datetime(text.where(worded), format="mixed", errors="coerce"))
    value = from_serial.where(is_serial, parsed).fillna(iso).dt.normalize().astype("datetime64[us]")
    return value, text.notna() & value.isna()


def _year_last_dates(text: pd.Series) -> pd.Series:
    """Dates written day, month, year or month, day, year, in the order the column shows: a first part above 12
    can only be a day (15/03/2025), a second part above 12 only a day too (03/15/2025); the order more cells prove
    wins, and cells that contradict it are unreadable. A column that proves neither (01/02/2025 only) reads
    month first when written with slashes (US exports, Salesforce's default) and day first with dots or dashes
    (European exports). A two-digit year is a year of this century below TWO_DIGIT_YEAR_PIVOT, else of the last."""
    parts = text.str.extract(_YEAR_LAST).apply(pd.to_numeric, errors="coerce")
    first, second, year = parts[0], parts[1], parts[2].fillna(_full_year(parts[3]))
    proves_day_first, proves_month_first = int((first > 12).sum()), int((second > 12).sum())
    if proves_day_first != proves_month_first:
        day_first = proves_day_first > proves_month_first
    else:  # no proof either way (or as much each way): the separator's convention
        day_first = not text.str.contains("/", regex=False, na=False).any()
    day, month = (first, second) if day_first else (second, first)
    return pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce")


def _full_year(year: pd.Series) -> pd.Series:
    """Two-digit years (25, 85) as full years (2025, 1985), pivoting at TWO_DIGIT_YEAR_PIVOT."""
    return year + 1900 + 100 * (year < TWO_DIGIT_YEAR_PIVOT)
