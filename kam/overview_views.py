"""The Overview's arrangements of the score tables: the health distribution within each tier, the accounts behind
one of its bar segments, the quarter the tier migration starts from, and the accounts leading the risk list.

In: a kam.tiers.tier_table and a kam.health.health_table, a kam.risk.warning_list (or an as-of date). Out:
DataFrames / a date, per function.
Why apart from kam.kpis: the cards change with their definitions, these with what the Overview draws.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kam.health import UNKNOWN


def _with_band(tier_table: pd.DataFrame, health_table: pd.DataFrame) -> pd.DataFrame:
    """tier_table plus each account's health band ('unknown' without a health row)."""
    return tier_table.merge(health_table[["account_id", "band"]], on="account_id", how="left").fillna({"band": UNKNOWN})


def health_by_tier(tier_table: pd.DataFrame, health_table: pd.DataFrame) -> pd.DataFrame:
    """tier_rank, band, accounts, revenue_12m: the health distribution within each tier (accounts without a
    health row count as 'unknown')."""
    merged = _with_band(tier_table[["account_id", "tier_rank", "revenue_12m"]], health_table)
    return merged.groupby(["tier_rank", "band"], as_index=False).agg(
        accounts=("account_id", "size"), revenue_12m=("revenue_12m", "sum"))


def accounts_in_band(tier_table: pd.DataFrame, health_table: pd.DataFrame, band: str, tier_rank: int) -> pd.DataFrame:
    """Rows of tier_table in `tier_rank` whose health band is `band` (no health row = 'unknown')."""
    merged = _with_band(tier_table, health_table)
    return merged[(merged["band"] == band) & (merged["tier_rank"] == tier_rank)].reset_index(drop=True)


def previous_quarter_end(as_of: dt.date) -> dt.date:
    """The last calendar quarter end strictly before as_of (31 Mar for any date from 1 Apr to 30 Jun)."""
    return (pd.Timestamp(as_of) - pd.offsets.QuarterEnd(1)).date()


def top_risks(warnings: pd.DataFrame, n: int) -> pd.DataFrame:
    """The first `n` accounts of a warning list (kam.risk.warning_list, sorted by severity, then revenue at risk),
    one row each, so two warnings of one account do not take two of the few rows a meeting-room screen shows:
    that account's worst warning row (rule, facts, severity, active_since, revenue_at_risk: the account's own) plus
    `more`, how many other warnings it has. Order kept."""
    worst = warnings.drop_duplicates("account_id", keep="first")
    more = warnings.groupby("account_id", sort=False).size().reindex(worst["account_id"]).to_numpy() - 1
    return worst.assign(more=more).head(n).reset_index(drop=True)
