"""The follow-up audit trail: who changed what and when, and the proof that nothing was lost.

In: a connection (and an account or follow-up id). Out: the event list as a DataFrame with a readable change
text, the changes made since a given version (for conflict messages), and two dicts of the same shape
{follow_up_id: {column: value, ..., "version": n}}: `replay` rebuilds them from follow_up_events alone and
`snapshot` reads follow_ups; they are equal when every write logged its event (dates as ISO strings, as stored
in the events).
"""
from __future__ import annotations

import json
from typing import Any

import duckdb
import pandas as pd

from kam import db
from kam.followups import EDITABLE, to_json


def audit_trail(con: duckdb.DuckDBPyConnection, *, account_id: str | None = None,
                follow_up_id: int | None = None) -> pd.DataFrame:
    """Events, newest first: event_id, follow_up_id, account_id, event_type, version, changed_by, changed_at,
    old_values, new_values (JSON text) and change ('field: old → new; ...')."""
    frame = db.query(con, """
        SELECT e.event_id, e.follow_up_id, f.account_id, e.event_type, e.version, e.changed_by, e.changed_at,
               e.old_values::VARCHAR AS old_values, e.new_values::VARCHAR AS new_values
        FROM follow_up_events e LEFT JOIN follow_ups f USING (follow_up_id)
        WHERE (?::VARCHAR IS NULL OR f.account_id = ?) AND (?::INTEGER IS NULL OR e.follow_up_id = ?)
        ORDER BY e.changed_at DESC, e.event_id DESC""", [account_id, account_id, follow_up_id, follow_up_id])
    frame["change"] = [describe(old, new) for old, new in zip(frame["old_values"], frame["new_values"])]
    return frame


def describe(old_json: str | None, new_json: str | None) -> str:
    """'status: open → done; outcome: — → signed' from an event's JSON values (blanks shown as —)."""
    old, new = _load(old_json), _load(new_json)
    created = _null(old_json)  # a creation lists only the columns it filled
    parts = [f"{column}: {_show(old.get(column))} → {_show(value)}" for column, value in sorted(new.items())
             if not (created and value is None)]
    return "; ".join(parts)


def _null(text: str | None) -> bool:
    return text is None or (not isinstance(text, str) and bool(pd.isna(text)))


def _load(text: str | None) -> dict[str, Any]:
    return {} if _null(text) else json.loads(text)


def _show(value: Any) -> str:
    return "—" if value is None else str(value)


def changes_since(con: duckdb.DuckDBPyConnection, follow_up_id: int, version: int) -> dict[str, Any]:
    """The columns changed after `version` and their value now, with who changed them last:
    {column: new value, ...} (dates as ISO strings)."""
    frame = db.query(con, "SELECT new_values::VARCHAR AS new_values FROM follow_up_events "
                          "WHERE follow_up_id = ? AND version > ? ORDER BY version", [follow_up_id, version])
    merged: dict[str, Any] = {}
    for text in frame["new_values"]:
        merged.update(_load(text))
    return merged


def replay(con: duckdb.DuckDBPyConnection) -> dict[int, dict[str, Any]]:
    """Every follow-up rebuilt from its events alone: 'created' sets all columns, 'updated' the changed ones."""
    events = db.query(con, "SELECT follow_up_id, event_type, version, new_values::VARCHAR AS new_values "
                           "FROM follow_up_events ORDER BY follow_up_id, version, event_id")
    rows: dict[int, dict[str, Any]] = {}
    for follow_up_id, event_type, version, new_values in events.itertuples(index=False):
        start = {column: None for column in EDITABLE} if event_type == "created" else rows.get(int(follow_up_id), {})
        rows[int(follow_up_id)] = {**start, **_load(new_values), "version": int(version)}
    return rows


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[int, dict[str, Any]]:
    """The follow_ups table in the same shape as `replay` (dates as ISO strings)."""
    cursor = db.execute(con, f"SELECT follow_up_id, {', '.join(EDITABLE)}, version FROM follow_ups")
    rows = {}
    for follow_up_id, *values, version in cursor.fetchall():
        rows[int(follow_up_id)] = {**json.loads(to_json(dict(zip(EDITABLE, values)))), "version": int(version)}
    return rows
