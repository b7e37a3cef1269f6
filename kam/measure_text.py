"""The raw value of a tier or health measure in words an executive reads, with its unit ("149.0x its usual
interval", "-82%", "32 days ago", "¥31.3M"), for the Account 360 breakdowns. A bare 149.00 or -0.82 in a
"Value" column says nothing to the room.

In: a measure name (kam.tiers.MEASURES or kam.settings.health.MEASURES), its value as the score tables hold it,
and the language. Out: the text; "—" for an unknown value. Definitions of the values: docs/metrics.md.
"""
from __future__ import annotations

import pandas as pd

from kam.i18n import fmt_money, fmt_number, fmt_pct, t

_CHANGES = ("order_frequency", "revenue_trend", "growth")   # ratios minus one: -0.82 reads -82%
_MONEY = ("revenue_12m", "pipeline")


def health_value(measure: str, value: float | None, lang: str, usual_interval: float | None = None) -> str:
    """A health measure's raw value with its unit (kam.health `value_<measure>`); order recency (days since the
    last order) also against the account's `usual_interval` in days, which is what it is scored on."""
    if _missing(value):
        return "—"
    if measure in _CHANGES:
        return _change(value, lang)
    if measure == "order_recency" and not _missing(usual_interval) and usual_interval > 0:
        return t("measure.recency", lang, days=fmt_number(value, lang), x=fmt_number(value / usual_interval, lang, 1),
                 interval=fmt_number(usual_interval, lang, 0 if float(usual_interval).is_integer() else 1))
    return t(f"measure.unit.{measure}", lang, n=fmt_number(value, lang))


def tier_value(measure: str, value: float | None, lang: str) -> str:
    """A tier measure's raw value with its unit (kam.tiers.tier_table's measure columns)."""
    if _missing(value):
        return t("tiers.unknown", lang)
    if measure in _MONEY:
        return fmt_money(value, lang)
    if measure in _CHANGES:
        return _change(value, lang)
    if measure == "gross_margin":
        return fmt_pct(value, lang)
    if measure == "strategic":
        return t("measure.yes" if value else "measure.no", lang)
    if measure == "relationship":
        return t("measure.unit.years", lang, n=fmt_number(value, lang, 1))
    return fmt_number(value, lang)


def _missing(value: float | None) -> bool:
    return value is None or bool(pd.isna(value))


def _change(value: float, lang: str) -> str:
    shown = round(value * 100, 1) + 0.0   # + 0.0: a change that rounds to nothing reads +0.0%, not -0.0%
    return f"{shown:+,.1f}%"
