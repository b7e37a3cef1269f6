"""`python -m kam import FILE... [--db PATH] [--dry-run] [--json]`: the Import page's pipeline for batch jobs.

Every sheet of every file is mapped automatically (or with the mapping last confirmed for the same header), then
previewed (--dry-run: nothing is written) or committed in one transaction as one import batch (undo it from the
Import page). `--json` prints one object: {"ok": bool, "tables": {"<table>": {"read", "created", "updated",
"unchanged", "rejected", "skipped"}}, "errors": [{"file", "sheet", "row", "column", "value", "reason"}]}.
Exit 0 when the import (or dry run) succeeded, even with rejected rows (they are listed); 2 when an input cannot be
read at all or the database cannot be opened, and then the database is unchanged.
"""
from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

import duckdb

from kam import db, ingest, settings
from kam.cli import DEFAULT_DB
from kam.errors import InputError, KamError
from kam.ingest.resolve import UNKNOWN_ACCOUNT_POLICIES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="Excel, CSV/TXT, Parquet, SQLite or DuckDB files")
    parser.add_argument("--db", default=DEFAULT_DB, help=f"database file (default {DEFAULT_DB})")
    parser.add_argument("--dry-run", action="store_true", help="preview only: write nothing")
    parser.add_argument("--json", action="store_true", help="print the JSON summary (the documented contract)")
    parser.add_argument("--unknown-accounts", choices=UNKNOWN_ACCOUNT_POLICIES, default="create",
                        help="rows naming an account that does not exist: create it (default) or reject the row")
    parser.add_argument("--user", default=None, help="recorded as the importer (default: the login name)")


def _failure(exc: InputError) -> dict:
    return {"ok": False, "tables": {}, "errors": [{"file": exc.file, "sheet": exc.sheet, "row": exc.row,
                                                   "column": exc.column, "value": None, "reason": exc.reason}]}


def _print(summary: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
        return
    for table, counts in summary["tables"].items():
        print(f"{table:<28}" + "  ".join(f"{k} {v}" for k, v in counts.items()))
    for error in summary["errors"]:
        where = ", ".join(f"{k} {error[k]}" for k in ("file", "sheet", "row", "column") if error[k] is not None)
        value = f" ({error['value']!r})" if error.get("value") not in (None, "") else ""
        print(f"{where}: {error['reason']}{value}", file=sys.stderr)


def _read_inputs(paths: list[str]) -> list[tuple[str, bytes]]:
    files = []
    for path in paths:
        try:
            files.append((Path(path).name, Path(path).read_bytes()))
        except OSError as exc:
            raise InputError(f"cannot open the file: {exc.strerror}", file=path) from exc
    return files


def run(args: argparse.Namespace) -> int:
    try:
        files = _read_inputs(args.files)
        if args.db != ":memory:":
            Path(args.db).parent.mkdir(parents=True, exist_ok=True)
        con = db.connect(args.db)
    except InputError as exc:
        _print(_failure(exc), args.json)
        return 2
    except (KamError, duckdb.Error) as exc:
        _print(_failure(InputError(f"cannot open the database: {exc}", file=args.db)), args.json)
        return 2
    try:
        plans = ingest.read_sources(con, files)
        current = settings.load(con)
        if args.dry_run:
            result = ingest.preview(con, plans, current, unknown_accounts=args.unknown_accounts)
        else:
            user = args.user or getpass.getuser()
            _, result = ingest.commit(con, plans, current, user=user, unknown_accounts=args.unknown_accounts)
    except InputError as exc:
        _print(_failure(exc), args.json)
        return 2
    finally:
        con.close()
    _print(result.as_dict(), args.json)
    return 0
