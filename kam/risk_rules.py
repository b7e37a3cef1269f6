"""The early-warning rules: when each one holds, the numbers behind its reason, and since when it holds.

In: the frame built by kam.risk (account facts from kam.health_facts plus `health` now and `health_before`),
Settings and the as-of date. Each rule says, per account, whether it holds (`holds`), the facts its reason quotes
(`facts`, a dict of plain numbers and dates), and the date the condition started holding (`since`) when that
follows from the data itself; rules without `since` are traced by kam.risk by re-checking earlier dates.
Thresholds all come from settings.risk (and settings.health for the usual-interval minimum).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kam.arrays import day_numbers_of, floats
from kam.columns import Columns

Holds = Callable[[Columns, object], np.ndarray]  # a bool per row
Facts = Callable[[Any, object], dict]  # (row: row[column] -> value, settings)
Since = Callable[[Columns, object, dt.date], np.ndarray]  # a datetime64 per row (NaT: unknown)


@dataclass(frozen=True)
class Rule:
    name: str
    holds: Holds
    facts: Facts
    since: Since | None = None  # None: traced by re-checking earlier dates


def _values(f: Columns, column: str) -> np.ndarray:
    """A facts column as floats, NaN where missing: an unknown fact never fires a rule (NaN compares False)."""
    return floats(f[column])


def _dates(f: Columns, column: str) -> np.ndarray:
    """A date column as datetime64[ns] (NaT where missing)."""
    return f[column].astype("datetime64[ns]")


def _plus_days(dates: np.ndarray, days: np.ndarray | float) -> np.ndarray:
    """datetime64[ns] `dates` plus whole `days` (floats; NaT where either is missing)."""
    days = np.broadcast_to(np.asarray(days, dtype=float), dates.shape)
    step = np.where(np.isnan(days), 0, days).astype(np.int64).astype("timedelta64[D]")
    return np.where(np.isnan(days), np.datetime64("NaT", "ns"), dates + step)


def _drop_pct(f: Columns, now: str, before: str) -> np.ndarray:
    """% fall from column `before` to column `now`; NaN without a base to compare with."""
    base = _values(f, before)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(base > 0, (1 - _values(f, now) / base) * 100, np.nan)


def _no_order_holds(f: Columns, s) -> np.ndarray:
    interval = _values(f, "usual_interval")
    usable = (_values(f, "interval_orders") >= s.health.interval_min_orders) & (interval > 0)
    return usable & (_values(f, "days_since_order") > s.risk.overdue_interval_multiple * interval)


def _no_order_since(f: Columns, s, as_of: dt.date) -> np.ndarray:
    # days since > k x interval first holds on the day after last order + floor(k x interval)
    limit = np.floor(s.risk.overdue_interval_multiple * _values(f, "usual_interval")) + 1
    return _plus_days(_dates(f, "last_order_date"), limit)


def _receivables_holds(f: Columns, s) -> np.ndarray:
    by_days = _values(f, "overdue_days") >= s.risk.receivable_overdue_days
    amount, overdue = s.risk.receivable_overdue_amount, _values(f, "overdue_amount")
    by_amount = (overdue >= amount) & (overdue > 0) if amount > 0 else False
    return (_values(f, "invoices") > 0) & (by_days | by_amount)


def _receivables_since(f: Columns, s, as_of: dt.date) -> np.ndarray:
    # The oldest overdue invoice fell due on as_of - overdue_days; past due by n days from due + n.
    n = s.risk.receivable_overdue_days
    days = _values(f, "overdue_days")
    offset = np.where(days >= n, days - n, days - 1)
    return _plus_days(np.full(len(f), np.datetime64(as_of, "ns")), -offset)


def _contract_holds(f: Columns, s) -> np.ndarray:
    days = day_numbers_of(f["contract_end_date"]) - day_numbers_of(f["as_of"])
    return (days >= 0) & (days <= s.risk.contract_ending_days)


RULES: tuple[Rule, ...] = (
    Rule("no_order", _no_order_holds,
         lambda r, s: {"days": int(r["days_since_order"]), "interval": float(r["usual_interval"]),
                       "multiple": float(r["days_since_order"]) / float(r["usual_interval"])},
         _no_order_since),
    Rule("revenue_drop",
         lambda f, s: _drop_pct(f, "revenue_cmp_now", "revenue_cmp_before") >= s.risk.revenue_drop_pct,
         lambda r, s: {"drop_pct": (1 - r["revenue_cmp_now"] / r["revenue_cmp_before"]) * 100,
                       "revenue": float(r["revenue_cmp_now"]), "revenue_last_year": float(r["revenue_cmp_before"]),
                       "window": s.risk.comparison_window_days}),
    Rule("order_count_drop",
         lambda f, s: _drop_pct(f, "order_days_cmp_now", "order_days_cmp_before") >= s.risk.order_count_drop_pct,
         lambda r, s: {"drop_pct": (1 - r["order_days_cmp_now"] / r["order_days_cmp_before"]) * 100,
                       "days": int(r["order_days_cmp_now"]),
                       "days_last_year": int(r["order_days_cmp_before"]),
                       "window": s.risk.comparison_window_days}),
    Rule("complaints_up", lambda f, s: _values(f, "complaints_now") >= s.risk.complaints_min,
         lambda r, s: {"complaints": int(r["complaints_now"]), "previous": int(r["complaints_before"]),
                       "window": s.risk.complaints_window_days},
         lambda f, s, as_of: _dates(f, "complaint_since")),
    Rule("nps_low", lambda f, s: _values(f, "nps_latest") < s.risk.nps_below,
         lambda r, s: {"nps": int(r["nps_latest"]), "threshold": s.risk.nps_below},
         lambda f, s, as_of: _dates(f, "nps_date")),
    Rule("key_contact_left", lambda f, s: _values(f, "key_left_risk") > 0,
         lambda r, s: {"contact": str(r["key_left_name"]), "count": int(r["key_left_risk"]),
                       "days": (pd.Timestamp(r["as_of"]) - pd.Timestamp(r["key_left_date"])).days},
         lambda f, s, as_of: _dates(f, "key_left_date")),
    Rule("contract_ending", _contract_holds,
         lambda r, s: {"days": (pd.Timestamp(r["contract_end_date"]) - pd.Timestamp(r["as_of"])).days,
                       "end_date": pd.Timestamp(r["contract_end_date"]).date()},
         lambda f, s, as_of: _plus_days(_dates(f, "contract_end_date"), -s.risk.contract_ending_days)),
    Rule("receivables_overdue", _receivables_holds,
         lambda r, s: {"overdue_amount": float(r["overdue_amount"]), "days": int(r["overdue_days"])},
         _receivables_since),
    Rule("health_drop",
         lambda f, s: _values(f, "health_before") - _values(f, "health") >= s.risk.health_drop_points,
         lambda r, s: {"drop": float(r["health_before"] - r["health"]), "before": float(r["health_before"]),
                       "now": float(r["health"]), "window": s.risk.health_drop_days}),
)


def active_rules(settings) -> tuple[Rule, ...]:
    """The rules not switched off in settings, in their fixed order."""
    return tuple(r for r in RULES if r.name not in settings.risk.disabled_rules)
