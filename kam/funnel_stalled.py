"""Deal lists: stalled deals, deals past their expected close date, and the deals behind any funnel number.

In: (con, settings, as_of, FunnelFilter). Out: one row per deal, ready for a table that drills on to Account 360.
A deal is stalled when it is open and has stayed in its current stage longer than the stage's days to rot
(settings.funnel.stages); that needs the date it entered the stage, so without stage history there is no list.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from kam import db
from kam.funnel_base import deal_source, has_stage_history, run
from kam.funnel_config import FunnelFilter, stage_config
from kam.settings import Settings

DEAL_COLUMNS = ("opportunity_id, account_id, account_name, name, owner, region, stage, status, amount, "
                "probability, created_date, expected_close_date, closed_date, loss_reason")

# Open deals and the last time each entered its current stage; the select after it says what to list.
_STALLED_CTE = """
, open_deals AS (SELECT opportunity_id, account_id, account_name, name, owner, stage, amount, as_of, days_to_rot
                 FROM deals WHERE status = 'open' AND days_to_rot > 0),
entered AS (
    SELECT h.opportunity_id, max(h.entered_date) AS entered_date
    FROM opportunity_stage_history h CROSS JOIN p
    JOIN open_deals d ON d.opportunity_id = h.opportunity_id
    LEFT JOIN labels l ON l.label = h.stage
    WHERE h.entered_date <= p.as_of AND coalesce(l.stage, h.stage) = d.stage
    GROUP BY h.opportunity_id),
stalled AS (
    SELECT d.*, e.entered_date, date_diff('day', e.entered_date, d.as_of) AS days_in_stage
    FROM open_deals d JOIN entered e ON e.opportunity_id = d.opportunity_id
    WHERE date_diff('day', e.entered_date, d.as_of) > d.days_to_rot)
"""

_STALLED_SQL = _STALLED_CTE + """
SELECT opportunity_id, account_id, account_name, name, owner, stage, amount, entered_date, days_in_stage, days_to_rot
FROM stalled ORDER BY days_in_stage DESC, opportunity_id
LIMIT ?"""

# The command line's list: plain rows, turned into dicts in one pass (a DataFrame between costs seconds at 1M).
_STALLED_LIST_SQL = _STALLED_CTE + """
SELECT opportunity_id, stage, days_in_stage FROM stalled ORDER BY days_in_stage DESC, opportunity_id"""


def stalled_deals(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                  filt: FunnelFilter = FunnelFilter(), limit: int | None = None) -> pd.DataFrame | None:
    """Open deals in their stage for more than its days to rot: opportunity_id, account_id, account_name, name,
    owner, stage, amount, entered_date (last entry into the current stage), days_in_stage, days_to_rot; longest
    first (the first `limit`, None = all). None when the source has no stage history (the page says so instead
    of showing an empty list)."""
    if not has_stage_history(con):
        return None
    return run(con, settings, as_of, filt, _STALLED_SQL, [limit], history=True)


def stalled_list(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                 filt: FunnelFilter = FunnelFilter()) -> list[dict] | None:
    """Every stalled deal as {opportunity_id, stage, days_in_stage}, longest first, as `stalled_deals` orders
    them; None without stage history. For the command line, which lists them all (a million deals stay fast)."""
    if not has_stage_history(con):
        return None
    with deal_source(con, settings, as_of, filt, accounts=False, history=True) as (cte, params):
        rows = db.execute(con, f"{cte}\n{_STALLED_LIST_SQL}", params).fetchall()
    return [{"opportunity_id": deal, "stage": stage, "days_in_stage": days} for deal, stage, days in rows]


_OVERDUE_SQL = """
SELECT opportunity_id, account_id, account_name, name, owner, stage, amount, expected_close_date,
       date_diff('day', expected_close_date, as_of) AS days_overdue
FROM deals WHERE status = 'open' AND expected_close_date < as_of
ORDER BY days_overdue DESC, opportunity_id
LIMIT ?"""


def overdue_deals(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                  filt: FunnelFilter = FunnelFilter(), limit: int | None = None) -> pd.DataFrame:
    """Open deals whose expected close date is before as_of: ..., expected_close_date, days_overdue."""
    return run(con, settings, as_of, filt, _OVERDUE_SQL, [limit])


# What a drill-down can ask for: a SQL condition on `deals` with one bound value.
_CRITERIA = {
    "current_stage": "stage = ?",
    "owner": "owner IS NOT DISTINCT FROM ?",
    "region": "region IS NOT DISTINCT FROM ?",
    "tier": "tier IS NOT DISTINCT FROM ?",
    "loss_reason": "status = 'lost' AND loss_reason IS NOT DISTINCT FROM ?",
    "close_month": "status = 'open' AND date_trunc('month', expected_close_date) = ?::DATE",
    "close_quarter": "status = 'open' AND date_trunc('quarter', expected_close_date) = ?::DATE",
}


def deals_behind(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date, filt: FunnelFilter,
                 by: str, value: object, limit: int | None = None) -> pd.DataFrame:
    """The deals behind one number on the page, largest first (columns DEAL_COLUMNS).

    `by` is 'stage' (the deals counted in that funnel bar: reached it, or closed won/lost for those stages) or a
    key of _CRITERIA (current_stage, owner, region, tier, loss_reason, close_month, close_quarter).
    `limit` keeps the first rows only (None = all), as for the other lists.
    """
    condition, params = _stage_condition(settings, value) if by == "stage" else (_CRITERIA[by], [value])
    return run(con, settings, as_of, filt,
               f"SELECT {DEAL_COLUMNS} FROM deals WHERE {condition} "
               "ORDER BY amount DESC NULLS LAST, opportunity_id LIMIT ?", [*params, limit],
               with_tiers=by == "tier" or None, reach=by == "stage")


def _stage_condition(settings: Settings, stage: object) -> tuple[str, list]:
    config = stage_config(settings).set_index("stage")
    if stage not in config.index:
        return "stage = ?", [stage]  # an unknown label: the deals carrying it
    kind, position = config.at[stage, "kind"], int(config.at[stage, "position"])
    if kind == "open":
        return "reached_position >= ?", [position]
    return "status = ?", [kind]
