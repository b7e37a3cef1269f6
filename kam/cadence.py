"""Contact cadence: each account's next due contact, the overdue list, and cadence compliance by owner and tier.

In: a connection, settings (settings.cadence: days per tier, which channels count as a contact), the as-of date,
a scope, and the accounts' tier ranks as a frame (account_id, tier_rank with 0 = best, as kam.tiers.tier_table
returns) so that cadence does not depend on how tiers are computed. Out: DataFrames, documented per function.

An account's cadence is days_by_tier[tier_rank] (the last value for lower tiers or accounts without a tier).
It is due again `cadence` days after its last contact on or before as_of; an account never contacted is overdue.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from kam import db
from kam.scope import Scope, account_filter
from kam.settings import Settings


def contact_status(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                   tier_ranks: pd.DataFrame, scope: Scope = Scope()) -> pd.DataFrame:
    """One row per account in scope: account_id, name, owner, tier_rank, tier (label), cadence_days,
    last_contact, next_due (dates, None when never contacted), overdue (next_due before as_of, or never
    contacted), days_overdue (days past next_due, 0 when not overdue; NA when never contacted), sorted most
    overdue first (never contacted at the very top)."""
    frame = _last_contacts(con, settings, as_of, scope).merge(
        tier_ranks[["account_id", "tier_rank"]], on="account_id", how="left")
    days, labels = settings.cadence.days_by_tier, settings.tiers.labels
    rank = frame["tier_rank"].fillna(len(days) - 1).astype(int).clip(upper=len(days) - 1)
    frame["tier_rank"] = frame["tier_rank"].astype("Int64")
    frame["tier"] = frame["tier_rank"].map(lambda r: labels[r] if pd.notna(r) and r < len(labels) else None)
    frame["cadence_days"] = np.asarray(days)[rank.to_numpy()]
    last = pd.to_datetime(frame["last_contact"])
    due = last + pd.to_timedelta(frame["cadence_days"], unit="D")
    frame["days_overdue"] = (pd.Timestamp(as_of) - due).dt.days.clip(lower=0).astype("Int64")
    frame["overdue"] = last.isna() | (frame["days_overdue"] > 0).fillna(True)
    frame["last_contact"], frame["next_due"] = _dates(last), _dates(due)
    frame = frame.assign(_never=last.isna()).sort_values(["_never", "days_overdue", "account_id"],
                                                         ascending=[False, False, True])
    return frame.reset_index(drop=True)[
        ["account_id", "name", "owner", "tier_rank", "tier", "cadence_days", "last_contact", "next_due",
         "overdue", "days_overdue"]]


def _dates(stamps: pd.Series) -> pd.Series:
    """datetime64 -> Python dates, None where missing (what pages and tests compare with)."""
    return stamps.dt.date.astype(object).where(stamps.notna(), None)


def _last_contacts(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                   scope: Scope) -> pd.DataFrame:
    condition, params = account_filter(scope, "a")
    return db.query(con, f"""
        SELECT a.account_id, a.name, a.owner, c.last_contact
        FROM accounts a LEFT JOIN (
            SELECT account_id, max(interaction_date) AS last_contact FROM interactions
            WHERE interaction_date <= ?::DATE AND list_contains(?::VARCHAR[], channel)
            GROUP BY account_id) c USING (account_id)
        WHERE {condition}
        ORDER BY a.account_id""", [as_of, list(settings.cadence.contact_channels), *params])


def overdue_contacts(status: pd.DataFrame) -> pd.DataFrame:
    """Every overdue account of a `contact_status` frame, most overdue first: never truncated."""
    return status[status["overdue"]].reset_index(drop=True)


def compliance(status: pd.DataFrame, by: str) -> pd.DataFrame:
    """Cadence compliance grouped by `by` ('owner' or 'tier'): accounts, contacted (within their cadence, i.e.
    not overdue), share = contacted / accounts; sorted by share ascending (worst first), then the group.
    Accounts without an owner or tier are grouped under '—'."""
    keyed = status.assign(_group=status[by].fillna("—"), _ok=~status["overdue"].astype(bool))
    grouped = keyed.groupby("_group", sort=True).agg(accounts=("account_id", "size"), contacted=("_ok", "sum"))
    grouped["share"] = grouped["contacted"] / grouped["accounts"]
    grouped = grouped.reset_index().rename(columns={"_group": by})
    return grouped.sort_values(["share", by]).reset_index(drop=True)
