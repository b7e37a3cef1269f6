"""Import of CRM/ERP exports (Excel, CSV, Parquet, SQLite, DuckDB; Chinese or English) into the kam model.

Steps, one module each: readers (bytes -> text grids) -> layout (header, title/unit/total/note rows) -> mapping
(table and columns, remembered by header fingerprint) -> validate (typed values, row-level errors, via values) ->
resolve (account matching, keys) -> plan (create/update/unchanged) -> store (one-transaction commit, undo log).
kam.ingest.pipeline strings them together; pages and the CLI call only the names re-exported here.
"""
from kam.ingest.pipeline import (Preview, SheetPlan, commit, history, preview, read_sources, undo,
                                 with_mapping)
from kam.ingest.readers import list_tables

__all__ = ["Preview", "SheetPlan", "commit", "history", "list_tables", "preview", "read_sources", "undo",
           "with_mapping"]
