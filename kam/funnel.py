"""The sales funnel for key accounts: how much is in the pipe, where it sticks, what will close.

This module is the front door: it re-exports the metric functions of kam.funnel_stages / funnel_stalled /
funnel_forecast (each takes con, settings, as_of and a FunnelFilter), names the period presets the page offers,
and builds the summary that `python -m kam funnel --json` prints. Definitions: docs/metrics.md, section funnel.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from kam.funnel_base import has_stage_history
from kam.funnel_config import FunnelFilter, stage_config
from kam.funnel_forecast import (DIMENSIONS, GRAINS, PeriodChanges, PipelineTotals, forecast_by,
                                 forecast_by_period, loss_reasons, period_changes, pipeline_totals)
from kam.funnel_stages import WinStats, stage_table, time_in_stage, unknown_stages, win_stats
from kam.funnel_stalled import DEAL_COLUMNS, deals_behind, overdue_deals, stalled_deals, stalled_list
from kam.i18n import label
from kam.settings import Settings

__all__ = ["FunnelFilter", "WinStats", "PipelineTotals", "PeriodChanges", "DIMENSIONS", "GRAINS", "DEAL_COLUMNS",
           "stage_table", "unknown_stages", "win_stats", "time_in_stage", "stalled_deals", "overdue_deals",
           "deals_behind", "stalled_list", "pipeline_totals", "forecast_by_period", "forecast_by", "loss_reasons",
           "period_changes", "has_stage_history", "stage_config", "PERIODS", "period_range",
           "stage_label", "period_label", "plain_value", "summary"]

PERIODS = ("all", "this_quarter", "last_quarter", "this_year", "last_12_months")


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def period_range(name: str, as_of: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The created-date window a period preset means on `as_of` (both ends inclusive; (None, None) = all)."""
    if name == "all":
        return None, None
    if name == "this_quarter":
        return _quarter_start(as_of), as_of
    if name == "last_quarter":
        end = _quarter_start(as_of) - dt.timedelta(days=1)
        return _quarter_start(end), end
    if name == "this_year":
        return dt.date(as_of.year, 1, 1), as_of
    if name == "last_12_months":
        return as_of - dt.timedelta(days=364), as_of  # the 365 days ending on as_of
    raise ValueError(f"period must be one of {PERIODS}")


def stage_label(stage: str, lang: str) -> str:
    """A stage's display name (the default stages have Chinese and English names; others show as configured)."""
    return label("funnel.stage", stage, lang)


def period_label(start: dt.date | None, grain: str, lang: str) -> str:
    """A forecast bucket's name: quarter '2026 Q2' / '2026年Q2', month 'Jun 2026' / '2026年6月'; '—' if unknown."""
    if start is None or pd.isna(start):
        return "—"
    if grain == "quarter":
        quarter = (start.month - 1) // 3 + 1
        return f"{start.year}年Q{quarter}" if lang == "zh" else f"{start.year} Q{quarter}"
    return f"{start.year}年{start.month}月" if lang == "zh" else f"{start:%b} {start.year}"


def plain_value(value: Any) -> Any:
    """A JSON-safe Python value: NaN/NA -> None, numpy scalars -> int/float."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def summary(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
            filt: FunnelFilter = FunnelFilter()) -> dict[str, Any]:
    """The command-line contract: stages (configured stages in order with deals, amount, conversion_to_next),
    win_rate, win_rate_amount, median_cycle_days, weighted_pipeline, stalled (opportunity_id, stage,
    days_in_stage; an empty list when the source has no stage history)."""
    table = stage_table(con, settings, as_of, filt)
    configured = table[table["kind"] != "unknown"]
    wins = win_stats(con, settings, as_of, filt)
    stalled = stalled_list(con, settings, as_of, filt)
    return {
        "stages": [{key: plain_value(row[key]) for key in ("stage", "deals", "amount", "conversion_to_next")}
                   for _, row in configured.iterrows()],
        "win_rate": wins.win_rate,
        "win_rate_amount": wins.win_rate_amount,
        "median_cycle_days": wins.median_cycle_days,
        "weighted_pipeline": pipeline_totals(con, settings, as_of, filt).weighted_pipeline,
        "stalled": [] if stalled is None else stalled,
    }
