"""Health arranged for pages: by tier, counted by band, and one account's history over month ends.

In: a connection, Settings, an as-of date, a Scope (or one account id). Out: DataFrames documented per function.
Tiers come from kam.tiers.tier_table when that module is present; without it every account is in one group.
"""
from __future__ import annotations

import datetime as dt
import importlib.util

import duckdb
import pandas as pd

from kam.health import UNKNOWN, health_at, health_table
from kam.scope import Scope

BANDS = ("red", "yellow", "green", UNKNOWN)


def _tiers(con: duckdb.DuckDBPyConnection, settings, as_of: dt.date, scope: Scope) -> pd.DataFrame | None:
    if importlib.util.find_spec("kam.tiers") is None:
        return None
    from kam import tiers
    return tiers.tier_table(con, settings, as_of, scope)


def with_tiers(health: pd.DataFrame, tiers: pd.DataFrame | None) -> pd.DataFrame:
    """A health table plus tier and tier_rank from a kam.tiers.tier_table (None: tier None, rank 0 for all),
    best tier first, healthiest first within a tier."""
    if tiers is None:
        return health.assign(tier=None, tier_rank=0)
    out = health.merge(tiers[["account_id", "tier", "tier_rank"]], on="account_id", how="left")
    return out.sort_values(["tier_rank", "score"], ascending=[True, False], kind="stable").reset_index(drop=True)


def health_by_tier(con: duckdb.DuckDBPyConnection, settings, as_of: dt.date, scope: Scope = Scope()) -> pd.DataFrame:
    """The health table plus tier and tier_rank (None / 0 when tiers are not available), best tier first."""
    return with_tiers(health_table(con, settings, as_of, scope), _tiers(con, settings, as_of, scope))


def band_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Per tier and band (every band, even when empty): tier, tier_rank, band, accounts, average score of the tier."""
    groups = table[["tier", "tier_rank"]].drop_duplicates().sort_values("tier_rank", kind="stable")
    grid = groups.merge(pd.DataFrame({"band": BANDS}), how="cross")
    counts = table.groupby(["tier_rank", "band"], dropna=False).size().rename("accounts").reset_index()
    out = grid.merge(counts, on=["tier_rank", "band"], how="left").fillna({"accounts": 0})
    out["accounts"] = out["accounts"].astype(int)
    out["average_score"] = out["tier_rank"].map(table.groupby("tier_rank")["score"].mean())
    return out.reset_index(drop=True)


def history_dates(as_of: dt.date, months: int) -> list[dt.date]:
    """The last `months` - 1 month ends before `as_of`, then `as_of` itself, oldest first."""
    ends = pd.date_range(end=pd.Timestamp(as_of), periods=months, freq="ME")
    dates = [d.date() for d in ends if d.date() < as_of][-(months - 1):] if months > 1 else []
    return [*dates, as_of]


def health_history(con: duckdb.DuckDBPyConnection, settings, as_of: dt.date, account_id: str) -> pd.DataFrame:
    """One account's health at each date of `history_dates`: date, score, band, coverage."""
    table = health_at(con, settings, history_dates(as_of, settings.health.history_months), account_ids=[account_id])
    return table.rename(columns={"as_of": "date"})[["date", "score", "band", "coverage"]].reset_index(drop=True)


def tier_names(table: pd.DataFrame, settings, lang: str) -> dict[int, str]:
    """tier_rank -> the tier's display name ('A 战略级' in Chinese), or 'All accounts' without tiers."""
    from kam.i18n import t

    pairs = table[["tier_rank", "tier"]].drop_duplicates("tier_rank")
    if pairs["tier"].isna().all():
        return {int(r): t("health.all_accounts", lang) for r in pairs["tier_rank"]}
    from kam.tiers import display_label
    return {int(r): display_label(str(n), lang, settings.tiers.labels) if pd.notna(n) else t("health.no_tier", lang)
            for r, n in zip(pairs["tier_rank"], pairs["tier"])}


def accounts_in(table: pd.DataFrame, tier_rank: int | None = None, band_name: str | None = None) -> pd.DataFrame:
    """The rows of a health_by_tier table in one tier and/or band (None = any)."""
    keep = pd.Series(True, index=table.index)
    if tier_rank is not None:
        keep &= table["tier_rank"] == tier_rank
    if band_name is not None:
        keep &= table["band"] == band_name
    return table[keep].reset_index(drop=True)
