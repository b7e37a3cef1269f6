"""One KPI card (`Kpi`: value, previous value, delta and sparkline series) and the period ends the cards read.

In: Settings (tiers.kpi_period_months, kpi_periods) and an as-of date. Out: `period_ends` and `kpi_dates`, the
dates of the cards, and `card`, a Kpi from its values at those dates. kam.kpis builds every card with these, and
kam.kpi_survey the NPS and contracts cards.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kam.settings import Settings


@dataclass(frozen=True)
class Kpi:
    key: str                                  # i18n key 'kpi.<key>' names the card
    kind: str                                 # money | count | pct | score | nps: how to format it
    value: float | None
    previous: float | None
    series: tuple[float | None, ...]          # one value per period end, oldest first; ends with `value`
    period_ends: tuple[dt.date, ...]
    higher_is_better: bool = True
    label: str = ""                           # a value to fill into the name (e.g. the tier label)

    @property
    def delta(self) -> float | None:
        return None if missing(self.value) or missing(self.previous) else self.value - self.previous


def missing(value: float | None) -> bool:
    """No value: None or NaN."""
    return value is None or bool(np.isnan(value))


def period_ends(as_of: dt.date, settings: Settings, extra: int = 0) -> list[dt.date]:
    """The last kpi_periods (+ extra earlier) period ends, oldest first, the newest being as_of."""
    months = settings.tiers.kpi_period_months
    count = settings.tiers.kpi_periods + extra
    stamp = pd.Timestamp(as_of)
    ends = [stamp - pd.DateOffset(months=months * k) for k in range(count - 1, -1, -1)]
    if stamp.is_month_end:  # 30 June -> 31 March, not 30 March: month ends stay month ends (quarter ends)
        ends = [end + pd.offsets.MonthEnd(0) for end in ends]
    return [end.date() for end in ends]


def card(key: str, kind: str, values: list[float | None], ends: list[dt.date], **extra) -> Kpi:
    """A card from its values at `ends` (oldest first): the last is its value, the one before its previous."""
    clean = tuple(None if missing(v) else float(v) for v in values)
    return Kpi(key, kind, clean[-1], clean[-2] if len(clean) > 1 else None, clean, tuple(ends), **extra)


def kpi_dates(as_of: dt.date, settings: Settings) -> list[dt.date]:
    """The period ends the KPI cards read, oldest first: one more than the sparkline (the first period's start)."""
    return period_ends(as_of, settings, extra=1)
