"""Stage metrics: the funnel bars, stage-to-stage conversion, win rates, cycle time and time in each stage.

In: (con, settings, as_of, FunnelFilter). Out: small DataFrames / a frozen dataclass, documented per function.
The deal set and its as-of rules are kam.funnel_base's; definitions are in docs/metrics.md (section funnel).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from kam.funnel_base import has_stage_history, run
from kam.funnel_config import FunnelFilter
from kam.settings import Settings

_STAGE_TABLE_SQL = """
, agg AS (SELECT stage, reached_position, status, sum(deal_count) AS n, sum(coalesce(amount, 0)) AS amt
          FROM deals GROUP BY ALL)
SELECT s.stage, s.position, s.kind,
       coalesce(sum(g.n) FILTER (WHERE reached), 0) AS deals,
       coalesce(sum(g.amt) FILTER (WHERE reached), 0) AS amount,
       coalesce(sum(g.n) FILTER (WHERE g.stage = s.stage), 0) AS current_deals,
       coalesce(sum(g.amt) FILTER (WHERE g.stage = s.stage), 0) AS current_amount
FROM stages s
LEFT JOIN LATERAL (SELECT g.*, (s.kind = 'open' AND g.reached_position >= s.position)
                               OR (s.kind IN ('won', 'lost') AND g.status = s.kind) AS reached FROM agg g) g ON TRUE
GROUP BY s.stage, s.position, s.kind
UNION ALL
SELECT g.stage, NULL, 'unknown', NULL, NULL, sum(g.n), sum(g.amt)
FROM agg g WHERE g.stage NOT IN (SELECT stage FROM stages) GROUP BY g.stage
ORDER BY position NULLS LAST, stage"""


def stage_table(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                filt: FunnelFilter = FunnelFilter()) -> pd.DataFrame:
    """One row per configured stage in order, then one per unknown stage label found in the data.

    Columns: stage, position, kind (open | won | lost | unknown), deals / amount (deals that reached the stage:
    the funnel bar; for won/lost the deals closed so), conversion_to_next (deals of the next funnel stage / deals
    of this one, over the open stages then won; None for the last and for won/lost/unknown), current_deals /
    current_amount (deals whose stage is this one now). Missing amounts count 0.
    """
    frame = run(con, settings, as_of, filt, _STAGE_TABLE_SQL, reach=True, accounts=False, tally=True)
    frame["conversion_to_next"] = _conversion(frame)
    for column in ("deals", "current_deals"):
        frame[column] = frame[column].astype("Int64")
    return frame[["stage", "position", "kind", "deals", "amount", "conversion_to_next", "current_deals",
                  "current_amount"]]


def _conversion(frame: pd.DataFrame) -> pd.Series:
    """Next funnel stage's deals / this stage's, along the open stages and then the (first) won stage."""
    kinds, deals = frame["kind"].tolist(), frame["deals"].tolist()  # plain lists: a few rows, no pandas per cell
    chain = [i for i, kind in enumerate(kinds) if kind == "open"] + [i for i, k in enumerate(kinds) if k == "won"][:1]
    values: list[float | None] = [None] * len(frame)
    for here, after in zip(chain, chain[1:]):
        values[here] = deals[after] / deals[here] if deals[here] else None
    return pd.Series(values, index=frame.index, dtype="Float64")


def unknown_stages(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of `stage_table` whose stage label matches no configured stage: stage, current_deals, amount."""
    unknown = table[table["kind"] == "unknown"]
    return unknown[["stage", "current_deals", "current_amount"]].reset_index(drop=True)


@dataclass(frozen=True)
class WinStats:
    """Deals closed on or before as_of: counts and amounts won/lost, win rates (None when nothing closed), and
    cycle time in days from created to closed over won and lost deals with both dates (None when none)."""
    won: int
    lost: int
    won_amount: float
    lost_amount: float
    win_rate: float | None
    win_rate_amount: float | None
    avg_cycle_days: float | None
    median_cycle_days: float | None


_WIN_SQL = """
SELECT count(*) FILTER (WHERE status = 'won') AS won, count(*) FILTER (WHERE status = 'lost') AS lost,
       coalesce(sum(amount) FILTER (WHERE status = 'won'), 0) AS won_amount,
       coalesce(sum(amount) FILTER (WHERE status = 'lost'), 0) AS lost_amount,
       avg(date_diff('day', created_date, closed_date)) FILTER (WHERE status IN ('won', 'lost')) AS avg_cycle,
       median(date_diff('day', created_date, closed_date)) FILTER (WHERE status IN ('won', 'lost')) AS median_cycle
FROM deals"""


def win_stats(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
              filt: FunnelFilter = FunnelFilter()) -> WinStats:
    """Win rate by count = won / (won + lost); by amount = won amount / (won + lost amount), a lost deal without
    an amount counting in the first and not the second."""
    row = run(con, settings, as_of, filt, _WIN_SQL, accounts=False).iloc[0]
    won, lost = int(row["won"]), int(row["lost"])
    won_amount, lost_amount = float(row["won_amount"]), float(row["lost_amount"])
    closed_amount = won_amount + lost_amount
    return WinStats(won, lost, won_amount, lost_amount,
                    won / (won + lost) if won + lost else None,
                    won_amount / closed_amount if closed_amount else None,
                    _number(row["avg_cycle"]), _number(row["median_cycle"]))


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


_TIME_IN_STAGE_SQL = """
, stints AS (
    SELECT h.opportunity_id, coalesce(l.stage, h.stage) AS stage, h.entered_date,
           coalesce(lead(h.entered_date) OVER (PARTITION BY h.opportunity_id
                                               ORDER BY h.entered_date, s.position NULLS LAST),
                    d.closed_date) AS left_date
    FROM opportunity_stage_history h CROSS JOIN p
    JOIN deals d ON d.opportunity_id = h.opportunity_id
    LEFT JOIN labels l ON l.label = h.stage LEFT JOIN stages s ON s.stage = coalesce(l.stage, h.stage)
    WHERE h.entered_date <= p.as_of),
per_deal AS (SELECT opportunity_id, stage, sum(date_diff('day', entered_date, left_date)) AS days
             FROM stints WHERE left_date IS NOT NULL GROUP BY ALL)
SELECT s.stage, count(d.days) AS deals, avg(d.days) AS avg_days, median(d.days) AS median_days
FROM stages s LEFT JOIN per_deal d ON d.stage = s.stage
WHERE s.kind = 'open'
GROUP BY s.stage, s.position ORDER BY s.position"""


def time_in_stage(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                  filt: FunnelFilter = FunnelFilter()) -> pd.DataFrame | None:
    """Per open stage: deals that left it, and the average and median days they spent in it (all their stays
    summed, so a reopened deal counts once). A stay ends at the next history entry, or at the close date; a stay
    still running on as_of is left out (the stalled list covers it). None when the source has no stage history."""
    if not has_stage_history(con):
        return None
    frame = run(con, settings, as_of, filt, _TIME_IN_STAGE_SQL, accounts=False, history=True)
    frame["deals"] = frame["deals"].astype("Int64")
    return frame
