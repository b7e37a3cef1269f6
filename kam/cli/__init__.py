"""One module per command of `python -m kam`, plus what the read-only report commands share:
the --db/--as-of/--json arguments and one way to open the database, compute, print, and exit."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from kam import accounts, db
from kam.errors import KamError

DEFAULT_DB = "data/kam.duckdb"


def iso_date(text: str) -> dt.date:
    """argparse type for YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """--db, --as-of and --json, as every report command takes them."""
    parser.add_argument("--db", default=DEFAULT_DB, help=f"database file (default {DEFAULT_DB})")
    parser.add_argument("--as-of", type=iso_date, help="as-of date YYYY-MM-DD (default: the latest date in the data)")
    parser.add_argument("--json", action="store_true", help="print JSON (the documented contract)")


def run_report(args: argparse.Namespace, compute: Callable[[duckdb.DuckDBPyConnection, dt.date], Any],
               as_text: Callable[[Any], str]) -> int:
    """Open args.db read-only, compute the report as of args.as_of (default: the data's own date), print it as
    JSON or text; exit 2 with a message on stderr when the database is missing or cannot be read."""
    if args.db != ":memory:" and not Path(args.db).exists():
        print(f"no database at {args.db} (build one with `python -m kam demo`)", file=sys.stderr)
        return 2
    try:
        con = db.connect(args.db, read_only=args.db != ":memory:")
        try:
            result = compute(con, args.as_of or accounts.data_as_of(con))
        finally:
            con.close()
    except (KamError, duckdb.Error) as exc:
        print(f"{args.db}: {exc}", file=sys.stderr)
        return 2
    # No indent: an indented dump bypasses the C encoder and takes seconds on a million-row list (pipe to jq).
    print(json.dumps(result, ensure_ascii=False, default=str) if args.json else as_text(result))
    return 0
