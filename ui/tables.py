"""Tables as the app shows them: st.dataframe with a dash for a missing value, not the word "None"."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

MISSING = "—"
# Whole yuan for totals an executive compares down a column; cents only where a line is reconciled (bills, orders).
WHOLE_MONEY, EXACT_MONEY = "¥%,.0f", "¥%,.2f"
PERCENT = "%,.1f%%"
# Dates as kam.i18n.fmt_date writes them (2025年3月1日 / 1 Mar 2025), in moment.js patterns; ISO read as a fault.
DATE_FORMATS = {"zh": "YYYY年M月D日", "en": "D MMM YYYY"}


def dataframe(data, **options):
    """st.dataframe(data, **options) with missing values shown as a dash: on a meeting-room screen "None" reads as
    a fault, a dash as "no data". Columns configured with `percent_column` hold shares (0.125) and show 12.5%.
    Date columns not configured otherwise are written in the page's language (`date_column`)."""
    options.setdefault("placeholder", MISSING)
    if isinstance(data, pd.DataFrame):
        config = options["column_config"] = dict(options.get("column_config") or {})
        config.update(_dates_in_locale(data, config, st.session_state.get("lang", "zh")))
        shares = [c for c, one in config.items() if _is_percent(one) and c in data.columns]
        data = data.assign(**{c: _percent(data[c]) for c in shares}) if shares else data
    return st.dataframe(data, **options)


def _dates_in_locale(data: pd.DataFrame, config: dict, lang: str) -> dict:
    """A date (or date-and-time) column for each such column of `data` that `config` leaves unset or only names."""
    found = {}
    for c in data.columns:
        if c in config and not isinstance(config[c], str):
            continue
        if _has_times(data[c]):
            found[c] = st.column_config.DatetimeColumn(config.get(c, str(c)),
                                                       format=DATE_FORMATS[_lang(lang)] + " HH:mm")
        elif _holds_dates(data[c]):
            found[c] = date_column(config.get(c, str(c)), lang)
    return found


def _holds_dates(column: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(column):
        return True
    first = column.dropna().head(1)
    return column.dtype == object and len(first) == 1 and isinstance(first.iloc[0], dt.date)


def _has_times(column: pd.Series) -> bool:
    """A datetime column with a time of day somewhere (saved at 14:05), not only midnights (plain dates)."""
    if not pd.api.types.is_datetime64_any_dtype(column):
        return False
    stamps = column.dropna()
    return bool(len(stamps)) and bool((stamps != stamps.dt.normalize()).any())


def _lang(lang: str) -> str:
    return lang if lang in DATE_FORMATS else "en"


def percent_column(label: str) -> st.column_config.NumberColumn:
    """A share shown as a percentage with one decimal on every row (Streamlit's "percent" format drops trailing
    zeros: 1% stood above 2.19%). The values stay shares; `dataframe` scales them for display."""
    return st.column_config.NumberColumn(label, format=PERCENT)


def _percent(shares):
    """Shares as percentages at the one decimal shown; + 0.0 turns a negative zero (a fall of 0.01%) into 0.0%."""
    return (shares * 100).round(1) + 0.0


def _is_percent(config) -> bool:
    return isinstance(config, dict) and config.get("type_config", {}).get("format") == PERCENT


def money_column(label: str, exact: bool = False) -> st.column_config.NumberColumn:
    """A money column: ¥ and thousands separators, the same number of decimals on every row (the browser's own
    "localized" format drops trailing zeros, so 5,225,973.7 stood above 10,086,711.01)."""
    return st.column_config.NumberColumn(label, format=EXACT_MONEY if exact else WHOLE_MONEY)


def date_column(label: str, lang: str) -> st.column_config.DateColumn:
    """A date column written the way the rest of the page writes dates in `lang`."""
    return st.column_config.DateColumn(label, format=DATE_FORMATS[_lang(lang)])
