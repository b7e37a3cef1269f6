"""The import pipeline: files -> sheets with a proposed mapping -> preview -> one-transaction commit.

In: uploaded files as (name, bytes), a connection, settings (the configured stage names) and the user's choices
(mapping per sheet, what to do with unknown accounts). Out: `SheetPlan`s to show and edit, a `Preview` (per-table
counts read / created / updated / unchanged / rejected / skipped, the row-level error list, the prepared rows),
and on commit the batch id. `preview` writes nothing; `commit` re-runs the same steps inside its transaction, so
what lands is exactly what the preview counted against the data as it is at that moment.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from kam import db, derived
from kam.ingest import layout as layouts
from kam.ingest import mapping as maps
from kam.ingest import readers, resolve, store
from kam.ingest.plan import classify, hashes
from kam.ingest.schema import ORDER, TABLES
from kam.ingest.synonyms import SUMMARY_SHEETS
from kam.ingest.validate import ERROR_COLUMNS, clean, errors_frame
from kam.settings import Settings
from kam.vocab import normalise_label

COUNT_COLUMNS = ("read", "created", "updated", "unchanged", "rejected", "skipped")
_ACTIONS = {"created": "create", "updated": "update", "unchanged": "unchanged"}


@dataclass(frozen=True)
class SheetPlan:
    file: str
    sheet: str | None
    layout: layouts.Layout | None
    proposal: maps.Proposal
    hidden: bool = False

    @property
    def label(self) -> str:
        return self.file if self.sheet is None else f"{self.file} / {self.sheet}"

    @property
    def table(self) -> str | None:
        return self.proposal.table

    @property
    def headers(self) -> tuple[str, ...]:
        return () if self.layout is None else self.layout.headers


@dataclass(frozen=True)
class Preview:
    counts: pd.DataFrame                 # index: table; columns COUNT_COLUMNS
    errors: pd.DataFrame                 # ERROR_COLUMNS; sheet-level problems have no row
    frames: dict[str, pd.DataFrame]      # prepared rows per table, with '_action'
    keys: dict[str, tuple[str, ...]]

    def as_dict(self, ok: bool = True) -> dict:
        """The JSON shape of `python -m kam import --json`."""
        tables = {t: {c: int(v) for c, v in row.items()} for t, row in self.counts.iterrows()}
        errors = self.errors.astype(object).where(self.errors.notna(), None).to_dict("records")
        return {"ok": ok, "tables": tables, "errors": errors}


def read_sources(con: duckdb.DuckDBPyConnection, files: Sequence[tuple[str, bytes]],
                 tables: Mapping[str, tuple[str, ...]] | None = None) -> list[SheetPlan]:
    """Read every file and propose a table and column mapping for each sheet (InputError if a file is unreadable)."""
    plans = []
    for name, data in files:
        first = len(plans)
        for raw in readers.read_file(name, data, (tables or {}).get(name)):
            found = layouts.detect(raw.grid, maps.known_words())
            if found is None:
                plans.append(SheetPlan(name, raw.sheet, None, maps.Proposal(None, {}, {}, "empty sheet"), raw.hidden))
                continue
            proposal = maps.propose(found.headers, raw.sheet or name, maps.recall(con, found.headers))
            if raw.hidden:
                proposal = replace(proposal, table=None, reason="hidden sheet (choose a table to import it)")
            plans.append(SheetPlan(name, raw.sheet, found, proposal, raw.hidden))
        plans[first:] = _summaries_skipped(plans[first:])
    return plans


def _summaries_skipped(plans: list[SheetPlan]) -> list[SheetPlan]:
    """A file's summary sheet (汇总, Summary, Pivot ...) left out when another of its sheets fills the same table:
    its rows repeat that detail, and importing both would count the revenue twice."""
    def summary(plan: SheetPlan) -> bool:
        return any(word in normalise_label(plan.sheet or "") for word in SUMMARY_SHEETS)

    detail = {plan.table: plan.sheet for plan in plans if plan.table and not summary(plan)}
    return [replace(plan, proposal=replace(plan.proposal, table=None, reason=f"a summary of sheet "
                                           f"'{detail[plan.table]}' (choose a table to import it anyway)"))
            if plan.table in detail and summary(plan) else plan for plan in plans]


def with_mapping(plan: SheetPlan, table: str | None, mapping: Mapping[str, str | None]) -> SheetPlan:
    """The plan with the user's choice of table and columns (confidence 1.0 where the user changed a column)."""
    confidence = {h: (plan.proposal.confidence.get(h, 0.0) if plan.proposal.mapping.get(h) == c else 1.0)
                  for h, c in mapping.items()}
    reason = "" if table else (plan.proposal.reason or "not imported")
    return replace(plan, proposal=maps.Proposal(table, dict(mapping), confidence, reason))


