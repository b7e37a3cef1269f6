"""`python -m kam demo`: build the deterministic demo company into a database and print the row counts.

Refuses (exit 2) when the database already holds accounts, unless --force, which deletes the existing rows in the
same transaction as the build: the database is either the old one or the new demo, never a mix.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kam import db, demo
from kam.cli import DEFAULT_DB


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=DEFAULT_DB, help=f"database file (default {DEFAULT_DB})")
    parser.add_argument("--seed", type=int, default=7, help="random seed: the same seed gives the same data")
    parser.add_argument("--orders", type=int, default=100_000, help="order lines to generate (about)")
    parser.add_argument("--accounts", type=int, default=300, help=f"accounts (at least {demo.MIN_ACCOUNTS})")
    parser.add_argument("--opportunities", type=int, default=2_000, help="opportunities to generate")
    parser.add_argument("--force", action="store_true", help="replace the rows of a database that has data")


def run(args: argparse.Namespace) -> int:
    if args.accounts < demo.MIN_ACCOUNTS:
        print(f"--accounts must be at least {demo.MIN_ACCOUNTS}", file=sys.stderr)
        return 2
    if args.db != ":memory:":
        Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    con = db.connect(args.db)
    try:
        existing = int(db.query(con, "SELECT count(*) AS n FROM accounts")["n"].iloc[0])
        if existing and not args.force:
            print(f"{args.db} already holds {existing} accounts; use --force to replace its data with the demo "
                  "company", file=sys.stderr)
            return 2
        counts = demo.build(con, seed=args.seed, n_accounts=args.accounts, n_orders=args.orders,
                            n_opportunities=args.opportunities, replace=args.force)
    finally:
        con.close()
    width = max(len(t) for t in counts)
    for table, rows in counts.items():
        print(f"{table:<{width}}  {rows:>9,}")
    return 0
