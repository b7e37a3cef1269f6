"""`python -m kam followups`: the follow-up list of a database, as JSON (--json) or a short text table.

`--json` prints a list, one object per follow-up sorted by due date (undated last): {"id", "account_id", "owner",
"due" (YYYY-MM-DD or null), "status", "version", "overdue" (open or in progress and due before the as-of
date)}. --owner keeps one owner's follow-ups; --as-of defaults to the data's own date (kam.accounts.data_as_of),
as on the dashboard. Exit 2 on a bad argument or a database that cannot be opened (a running app holds the lock).
"""
from __future__ import annotations

import argparse
import datetime as dt

import duckdb
import pandas as pd

from kam import followups
from kam.cli import add_report_arguments, run_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser)
    parser.add_argument("--owner", help="only this owner's follow-ups")

def records(con: duckdb.DuckDBPyConnection, as_of: dt.date, owner: str | None) -> list[dict]:
    """The JSON contract's rows (see the module docstring)."""
    frame = followups.follow_up_list(con, as_of, owner=owner)
    return [{"id": int(r.follow_up_id), "account_id": r.account_id, "owner": None if pd.isna(r.owner) else r.owner,
             "due": None if pd.isna(r.due_date) else pd.Timestamp(r.due_date).date().isoformat(),
             "status": r.status, "version": int(r.version), "overdue": bool(r.overdue)}
            for r in frame.itertuples(index=False)]


def run(args: argparse.Namespace) -> int:
    return run_report(args, lambda con, as_of: records(con, as_of, args.owner), _text)

def _text(rows: list[dict]) -> str:
    lines = [f"{'id':>6}  {'account':<12}{'owner':<14}{'due':<12}{'status':<13}{'v':>3}  overdue"]
    for r in rows:
        lines.append(f"{r['id']:>6}  {r['account_id']:<12}{r['owner'] or '—':<14}{r['due'] or '—':<12}"
                     f"{r['status']:<13}{r['version']:>3}  {'yes' if r['overdue'] else ''}")
    return "\n".join(lines)
