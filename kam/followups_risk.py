"""Closing the loop on early warnings: which warnings have a follow-up, and did the warning clear afterwards.

In: a connection, the as-of date, a scope, and the active warning list (kam.risk.warning_list's frame: at least
account_id, owner, rule). A follow-up answers a warning when it has the same account_id and warning_rule.
Out: the warnings with their follow-up state, the closed follow-ups whose warning is no longer active
(cleared), and the pre-filled values for creating a follow-up from a warning in one step.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd

from kam import db
from kam.followups import CLOSED_STATUSES, OPEN_STATUSES
from kam.scope import Scope, account_filter
from kam.settings import Settings

_KEY = ["account_id", "rule"]


def _answering(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Follow-ups created for a warning: follow_up_id, account_id, rule, status, due_date, updated_at."""
    condition, params = account_filter(scope, "a")
    return db.query(con, f"""
        SELECT f.follow_up_id, f.account_id, f.warning_rule AS rule, f.status, f.due_date, f.outcome, f.updated_at
        FROM follow_ups f JOIN accounts a USING (account_id)
        WHERE f.warning_rule IS NOT NULL AND {condition}
        ORDER BY f.account_id, f.warning_rule, f.follow_up_id""", params)


def warning_states(con: duckdb.DuckDBPyConnection, warnings: pd.DataFrame, scope: Scope = Scope()) -> pd.DataFrame:
    """The warnings (same rows and order) plus follow_up_state: 'open' (an open or in-progress follow-up
    answers it), 'closed' (only done/cancelled ones: the warning is still active, so it did not clear), or
    'none'; follow_up_id (the open one due first, else the last closed one; NA for 'none'), follow_up_status."""
    found = _answering(con, scope)
    found["_open"] = found["status"].isin(OPEN_STATUSES)
    # open ones first (earliest due), then the most recent closed one
    found = found.sort_values(["_open", "due_date", "follow_up_id"], ascending=[False, True, False])
    first = found.drop_duplicates(_KEY)[[*_KEY, "follow_up_id", "status", "_open"]]
    merged = warnings.reset_index(drop=True).merge(first, on=_KEY, how="left")
    merged["follow_up_state"] = [
        "none" if pd.isna(status) else "open" if is_open else "closed"
        for status, is_open in zip(merged["status"], merged["_open"])]
    merged["follow_up_id"] = merged["follow_up_id"].astype("Int64")
    return merged.drop(columns="_open").rename(columns={"status": "follow_up_status"})


def cleared(con: duckdb.DuckDBPyConnection, warnings: pd.DataFrame, scope: Scope = Scope()) -> pd.DataFrame:
    """Closed follow-ups whose warning (account_id, rule) is no longer in the active list: the warning cleared
    after the follow-up. Columns: follow_up_id, account_id, rule, status, outcome, closed_at; newest first."""
    found = _answering(con, scope)
    closed = found[found["status"].isin(CLOSED_STATUSES)]
    active = set(zip(warnings["account_id"], warnings["rule"])) if len(warnings) else set()
    keep = pd.Series([(a, r) not in active for a, r in zip(closed["account_id"], closed["rule"])],
                     index=closed.index, dtype=bool)
    result = closed[keep].rename(columns={"updated_at": "closed_at"})
    return result.sort_values(["closed_at", "follow_up_id"], ascending=False).reset_index(drop=True)[
        ["follow_up_id", "account_id", "rule", "status", "outcome", "closed_at"]]


def from_warning(warning: Mapping[str, Any], reason: str, settings: Settings, as_of: dt.date) -> dict[str, Any]:
    """The values of a follow-up answering `warning`: its account and owner, the warning's reason as the action,
    its rule, due settings.cadence.new_follow_up_days after `as_of`, status open."""
    return {"account_id": warning["account_id"], "owner": warning.get("owner"), "action": reason,
            "warning_rule": warning["rule"], "status": "open",
            "due_date": as_of + dt.timedelta(days=settings.cadence.new_follow_up_days)}

