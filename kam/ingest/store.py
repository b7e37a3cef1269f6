"""Store: commit and undo: write planned rows into the model tables, and take a whole import back out again.

In: a connection inside the caller's transaction, per table the prepared frame with its '_action' column, and the
batch id. Out: the tables changed, every written row carrying batch_id, and the undo log filled: for each row an
import updated, its full before-image (kam/migrations/002_ingest.sql); a created row is known by its batch_id
(only created follow-ups and stage history rows also log their keys). Undo deletes the batch's rows and re-inserts
the before-images, so the tables return to exactly their previous content. Imported follow-ups start at version 1
with a 'created' event (an update bumps the version and logs an 'updated' event), in the same transaction, like
every other follow-up write.
"""
from __future__ import annotations

import json

import duckdb
import pandas as pd

from kam import db, derived
from kam.errors import ConflictError, DatabaseError, InputError
from kam.ingest.plan import SOURCE, arrow, key_match, model_columns, staged
from kam.ingest.schema import FOLLOW_UP_EDITABLE, ORDER

PRIMARY: dict[str, tuple[str, ...]] = {
    "owners": ("name",), "accounts": ("account_id",), "contacts": ("contact_id",), "orders": ("order_id", "line_no"),
    "payments": ("invoice_id",), "interactions": ("interaction_id",), "opportunities": ("opportunity_id",),
    "opportunity_stage_history": ("opportunity_id", "stage", "entered_date"), "follow_ups": ("follow_up_id",)}
CREATE_ONLY = "'create' AS _action"   # the action of every row when none is an update
UNINDEXED = frozenset({"orders"})  # its key is kept unique by the import itself, not by an index (migration 006)
_LOCK_BUSY = "another import or undo is being saved right now: try again when it has finished"


def _undo_table(table: str) -> str:
    return db.quote_ident(f"ingest_undo_{table}")


def hold_lock(con: duckdb.DuckDBPyConnection, user: str) -> None:
    """The first write of every import and undo (inside its transaction): imports then run one at a time, so two
    of them never both insert the same new order key (orders have no key index to refuse the second)."""
    try:
        db.execute(con, "UPDATE import_lock SET held_by = ?, held_at = current_timestamp WHERE lock_id = 1", [user])
    except DatabaseError as exc:
        if "conflict" not in str(exc).lower():
            raise
        raise ConflictError(_LOCK_BUSY) from exc


def new_batch(con: duckdb.DuckDBPyConnection, *, files: str, sheets: str, tables: str, user: str,
              counts: dict) -> int:
    return int(db.execute(con, "INSERT INTO import_batches (source_file, source_sheet, target_table, imported_by, "
                               "counts) VALUES (?, ?, ?, ?, ?) RETURNING batch_id",
                          [files, sheets, tables, user, json.dumps(counts, ensure_ascii=False)]).fetchone()[0])


def write_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, key: tuple[str, ...],
                batch_id: int, user: str) -> None:
    """Apply the 'create' and 'update' rows of `frame` to `table` (the caller holds the transaction)."""
    writes = frame["_action"].isin(["create", "update"])
    todo = frame if writes.all() else frame[writes]
    if todo.empty:
        return
    columns, target, undo = model_columns(todo), db.quote_ident(table), _undo_table(table)
    updating = bool(todo["_action"].eq("update").any())  # a first import creates only: no before-images, no UPDATE
    # Without updates every row is a 'create': the actions need not be converted and scanned again.
    helpers = ["_action"] if updating else []
    source = arrow(todo[columns + helpers].assign(_idx=range(len(todo))))
    with db.registered(con, SOURCE, source) as name:
        rows = f"({staged(con, table, columns, name, 's._action' if updating else CREATE_ONLY)})"
        if updating:
            db.execute(con, f"INSERT INTO {undo} BY NAME SELECT ? AS undo_batch_id, 'updated' AS undo_action, t.* "
                            f"FROM {target} t WHERE EXISTS (SELECT 1 FROM {rows} s WHERE s._action = 'update' "
                            f"AND {key_match(key)})", [batch_id])
            _update(con, table, rows, columns, key, batch_id, user)
        extra, params = _audit(table, user)
        pk = PRIMARY[table]
        # New rows go in primary-key order where DuckDB indexes the key: it then builds the index about twice as
        # fast, more than the sort costs. Orders have no index (migration 006), so there the sort would be waste.
        order = (" ORDER BY " + ", ".join(f"s.{db.quote_ident(c)}" for c in pk)) \
            if table not in UNINDEXED and set(pk) <= set(columns) else ""
        db.execute(con, f"INSERT INTO {target} BY NAME SELECT {', '.join(_insert_expr(table, c) for c in columns)}, "
                        f"? AS batch_id{extra} FROM {rows} s WHERE s._action = 'create'{order}", [batch_id, *params])
    if table != "follow_ups":
        return  # undo finds the rows this batch created by their batch_id: no key log to write (or to scan)
    # Follow-ups also log their created keys: undo checks those for edits made since the import.
    pk_list = ", ".join(db.quote_ident(c) for c in pk)
    db.execute(con, f"INSERT INTO {undo} (undo_batch_id, undo_action, {pk_list}) SELECT ?, 'created', {pk_list} "
                    f"FROM {target} t WHERE t.batch_id = ? AND NOT EXISTS (SELECT 1 FROM {undo} u WHERE "
                    f"u.undo_batch_id = ? AND u.undo_action = 'updated' AND {key_match(pk, 'u', 't')})",
               [batch_id, batch_id, batch_id])


