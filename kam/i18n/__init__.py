"""UI text in Chinese and English, and locale formatting of numbers, money and dates.

Strings live in one catalogue per area (core, ingest, tiers, health, funnel, followups, settings), each a dict
key -> (中文, English). `t(key, lang)` looks one up; tests check that every key exists in both languages and that
no two catalogues define the same key.
"""
from __future__ import annotations

import datetime as dt
import importlib
from functools import cache

import pandas as pd

LANGS = ("zh", "en")
CATALOGUES = ("core", "ingest", "tiers", "health", "funnel", "followups", "settings")


@cache
def catalogue() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for name in CATALOGUES:
        merged.update(importlib.import_module(f"kam.i18n.{name}").STRINGS)
    return merged


def t(key: str, lang: str, **values: object) -> str:
    """The text for `key` in `lang` ('zh' or 'en'), with {placeholders} filled from `values`."""
    zh, en = catalogue()[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def label(kind: str, value: str, lang: str) -> str:
    """Display name of a coded value (e.g. kind 'channel', value 'visit'); the value itself when uncatalogued,
    so user-defined values (a custom stage name) show as typed."""
    key = f"{kind}.{value}"
    return t(key, lang) if key in catalogue() else str(value)


def _missing(value: object) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def fmt_number(value: float | None, lang: str, decimals: int = 0) -> str:
    """1234567.8 -> '1,234,568' (both locales group by thousands); missing -> '—'."""
    if _missing(value):
        return "—"
    return f"{value:,.{decimals}f}"


# Money units per language, largest first: a Chinese page counts in 亿 and 万, an English one in B, M and K.
MONEY_UNITS = {"zh": ((1e8, "亿"), (1e4, "万")), "en": ((1e9, "B"), (1e6, "M"), (1e3, "K"))}


def fmt_money(value: float | None, lang: str, symbol: str = "¥") -> str:
    """Compact money for cards and tables: zh in 万/亿 (¥123.4万), en in K/M/B (¥1.23M)."""
    if _missing(value):
        return "—"
    sign, size = ("-" if value < 0 else ""), abs(float(value))
    steps = MONEY_UNITS["zh" if lang == "zh" else "en"]
    for unit, suffix in steps:
        if size >= unit:
            return f"{sign}{symbol}{size / unit:,.{_decimals(size / unit)}f}{suffix}"
    return f"{sign}{symbol}{size:,.0f}"


def _decimals(scaled: float) -> int:
    return 2 if scaled < 10 else 1 if scaled < 100 else 0


def fmt_pct(value: float | None, lang: str, decimals: int = 1) -> str:
    """A share 0.118 -> '11.8%'."""
    return "—" if _missing(value) else f"{value * 100:.{decimals}f}%"


def _as_date(value) -> dt.date:
    """A date, a datetime or a pandas Timestamp as a date."""
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _quarter_ended(day: dt.date) -> int | None:
    """The quarter (1-4) whose last day `day` is, else None."""
    return day.month // 3 if day.month % 3 == 0 and (day + dt.timedelta(days=1)).month != day.month else None


def period_parts(value: dt.date, lang: str) -> tuple[str, str]:
    """A period end as (period, year): a calendar quarter's last day as its quarter (Q4), any other date as its day
    (zh 11月19日, en 19 Nov); the year as zh 2024年, en 2024."""
    day = _as_date(value)
    quarter = _quarter_ended(day)
    if quarter:
        period = f"Q{quarter}"
    else:
        period = f"{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {day:%b}"
    return period, f"{day.year}年" if lang == "zh" else str(day.year)


def fmt_period_end(value: dt.date | None, lang: str) -> str:
    """A period end in a line: a quarter's last day as the quarter, as the funnel writes periods (zh 2024年Q4, en
    2024 Q4), any other date as fmt_date."""
    if _missing(value) or not _quarter_ended(_as_date(value)):
        return fmt_date(value, lang)
    period, year = period_parts(value, lang)
    return year + period if lang == "zh" else f"{year} {period}"


def fmt_date(value: dt.date | None, lang: str) -> str:
    """zh: 2025年3月1日; en: 1 Mar 2025. Missing -> '—'."""
    if _missing(value):
        return "—"
    value = _as_date(value)
    if lang == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value:%b} {value.year}"