def _stage_kinds(settings: Settings) -> dict[str, str]:
    return {stage[0]: stage[2] for stage in settings.funnel.stages}


def _clean_all(plans: Sequence[SheetPlan], settings: Settings):
    frames: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLES}
    errors: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLES}
    read = dict.fromkeys(TABLES, 0)
    skipped = dict.fromkeys(TABLES, 0)
    sheet_errors = []
    stages = tuple(_stage_kinds(settings))
    for plan in plans:
        if plan.table is None or plan.layout is None:
            sheet_errors.append({"file": plan.file, "sheet": plan.sheet, "row": None, "column": None,
                                 "value": None, "reason": f"sheet skipped: {plan.proposal.reason}"})
            continue
        cleaned = clean(plan.layout.body, plan.proposal.mapping, plan.table, file=plan.file, sheet=plan.sheet,
                        unit=plan.layout.unit, stages=stages)
        frames[plan.table].append(cleaned.frame.assign(_file=plan.file, _sheet=plan.sheet))
        errors[plan.table].append(cleaned.errors)
        read[plan.table] += cleaned.read
        skipped[plan.table] += plan.layout.skipped_total
    return frames, errors, read, skipped, sheet_errors


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["_file", "_sheet", "_row"])


def _prepare(con: duckdb.DuckDBPyConnection, plans: Sequence[SheetPlan], settings: Settings, policy: str):
    if policy not in resolve.UNKNOWN_ACCOUNT_POLICIES:
        raise ValueError(f"unknown_accounts must be one of {resolve.UNKNOWN_ACCOUNT_POLICIES}")
    parts, errors, read, skipped, sheet_errors = _clean_all(plans, settings)
    existing = db.query(con, "SELECT account_id, name FROM accounts")
    frames = {t: _concat(parts[t]) for t in TABLES}
    frames["accounts"] = resolve.prepare_accounts(frames["accounts"], existing)
    directory = pd.concat([existing, frames["accounts"].reindex(columns=["account_id", "name"])], ignore_index=True)
    for table in ORDER:
        if TABLES[table].account_ref and not frames[table].empty:
            frames[table], new, problems = resolve.link_accounts(frames[table], table, directory, policy)
            errors[table].append(problems)
            new = new[~new["account_id"].isin(directory["account_id"])]
            frames["accounts"] = pd.concat([frames["accounts"], new], ignore_index=True)
            directory = pd.concat([directory, new[["account_id", "name"]]], ignore_index=True)
    if not frames["opportunities"].empty and "stage" in frames["opportunities"]:
        frames["opportunities"]["status"] = frames["opportunities"]["stage"].map(_stage_kinds(settings))
    keys = {}
    for table in TABLES:
        if frames[table].empty:
            continue
        frames[table] = resolve.assign_keys(frames[table], table, hasher=lambda ids: hashes(con, ids))
        keys[table] = resolve.import_key(frames[table], table)
        frames[table], duplicates = resolve.drop_duplicates(frames[table], keys[table])
        errors[table].append(duplicates)
    return frames, keys, errors, read, skipped, sheet_errors


