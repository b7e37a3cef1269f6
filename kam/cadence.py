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
import pandas as pd

from kam import db
from kam.scope import Scope, account_filter
from kam.settings import Settings


def contact_status(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                   tier_ranks: pd.DataFrame, scope: Scope = Scope()) -> pd.DataFrame:
    """One row per account in scope: account_id, name, owner, tier_rank, tier (label), cadence_days,
    last_contact, next_due, overdue (next_due before as_of, or never contacted), days_overdue (days past
    next_due; NA when never contacted), sorted most overdue first (never contacted at the very top)."""
    frame = _last_contacts(con, settings, as_of, scope).merge(
        tier_ranks[["account_id", "tier_rank"]], on="account_id", how="left")
    days, labels = settings.cadence.days_by_tier, settings.tiers.labels
    rank = frame["tier_rank"].fillna(len(days) - 1).astype(int).clip(upper=len(days) - 1)
    frame["tier_rank"] = frame["tier_rank"].astype("Int64")
    frame["tier"] = [labels[r] if pd.notna(r) and r < len(labels) else None for r in frame["tier_rank"]]
    frame["cadence_days"] = [days[r] for r in rank]
    frame["next_due"] = [None if pd.isna(last) else last + dt.timedelta(days=int(d))
                         for last, d in zip(frame["last_contact"], frame["cadence_days"])]
    frame["days_overdue"] = pd.array([None if due is None else max((as_of - due).days, 0)
                                      for due in frame["next_due"]], dtype="Int64")
    frame["overdue"] = frame["last_contact"].isna() | (frame["days_overdue"] > 0).fillna(True)
    order = frame.assign(_never=frame["last_contact"].isna())
    order = order.sort_values(["_never", "days_overdue", "account_id"], ascending=[False, False, True])
    return order.drop(columns="_never").reset_index(drop=True)[
        ["account_id", "name", "owner", "tier_rank", "tier", "cadence_days", "last_contact", "next_due",
         "overdue", "days_overdue"]]


def _last_contacts(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                   scope: Scope) -> pd.DataFrame:
    condition, params = account_filter(scope, "a")
    frame = db.query(con, f"""
        SELECT a.account_id, a.name, a.owner, max(i.interaction_date) AS last_contact
        FROM accounts a LEFT JOIN interactions i
          ON i.account_id = a.account_id AND i.interaction_date <= ?::DATE
         AND list_contains(?::VARCHAR[], i.channel)
        WHERE {condition}
        GROUP BY ALL ORDER BY a.account_id""", [as_of, list(settings.cadence.contact_channels), *params])
    frame["last_contact"] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in frame["last_contact"]]
    return frame


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