def _insert_expr(table: str, column: str) -> str:
    if table == "follow_ups" and column == "follow_up_id":  # a new follow-up without an id takes the next one
        return "coalesce(s.follow_up_id, nextval('seq_follow_up')) AS follow_up_id"
    return f"s.{db.quote_ident(column)}"


def _audit(table: str, user: str) -> tuple[str, list]:
    """Extra columns a follow-up write sets (who created/updated it, its version)."""
    if table != "follow_ups":
        return "", []
    return ", ? AS created_by, ? AS updated_by, 1 AS version", [user, user]


def _update(con: duckdb.DuckDBPyConnection, table: str, rows: str, columns: list[str], key: tuple[str, ...],
            batch_id: int, user: str) -> None:
    sets = [f"{db.quote_ident(c)} = s.{db.quote_ident(c)}" for c in columns if c not in key] + ["batch_id = ?"]
    params: list = [batch_id]
    if table == "follow_ups":
        sets += ["version = t.version + 1", "updated_by = ?", "updated_at = current_timestamp"]
        params.append(user)
    db.execute(con, f"UPDATE {db.quote_ident(table)} t SET {', '.join(sets)} FROM {rows} s "
                    f"WHERE s._action = 'update' AND {key_match(key)}", params)


def _json_of(alias: str) -> str:
    return "json_object(" + ", ".join(f"'{c}', {alias}.{db.quote_ident(c)}" for c in sorted(FOLLOW_UP_EDITABLE)) + ")"


def log_follow_up_events(con: duckdb.DuckDBPyConnection, batch_id: int, user: str) -> None:
    """'created' (version 1, old NULL) or 'updated' events for the follow-ups this batch wrote."""
    last = db.scalar(con, "SELECT coalesce(max(event_id), 0) FROM follow_up_events")
    db.execute(con, f"""
        INSERT INTO follow_up_events (follow_up_id, event_type, version, changed_by, old_values, new_values)
        SELECT f.follow_up_id, CASE WHEN u.follow_up_id IS NULL THEN 'created' ELSE 'updated' END, f.version, ?,
               CASE WHEN u.follow_up_id IS NULL THEN NULL ELSE {_json_of('u')} END, {_json_of('f')}
        FROM follow_ups f LEFT JOIN ingest_undo_follow_ups u
          ON u.undo_batch_id = ? AND u.undo_action = 'updated' AND u.follow_up_id = f.follow_up_id
        WHERE f.batch_id = ? ORDER BY f.follow_up_id""", [user, batch_id, batch_id])
    db.execute(con, "INSERT INTO ingest_undo_events SELECT ?, event_id FROM follow_up_events WHERE event_id > ?",
               [batch_id, last])


def log_stage_changes(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, batch_id: int) -> None:
    """A stage history row for each deal this batch created or moved to another stage, dated by the sheet's stage
    date column (`_stage_date`). Without that date nothing is added: the import date would be a guess, and the
    funnel reads these dates as when a deal entered its stage. Rows already in the history are left alone."""
    if "_stage_date" not in frame:
        return
    moved = frame[frame["_action"].isin(["create", "update"]) & frame["_stage_date"].notna()]
    if moved.empty:
        return
    source = arrow(pd.DataFrame({"opportunity_id": moved["opportunity_id"], "entered_date": moved["_stage_date"]}))
    with db.registered(con, SOURCE, source) as name:
        db.execute(con, f"""
            INSERT INTO opportunity_stage_history (opportunity_id, stage, entered_date, batch_id)
            SELECT DISTINCT o.opportunity_id, o.stage, CAST(s.entered_date AS DATE), ?
            FROM {name} s JOIN opportunities o ON o.opportunity_id = s.opportunity_id AND o.batch_id = ?
            LEFT JOIN ingest_undo_opportunities u
              ON u.undo_batch_id = ? AND u.undo_action = 'updated' AND u.opportunity_id = o.opportunity_id
            WHERE (u.opportunity_id IS NULL OR u.stage IS DISTINCT FROM o.stage)
              AND NOT EXISTS (SELECT 1 FROM opportunity_stage_history h WHERE h.opportunity_id = o.opportunity_id
                              AND h.stage = o.stage AND h.entered_date = CAST(s.entered_date AS DATE))""",
                   [batch_id, batch_id, batch_id])
    db.execute(con, """
        INSERT INTO ingest_undo_opportunity_stage_history (undo_batch_id, undo_action, opportunity_id, stage,
                                                           entered_date)
        SELECT ?, 'created', h.opportunity_id, h.stage, h.entered_date FROM opportunity_stage_history h
        WHERE h.batch_id = ? AND NOT EXISTS (SELECT 1 FROM ingest_undo_opportunity_stage_history u
            WHERE u.undo_batch_id = ? AND u.opportunity_id = h.opportunity_id AND u.stage = h.stage
              AND u.entered_date = h.entered_date)""", [batch_id, batch_id, batch_id])