def _preview(con: duckdb.DuckDBPyConnection, plans: Sequence[SheetPlan], settings: Settings, policy: str) -> Preview:
    frames, keys, errors, read, skipped, sheet_errors = _prepare(con, plans, settings, policy)
    rows, all_errors = {}, [errors_frame(sheet_errors)]
    for table in ORDER:
        found = pd.concat([errors_frame(), *errors[table]], ignore_index=True)
        all_errors.append(found)
        actions = pd.Series([], dtype="str")
        if not frames[table].empty:
            frames[table]["_action"] = actions = classify(con, table, frames[table], keys[table])
        if read[table] or len(actions) or skipped[table] or len(found):
            rows[table] = {"read": read[table], **{label: int((actions == action).sum())
                                                   for label, action in _ACTIONS.items()},
                           "rejected": int(found[["file", "sheet", "row"]].drop_duplicates().shape[0]),
                           "skipped": skipped[table]}
    counts = pd.DataFrame.from_dict(rows, orient="index", columns=list(COUNT_COLUMNS)).fillna(0).astype("int64")
    errors_all = pd.concat(all_errors, ignore_index=True)[list(ERROR_COLUMNS)]
    return Preview(counts, errors_all, {t: f for t, f in frames.items() if not f.empty}, keys)


def _reclassify(con: duckdb.DuckDBPyConnection, shown: Preview) -> Preview:
    frames = {t: f.copy() for t, f in shown.frames.items()}
    counts = shown.counts.copy()
    for table, frame in frames.items():
        frame["_action"] = actions = classify(con, table, frame, shown.keys[table])
        for label, action in _ACTIONS.items():
            counts.loc[table, label] = int((actions == action).sum())
    return Preview(counts, shown.errors, frames, shown.keys)


def preview(con: duckdb.DuckDBPyConnection, plans: Sequence[SheetPlan], settings: Settings, *,
            unknown_accounts: str = "create") -> Preview:
    """What an import would do, without writing anything."""
    return _preview(con, plans, settings, unknown_accounts)


def commit(con: duckdb.DuckDBPyConnection, plans: Sequence[SheetPlan], settings: Settings, *, user: str,
           unknown_accounts: str = "create", progress: Callable[[float, str], None] | None = None,
           shown: Preview | None = None) -> tuple[int, Preview]:
    """Import in one transaction: everything the preview shows lands, or nothing does. Returns (batch_id, preview).

    `shown`: the preview the user saw for these same plans; its cleaned rows are reused (no second parse) and only
    create/update/unchanged is decided again, inside the transaction, against the data as it is now."""
    with db.transaction(con):
        store.hold_lock(con, user)  # before reading what is stored: a concurrent import fails here, not later
        result = _reclassify(con, shown) if shown is not None else _preview(con, plans, settings, unknown_accounts)
        used = [p for p in plans if p.table]
        batch_id = store.new_batch(
            con, files=", ".join(dict.fromkeys(p.file for p in used)) or "-",
            sheets=", ".join(dict.fromkeys(p.sheet for p in used if p.sheet)),
            tables=", ".join(result.frames), user=user,
            counts={"tables": result.as_dict()["tables"],
                    "sources": [{"file": p.file, "sheet": p.sheet, "table": p.table} for p in used]})
        for step, table in enumerate(t for t in ORDER if t in result.frames):
            if progress:
                progress(step / max(len(result.frames), 1), table)
            store.write_table(con, table, result.frames[table], result.keys[table], batch_id, user)
        store.log_follow_up_events(con, batch_id, user)
        if "opportunities" in result.frames:
            store.log_stage_changes(con, result.frames["opportunities"], batch_id)
        for plan in used:
            maps.remember(con, plan.headers, plan.table, plan.proposal.mapping, user)
        derived.refresh(con, result.frames)
    if progress:
        progress(1.0, "")
    return batch_id, result


undo = store.undo
history = store.history
