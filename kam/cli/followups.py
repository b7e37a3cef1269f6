"""`python -m kam followups`: the follow-up list of a database, as JSON (--json) or a short text table.

`--json` prints a list, one object per follow-up sorted by due date (undated last): {"id", "account_id", "owner",
"due" (YYYY-MM-DD or null), "status", "version", "overdue" (open or in progress and due before the as-of
date)}. --owner keeps one owner's follow-ups; --as-of defaults to the data's own date (kam.accounts.data_as_of),
as on the dashboard. Exit 2 on a bad argument or a database that cannot be opened (a running app holds the lock).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd

from kam import accounts, db, followups
from kam.cli import DEFAULT_DB
from kam.errors import KamError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=DEFAULT_DB, help=f"database file (default {DEFAULT_DB})")
    parser.add_argument("--owner", help="only this owner's follow-ups")
    parser.add_argument("--as-of", type=_date, help="as-of date YYYY-MM-DD (default: the latest date in the data)")
    parser.add_argument("--json", action="store_true", help="print JSON (the documented contract)")


def records(con: duckdb.DuckDBPyConnection, as_of: dt.date, owner: str | None) -> list[dict]:
    """The JSON contract's rows (see the module docstring)."""
    frame = followups.follow_up_list(con, as_of, owner=owner)
    return [{"id": int(r.follow_up_id), "account_id": r.account_id, "owner": None if pd.isna(r.owner) else r.owner,
             "due": None if pd.isna(r.due_date) else pd.Timestamp(r.due_date).date().isoformat(),
             "status": r.status, "version": int(r.version), "overdue": bool(r.overdue)}
            for r in frame.itertuples(index=False)]


def run(args: argparse.Namespace) -> int:
    if args.db != ":memory:" and not Path(args.db).exists():
        print(f"no database at {args.db} (build one with `python -m kam demo`)", file=sys.stderr)
        return 2
    try:
        con = db.connect(args.db, read_only=args.db != ":memory:")
    except (KamError, duckdb.Error) as exc:
        print(f"cannot open {args.db}: {exc}", file=sys.stderr)
        return 2
    try:
        rows = records(con, args.as_of or accounts.data_as_of(con), args.owner)
    except KamError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        con.close()
    print(json.dumps(rows, ensure_ascii=False, indent=2) if args.json else _text(rows))
    return 0


def _text(rows: list[dict]) -> str:
    lines = [f"{'id':>6}  {'account':<12}{'owner':<14}{'due':<12}{'status':<13}{'v':>3}  overdue"]
    for r in rows:
        lines.append(f"{r['id']:>6}  {r['account_id']:<12}{r['owner'] or '—':<14}{r['due'] or '—':<12}"
                     f"{r['status']:<13}{r['version']:>3}  {'yes' if r['overdue'] else ''}")
    return "\n".join(lines)
