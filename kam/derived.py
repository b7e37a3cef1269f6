"""Derived tables: summaries stored beside their source tables so that reads at a million rows stay cheap.

Every writer that changes a source table calls `refresh(con, touched)` inside its own transaction, naming the
tables it wrote; each derived module whose sources were touched rebuilds itself from them, so the summary commits
(or rolls back) with the data it summarises. A reader must still check that a summary is current (and fall back
to the source tables when it is not): rows written by hand, outside kam's writers, do not refresh anything.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterable

import duckdb

# module -> the source tables it summarises; each module has `refresh(con) -> None`
DERIVED: tuple[tuple[str, frozenset[str]], ...] = (
    ("kam.funnel_reach", frozenset({"opportunities", "opportunity_stage_history", "settings_versions"})),
)


def refresh(con: duckdb.DuckDBPyConnection, touched: Iterable[str]) -> None:
    """Rebuild every derived table whose sources are among `touched` (call inside the writer's transaction)."""
    touched = set(touched)
    for module, sources in DERIVED:
        if touched & sources:
            try:
                loaded = importlib.import_module(module)
            except ModuleNotFoundError as missing:
                if missing.name != module:
                    raise
                continue  # not built yet
            loaded.refresh(con)