def _check_undoable(con: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    status = db.scalar(con, "SELECT status FROM import_batches WHERE batch_id = ?", [batch_id])
    if status is None:
        raise InputError(f"no import batch {batch_id}")
    if status != "committed":
        raise ConflictError(f"import {batch_id} is already {status}")
    later = db.scalar(con, "SELECT min(batch_id) FROM import_batches WHERE batch_id > ? AND status = 'committed'",
                      [batch_id])
    if later is not None:  # a later import may have changed the same rows: undo it first
        raise ConflictError(f"import {later} came after import {batch_id}: undo it first")
    edited = db.scalar(con, """
        SELECT count(*) FROM follow_up_events e
        WHERE e.follow_up_id IN (SELECT follow_up_id FROM ingest_undo_follow_ups WHERE undo_batch_id = ?)
          AND e.event_id NOT IN (SELECT event_id FROM ingest_undo_events WHERE batch_id = ?)
          AND e.event_id > (SELECT coalesce(min(event_id), 0) FROM ingest_undo_events WHERE batch_id = ?)""",
                       [batch_id, batch_id, batch_id])
    if edited:
        raise ConflictError(f"{edited} follow-up change(s) were made after import {batch_id}; it cannot be undone")


def undo(con: duckdb.DuckDBPyConnection, batch_id: int, *, user: str) -> None:
    """Take back every row of one import and restore the rows it updated, in one transaction."""
    with db.transaction(con):
        hold_lock(con, user)
        _check_undoable(con, batch_id)
        for table in reversed(ORDER):
            target, log, pk = db.quote_ident(table), _undo_table(table), PRIMARY[table]
            # Every row the batch created or updated carries its batch_id (a later batch that changed one must be
            # undone first); the log's keys also cover batches logged before created keys were left out.
            db.execute(con, f"DELETE FROM {target} t WHERE t.batch_id = ? OR EXISTS (SELECT 1 FROM {log} u WHERE "
                            f"u.undo_batch_id = ? AND {key_match(pk, 'u', 't')})", [batch_id, batch_id])
            db.execute(con, f"INSERT INTO {target} BY NAME SELECT * EXCLUDE (undo_batch_id, undo_action) "
                            f"FROM {log} WHERE undo_batch_id = ? AND undo_action = 'updated'", [batch_id])
        db.execute(con, "DELETE FROM follow_up_events WHERE event_id IN "
                        "(SELECT event_id FROM ingest_undo_events WHERE batch_id = ?)", [batch_id])
        db.execute(con, "UPDATE import_batches SET status = 'undone', counts = json_merge_patch(counts, ?) "
                        "WHERE batch_id = ?", [json.dumps({"undone_by": user}), batch_id])
        derived.refresh(con, ORDER)


def history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Imports, newest first: batch_id, imported_at, imported_by, source_file, source_sheet, target_table,
    status, created, updated, rejected (totals over the batch's tables)."""
    frame = db.query(con, """
        SELECT batch_id, imported_at, imported_by, source_file, source_sheet, target_table, status, counts
        FROM import_batches ORDER BY batch_id DESC""")
    totals = frame["counts"].map(lambda text: _totals(json.loads(text) if text else {}))
    for column in ("created", "updated", "rejected"):
        frame[column] = totals.map(lambda t, c=column: t.get(c, 0)).astype("int64")
    return frame.drop(columns="counts")


def _totals(counts: dict) -> dict[str, int]:
    tables = counts.get("tables", {})
    return {k: sum(int(t.get(k, 0)) for t in tables.values()) for k in ("created", "updated", "rejected")}
