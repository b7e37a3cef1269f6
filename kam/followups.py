"""Follow-ups: the only records users write in kam, so the one place that must never lose an edit.

In: a connection, the editor's name, and the values of one follow-up (from a form, a data-editor row, a warning).
Out: follow-up ids and versions on writes; DataFrames on reads (lists, my follow-ups, overdue).

Every write is one transaction that (1) changes follow_ups and (2) appends a follow_up_events row (who, when, old
and new values). An update names the version the editor was shown; `... WHERE follow_up_id = ? AND version = ?`
with the returned row checked means a second editor of the same version is refused with ConflictError carrying
the first editor's current values, instead of silently overwriting them (a read-then-write lost 150 of 400 edits
under 8 threads; this lost 0). Event format, shared with the demo builder and the importer: 'created' carries
all EDITABLE columns in new_values, 'updated' only the changed columns in old_values/new_values, dates as ISO
strings; kam.followups_history replays them.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from kam import db
from kam.errors import ConflictError, DatabaseError, InputError
from kam.scope import Scope, account_filter
from kam.settings import Settings
from kam.vocab import canonical_channel, canonical_follow_up_status

EDITABLE = ("account_id", "owner", "due_date", "channel", "action", "status", "outcome", "next_step",
            "next_step_date", "warning_rule")
DATE_COLUMNS = ("due_date", "next_step_date")
OPEN_STATUSES = ("open", "in_progress")
CLOSED_STATUSES = ("done", "cancelled")
STATUSES = OPEN_STATUSES + CLOSED_STATUSES


# ---- values ------------------------------------------------------------------------------------------------

def _blank(value: Any) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    return not isinstance(value, (str, dt.date)) and bool(pd.isna(value))


def _as_date(value: Any, column: str) -> dt.date:
    if isinstance(value, dt.datetime):  # pd.Timestamp included
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InputError(f"not a date: {value!r}", column=column) from None


def clean_value(column: str, value: Any) -> Any:
    """The stored form of one editable value: None for blanks, dates as date, codes canonical, text stripped."""
    if column not in EDITABLE:
        raise InputError(f"not an editable column: {column!r}", column=column)
    if _blank(value):
        return None
    if column in DATE_COLUMNS:
        return _as_date(value, column)
    if column == "status":
        return _canonical(canonical_follow_up_status, value, column)
    if column == "channel":
        return _canonical(canonical_channel, value, column)
    return str(value).strip()


def _canonical(lookup, value: Any, column: str) -> str:
    found = lookup(value)
    if found is None:
        raise InputError(f"unknown value {value!r}", column=column)
    return found


def to_json(values: Mapping[str, Any]) -> str:
    """Values as the JSON object stored in follow_up_events (dates as ISO strings)."""
    return json.dumps({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()},
                      ensure_ascii=False, sort_keys=True)


def _require_user(user: str | None) -> str:
    if _blank(user):
        raise InputError("a user name is required to change follow-ups (it is recorded on every change)")
    return str(user).strip()


# ---- writes ------------------------------------------------------------------------------------------------

def create(con: duckdb.DuckDBPyConnection, values: Mapping[str, Any], *, user: str) -> int:
    """Insert a follow-up at version 1 with its 'created' event; return its id. Status defaults to 'open'."""
    user = _require_user(user)
    row = {column: clean_value(column, values.get(column)) for column in EDITABLE}
    row["status"] = row["status"] or "open"
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InputError(f"not editable columns: {sorted(unknown)}")
    with db.transaction(con):
        _check_account(con, row["account_id"])
        columns = ", ".join(EDITABLE)
        follow_up_id = int(db.scalar(con, f"""
            INSERT INTO follow_ups ({columns}, created_by, updated_by, version)
            VALUES ({', '.join('?' * len(EDITABLE))}, ?, ?, 1) RETURNING follow_up_id""",
            [*(row[c] for c in EDITABLE), user, user]))
        _log(con, follow_up_id, "created", 1, user, None, row)
    return follow_up_id


def update(con: duckdb.DuckDBPyConnection, follow_up_id: int, changes: Mapping[str, Any], *,
           version: int, user: str) -> int:
    """Apply `changes` to a follow-up last seen at `version`; return its new version (unchanged when nothing
    differs). Raises ConflictError (with the current values and what changed since `version`) when someone
    saved it in between; nothing is written then."""
    user = _require_user(user)
    wanted = {column: clean_value(column, value) for column, value in changes.items()}
    try:
        with db.transaction(con):
            current = get(con, follow_up_id)
            if current["version"] != version:
                raise _conflict(con, follow_up_id, version, current)
            diff = {c: v for c, v in wanted.items() if v != current[c]}
            if not diff:
                return version
            _check_row({**{c: current[c] for c in EDITABLE}, **diff})
            if "account_id" in diff:
                _check_account(con, diff["account_id"])
            return _write(con, follow_up_id, version, user, {c: current[c] for c in diff}, diff)
    except DatabaseError as exc:
        if isinstance(exc.__cause__, duckdb.TransactionException):  # a concurrent save of the same row won
            raise _conflict(con, follow_up_id, version, get(con, follow_up_id)) from exc
        raise


def _write(con: duckdb.DuckDBPyConnection, follow_up_id: int, version: int, user: str,
           old: dict[str, Any], new: dict[str, Any]) -> int:
    assignments = ", ".join(f"{db.quote_ident(c)} = ?" for c in new)
    new_version = db.scalar(con, f"""
        UPDATE follow_ups SET {assignments}, version = version + 1, updated_by = ?, updated_at = current_timestamp
        WHERE follow_up_id = ? AND version = ? RETURNING version""",
        [*new.values(), user, follow_up_id, version])
    if new_version is None:
        raise _conflict(con, follow_up_id, version, get(con, follow_up_id))
    _log(con, follow_up_id, "updated", int(new_version), user, old, new)
    return int(new_version)


def _log(con: duckdb.DuckDBPyConnection, follow_up_id: int, event_type: str, version: int, user: str,
         old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> None:
    db.execute(con, "INSERT INTO follow_up_events (follow_up_id, event_type, version, changed_by, old_values, "
                    "new_values) VALUES (?, ?, ?, ?, ?, ?)",
               [follow_up_id, event_type, version, user, None if old is None else to_json(old), to_json(new)])


def _check_row(row: Mapping[str, Any]) -> None:
    if row.get("account_id") is None:
        raise InputError("a follow-up needs an account", column="account_id")
    if row.get("status") is None:
        raise InputError("a follow-up needs a status", column="status")


def _check_account(con: duckdb.DuckDBPyConnection, account_id: str | None) -> None:
    if account_id is None:
        raise InputError("a follow-up needs an account", column="account_id")
    if db.scalar(con, "SELECT count(*) FROM accounts WHERE account_id = ?", [account_id]) == 0:
        raise InputError(f"unknown account {account_id!r}", column="account_id")


def _conflict(con: duckdb.DuckDBPyConnection, follow_up_id: int, version: int,
              current: dict[str, Any]) -> ConflictError:
    from kam.followups_history import changes_since  # the history module reads events; it imports this one

    current = {**current, "changes": changes_since(con, follow_up_id, version)}
    who = current.get("updated_by") or "someone"
    return ConflictError(f"follow-up {follow_up_id} was changed by {who} (now version {current['version']}, "
                         f"you edited version {version}); your change was not saved", current)


# ---- reads -------------------------------------------------------------------------------------------------

def get(con: duckdb.DuckDBPyConnection, follow_up_id: int) -> dict[str, Any]:
    """One follow-up as a dict: EDITABLE columns (dates as date), version, updated_by, updated_at."""
    cursor = db.execute(con, f"SELECT {', '.join(EDITABLE)}, version, updated_by, updated_at FROM follow_ups "
                             "WHERE follow_up_id = ?", [follow_up_id])
    row = cursor.fetchone()
    if row is None:
        raise InputError(f"no follow-up {follow_up_id}")
    return dict(zip((*EDITABLE, "version", "updated_by", "updated_at"), row))


def follow_up_list(con: duckdb.DuckDBPyConnection, as_of: dt.date, *, scope: Scope = Scope(),
                   owner: str | None = None, account_id: str | None = None,
                   statuses: tuple[str, ...] = STATUSES) -> pd.DataFrame:
    """Follow-ups of accounts in scope (optionally one owner's / one account's, only some statuses), sorted by due
    date (undated last). Columns: follow_up_id, account_id, account_name, EDITABLE columns, version,
    updated_by, updated_at, overdue (open or in progress and due before `as_of`), days_overdue (0 unless
    overdue)."""
    condition, params = account_filter(scope, "a")
    return db.query(con, f"""
        SELECT f.follow_up_id, f.account_id, a.name AS account_name, f.owner, f.due_date, f.channel, f.action,
               f.status, f.outcome, f.next_step, f.next_step_date, f.warning_rule, f.version, f.updated_by,
               f.updated_at,
               coalesce(f.status IN ('open', 'in_progress') AND f.due_date < ?::DATE, FALSE) AS overdue,
               CASE WHEN f.status IN ('open', 'in_progress') AND f.due_date < ?::DATE
                    THEN date_diff('day', f.due_date, ?::DATE) ELSE 0 END AS days_overdue
        FROM follow_ups f JOIN accounts a USING (account_id)
        WHERE {condition} AND (?::VARCHAR IS NULL OR f.owner = ?) AND (?::VARCHAR IS NULL OR f.account_id = ?)
          AND list_contains(?::VARCHAR[], f.status)
        ORDER BY f.due_date NULLS LAST, f.follow_up_id""",
        [as_of, as_of, as_of, *params, owner, owner, account_id, account_id, list(statuses)])


def overdue(con: duckdb.DuckDBPyConnection, as_of: dt.date, scope: Scope = Scope()) -> pd.DataFrame:
    """Every open or in-progress follow-up due before `as_of`, oldest first: never truncated."""
    frame = follow_up_list(con, as_of, scope=scope, statuses=OPEN_STATUSES)
    return frame[frame["overdue"]].reset_index(drop=True)


@dataclass(frozen=True)
class Counts:
    """How one owner's open follow-ups stand: open (open or in progress), overdue, due_soon (due from as_of up to
    settings.cadence.due_soon_days - 1 days later: 'due this week')."""
    open: int
    overdue: int
    due_soon: int


def my_follow_ups(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date, owner: str | None, *,
                  include_closed: bool = False, scope: Scope = Scope()) -> tuple[pd.DataFrame, Counts]:
    """One owner's follow-ups sorted by due date (all owners' when `owner` is None), and their counts."""
    statuses = STATUSES if include_closed else OPEN_STATUSES
    frame = follow_up_list(con, as_of, scope=scope, owner=owner, statuses=statuses)
    open_rows = frame[frame["status"].isin(OPEN_STATUSES)]
    due = pd.to_datetime(open_rows["due_date"]).dt.date
    horizon = as_of + dt.timedelta(days=settings.cadence.due_soon_days)
    due_soon = int(((due >= as_of) & (due < horizon)).fillna(False).sum())
    return frame, Counts(len(open_rows), int(open_rows["overdue"].sum()), due_soon)


def account_owner(con: duckdb.DuckDBPyConnection, account_id: str) -> str | None:
    """The account's owner: the default owner of a new follow-up for it."""
    return db.scalar(con, "SELECT owner FROM accounts WHERE account_id = ?", [account_id])
