"""Tier history: every account's tier at each quarter end, the migration matrix between two dates, and the movers.

In: a connection, Settings, dates (usually `quarter_ends`), a Scope. Out: DataFrames documented per function.
History is recomputed with the settings passed (the version in force now) at every date, so a move between
quarters reflects what the account did, not a change of weights; charts mark settings changes separately.
Accounts not yet customers at a date have no row there; in a migration they come from NEW (rank -1).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import pandas as pd

from kam import db
from kam.scope import Scope
from kam.settings import Settings
from kam.tiers import scoped, tiers_at

NEW = "new"  # label of "not a customer yet" in migrations
HISTORY_COLUMNS = ("as_of", "account_id", "name", "owner", "revenue_12m", "score", "tier", "tier_rank")


def quarter_ends(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> list[dt.date]:
    """Calendar quarter ends from the quarter of the first order up to `as_of` (inclusive), oldest first."""
    first = db.scalar(con, "SELECT min(order_date) FROM orders WHERE order_date <= ?", [as_of])
    if first is None:
        return []
    ends = pd.date_range(pd.Timestamp(first), pd.Timestamp(as_of), freq="QE")
    return [d.date() for d in ends]


def tier_history(con: duckdb.DuckDBPyConnection, settings: Settings, dates: Sequence[dt.date],
                 scope: Scope = Scope()) -> pd.DataFrame:
    """HISTORY_COLUMNS: one row per (date, account in scope existing then), oldest date first."""
    frame = scoped(con, tiers_at(con, settings, list(dates)), scope)
    return frame[list(HISTORY_COLUMNS)].sort_values(["as_of", "tier_rank", "account_id"]).reset_index(drop=True)


def _pair(history: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per account present at `end` (or at `start`): its tier and revenue at both dates."""
    cols = ["account_id", "name", "owner", "tier", "tier_rank", "score", "revenue_12m"]
    before = history[history["as_of"] == start][cols]
    after = history[history["as_of"] == end][cols]
    pair = before.merge(after, on=["account_id", "name", "owner"], how="outer", suffixes=("_from", "_to"))
    pair = pair.fillna({"tier_from": NEW, "tier_rank_from": -1, "revenue_12m_from": 0.0})
    return pair.astype({"tier_rank_from": int})


def migration_matrix(history: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Long form: tier_from, tier_rank_from, tier_to, tier_rank_to, accounts, revenue_12m_from, revenue_12m_to.

    Accounts present at `end` only come from NEW (rank -1); revenue_12m_to is the revenue over the 12 months to
    `end`, so the 'to' revenues of all cells add up to the total revenue at `end`.
    """
    pair = _pair(history, start, end).dropna(subset=["tier_to"]).astype({"tier_rank_to": int})
    keys = ["tier_from", "tier_rank_from", "tier_to", "tier_rank_to"]
    out = pair.groupby(keys, as_index=False).agg(accounts=("account_id", "size"),
                                                revenue_12m_from=("revenue_12m_from", "sum"),
                                                revenue_12m_to=("revenue_12m_to", "sum"))
    return out.sort_values(["tier_rank_from", "tier_rank_to"]).reset_index(drop=True)


def matrix_pivot(matrix: pd.DataFrame, labels: Sequence[str], value: str = "accounts") -> pd.DataFrame:
    """Square table for display: rows = from tier (NEW first), columns = to tier, cells = `value` (0 when empty)."""
    rows = [NEW, *labels] if (matrix["tier_rank_from"] < 0).any() else list(labels)
    table = matrix.groupby(["tier_from", "tier_to"])[value].sum().unstack(fill_value=0)
    return table.reindex(index=rows, columns=list(labels), fill_value=0)


def cell(history: pd.DataFrame, start: dt.date, end: dt.date, tier_rank_from: int, tier_rank_to: int) -> pd.DataFrame:
    """The accounts behind one cell of the migration matrix (rank -1 = NEW): the movers' columns, biggest first."""
    pair = _pair(history, start, end).dropna(subset=["tier_to"]).astype({"tier_rank_to": int})
    rows = pair[(pair["tier_rank_from"] == tier_rank_from) & (pair["tier_rank_to"] == tier_rank_to)]
    rows = rows.sort_values(["revenue_12m_to", "account_id"], ascending=[False, True])
    return rows[["account_id", "name", "owner", "tier_from", "tier_to", "score_from", "score_to",
                 "revenue_12m_from", "revenue_12m_to"]].reset_index(drop=True)


def movers(history: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Accounts whose tier differs between the dates (new accounts included): account_id, name, owner,
    tier_from, tier_to, direction ('up' | 'down' | 'new'), score_from, score_to, revenue_12m_from, revenue_12m_to;
    biggest revenue now first."""
    pair = _pair(history, start, end).dropna(subset=["tier_to"]).astype({"tier_rank_to": int})
    moved = pair[pair["tier_rank_from"] != pair["tier_rank_to"]].copy()
    moved["direction"] = "down"
    moved.loc[moved["tier_rank_to"] < moved["tier_rank_from"], "direction"] = "up"
    moved.loc[moved["tier_rank_from"] < 0, "direction"] = NEW
    moved = moved.sort_values(["revenue_12m_to", "account_id"], ascending=[False, True])
    return moved[["account_id", "name", "owner", "tier_from", "tier_to", "direction", "score_from", "score_to",
                  "revenue_12m_from", "revenue_12m_to"]].reset_index(drop=True)


def revenue_by_tier(history: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """as_of, tier, tier_rank, accounts, revenue_12m: per date and tier (every label, zero when empty)."""
    grid = pd.MultiIndex.from_product([sorted(history["as_of"].unique()), range(len(labels))],
                                      names=["as_of", "tier_rank"])
    out = history.groupby(["as_of", "tier_rank"]).agg(accounts=("account_id", "size"),
                                                      revenue_12m=("revenue_12m", "sum"))
    out = out.reindex(grid, fill_value=0).reset_index()
    out["tier"] = out["tier_rank"].map(dict(enumerate(labels)))
    return out[["as_of", "tier", "tier_rank", "accounts", "revenue_12m"]]


def accounts_at(history: pd.DataFrame, as_of: str | dt.date, tier_rank: int) -> pd.DataFrame:
    """History rows of one tier at one date (the date as a date or its ISO text, as a chart click gives it)."""
    when = pd.Timestamp(as_of).date()
    return history[(history["as_of"] == when) & (history["tier_rank"] == tier_rank)].reset_index(drop=True)
