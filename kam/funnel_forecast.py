"""Forecast and change: weighted pipeline, by close month/quarter and by owner/region/tier, period-over-period
changes, and loss reasons.

In: (con, settings, as_of, FunnelFilter). Out: small DataFrames / a frozen dataclass. Weighted pipeline = sum over
open deals of amount x probability (the deal's own, else its stage's default). Won revenue counts deals closed won
on or before as_of. Definitions: docs/metrics.md, section funnel.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from kam.funnel_base import run
from kam.funnel_config import FunnelFilter
from kam.settings import Settings

GRAINS = ("month", "quarter")
DIMENSIONS = ("owner", "region", "tier")

_TOTALS_SQL = """
SELECT coalesce(sum(amount) FILTER (WHERE status = 'open'), 0) AS pipeline,
       coalesce(sum(amount * probability) FILTER (WHERE status = 'open'), 0) AS weighted_pipeline,
       count(*) FILTER (WHERE status = 'open') AS open_deals,
       coalesce(sum(amount) FILTER (WHERE status = 'won'), 0) AS won_amount
FROM deals"""


@dataclass(frozen=True)
class PipelineTotals:
    pipeline: float           # open amount, unweighted
    weighted_pipeline: float  # open amount x probability
    open_deals: int
    won_amount: float         # closed won on or before as_of


def pipeline_totals(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                    filt: FunnelFilter = FunnelFilter()) -> PipelineTotals:
    row = run(con, settings, as_of, filt, _TOTALS_SQL, accounts=False).iloc[0]
    return PipelineTotals(float(row["pipeline"]), float(row["weighted_pipeline"]), int(row["open_deals"]),
                          float(row["won_amount"]))


# One pass over the deals: a won deal falls in its close month, an open one in its expected close month.
_BY_PERIOD_SQL = """
SELECT date_trunc(?, CASE WHEN status = 'won' THEN closed_date ELSE expected_close_date END) AS period,
       coalesce(sum(amount) FILTER (WHERE status = 'won'), 0) AS won,
       coalesce(sum(amount) FILTER (WHERE status = 'open'), 0) AS pipeline,
       coalesce(sum(amount * probability) FILTER (WHERE status = 'open'), 0) AS weighted,
       count(*) FILTER (WHERE status = 'open')::INTEGER AS open_deals
FROM deals WHERE status IN ('won', 'open')
GROUP BY period ORDER BY period NULLS LAST"""


def forecast_by_period(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                       filt: FunnelFilter = FunnelFilter(), grain: str = "quarter") -> pd.DataFrame:
    """period (first day of the month/quarter; NaT = open deals without an expected close date), won (closed won
    in it), pipeline and weighted (open deals expected to close in it), open_deals."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}")
    frame = run(con, settings, as_of, filt, _BY_PERIOD_SQL, [grain], accounts=False)
    frame["period"] = pd.to_datetime(frame["period"]).dt.date
    return frame


def forecast_by(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                filt: FunnelFilter = FunnelFilter(), dimension: str = "owner") -> pd.DataFrame:
    """One row per owner / region / tier: key (None = not known, e.g. a deal without an account), open_deals,
    pipeline, weighted, won; largest weighted pipeline first."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {DIMENSIONS}")
    return run(con, settings, as_of, filt, f"""
        SELECT {dimension} AS key, count(*) FILTER (WHERE status = 'open') AS open_deals,
               coalesce(sum(amount) FILTER (WHERE status = 'open'), 0) AS pipeline,
               coalesce(sum(amount * probability) FILTER (WHERE status = 'open'), 0) AS weighted,
               coalesce(sum(amount) FILTER (WHERE status = 'won'), 0) AS won
        FROM deals GROUP BY {dimension} ORDER BY weighted DESC, won DESC, key NULLS LAST""",
               with_tiers=dimension == "tier" or None)


_LOSS_SQL = """
SELECT loss_reason, count(*) AS deals, coalesce(sum(amount), 0) AS amount
FROM deals WHERE status = 'lost'
GROUP BY loss_reason ORDER BY deals DESC, amount DESC, loss_reason NULLS LAST"""


def loss_reasons(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                 filt: FunnelFilter = FunnelFilter()) -> pd.DataFrame | None:
    """Lost deals by reason (None = no reason given): loss_reason, deals, amount (missing amounts count 0),
    ranked by count then amount. None when no lost deal in the data has a reason (the source does not record
    them)."""
    frame = run(con, settings, as_of, filt, _LOSS_SQL, accounts=False)
    return None if frame["loss_reason"].isna().all() else frame


@dataclass(frozen=True)
class PeriodChanges:
    """Deals created, won and lost in [date_from, date_to] and in the equally long period just before it.
    Moves of expected close dates and amount changes need snapshots of past values, which the source does not
    keep: `needs_snapshots` says so, and the page shows that instead of zeros."""
    current: pd.DataFrame   # measure (new, won, lost) x deals, amount
    previous: pd.DataFrame
    previous_from: dt.date
    previous_to: dt.date
    needs_snapshots: tuple[str, ...] = ("moved_in", "moved_out", "amount_changed")

    def table(self) -> pd.DataFrame:
        """measure, deals, previous_deals, deals_change, amount, previous_amount, amount_change."""
        now, before = self.current, self.previous.reindex(self.current.index)
        return pd.DataFrame({
            "measure": now.index, "deals": now["deals"].values, "previous_deals": before["deals"].values,
            "deals_change": (now["deals"] - before["deals"]).values, "amount": now["amount"].values,
            "previous_amount": before["amount"].values, "amount_change": (now["amount"] - before["amount"]).values})


_CHANGES_SQL = """
SELECT m.measure,
       count(d.opportunity_id) AS deals, coalesce(sum(d.amount), 0) AS amount
FROM (VALUES ('new', 0), ('won', 1), ('lost', 2)) m(measure, i)
LEFT JOIN deals d ON (m.measure = 'new' AND d.created_date BETWEEN ?::DATE AND ?::DATE)
                  OR (m.measure = d.status AND d.closed_date BETWEEN ?::DATE AND ?::DATE)
GROUP BY m.measure, m.i ORDER BY m.i"""


def period_changes(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date, filt: FunnelFilter,
                   date_from: dt.date, date_to: dt.date) -> PeriodChanges:
    """New, won and lost deals (count and amount) in the period and in the one before it; the filter's own
    created-date period is ignored here (deals of any age can close in the period)."""
    length = dt.timedelta(days=(date_to - date_from).days + 1)
    previous = (date_from - length, date_from - dt.timedelta(days=1))

    def measure(start: dt.date, end: dt.date) -> pd.DataFrame:
        frame = run(con, settings, as_of, filt, _CHANGES_SQL, [start, end, start, end], use_period=False,
                    accounts=False)
        return frame.set_index("measure")

    return PeriodChanges(measure(date_from, date_to), measure(*previous), *previous)
