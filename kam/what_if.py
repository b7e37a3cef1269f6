"""What-if of a settings change: which accounts would change tier or health band, before anything is saved.

In: a connection, the settings in force, the candidate settings, an as-of date. Out: `changes`, one row per
(account, what changed): account_id, name, what ('tier' | 'band'), before, after, before_rank, after_rank.
Health bands come from kam.health when it is present (otherwise only tiers are compared).
"""
from __future__ import annotations

import datetime as dt
import importlib

import duckdb
import pandas as pd

from kam.settings import Settings
from kam.tiers import tier_table

COLUMNS = ("account_id", "name", "what", "before", "after")


def _diff(before: pd.DataFrame, after: pd.DataFrame, column: str, what: str) -> pd.DataFrame:
    pair = before[["account_id", "name", column]].merge(after[["account_id", column]], on="account_id",
                                                          suffixes=("_before", "_after"))
    moved = pair[pair[f"{column}_before"] != pair[f"{column}_after"]]
    return pd.DataFrame({"account_id": moved["account_id"], "name": moved["name"], "what": what,
                         "before": moved[f"{column}_before"].astype(str), "after": moved[f"{column}_after"].astype(str)})


def _health(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date) -> pd.DataFrame | None:
    try:
        health = importlib.import_module("kam.health")
    except ModuleNotFoundError:
        return None
    return health.health_table(con, settings, as_of)


def changes(con: duckdb.DuckDBPyConnection, current: Settings, candidate: Settings, as_of: dt.date) -> pd.DataFrame:
    """Accounts (company-wide) whose tier or health band differs between `current` and `candidate` settings."""
    parts = []
    if current.tiers != candidate.tiers:
        parts.append(_diff(tier_table(con, current, as_of), tier_table(con, candidate, as_of), "tier", "tier"))
    if current.health != candidate.health:
        before, after = _health(con, current, as_of), _health(con, candidate, as_of)
        if before is not None:
            names = tier_table(con, current, as_of)[["account_id", "name"]]
            before = before.drop(columns=["name"], errors="ignore").merge(names, on="account_id")
            parts.append(_diff(before, after, "band", "band"))
    if not parts:
        return pd.DataFrame(columns=list(COLUMNS))
    return pd.concat(parts, ignore_index=True).sort_values(["what", "name"]).reset_index(drop=True)
