"""`python -m kam funnel`: funnel metrics of a database, as JSON (--json) or a short text table.

`--json` prints exactly the contract of kam.funnel.summary: {"stages": [{"stage", "deals", "amount",
"conversion_to_next"}], "win_rate", "win_rate_amount", "median_cycle_days", "weighted_pipeline",
"stalled": [{"opportunity_id", "stage", "days_in_stage"}]}. Default: all deals, as of the data's own date
(kam.accounts.data_as_of), so an old export is not read as if it were today. --from/--to keep deals created in that
window. Exit 2 on a bad argument or a missing database.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from kam import accounts, db, funnel, settings
from kam.cli import DEFAULT_DB
from kam.errors import KamError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=DEFAULT_DB, help=f"database file (default {DEFAULT_DB})")
    parser.add_argument("--as-of", type=_date, help="as-of date YYYY-MM-DD (default: the latest date in the data)")
    parser.add_argument("--from", dest="date_from", type=_date, help="only deals created on or after this date")
    parser.add_argument("--to", dest="date_to", type=_date, help="only deals created on or before this date")
    parser.add_argument("--json", action="store_true", help="print JSON (the documented contract)")


def run(args: argparse.Namespace) -> int:
    if args.db != ":memory:" and not Path(args.db).exists():
        print(f"no database at {args.db} (build one with `python -m kam demo`)", file=sys.stderr)
        return 2
    try:
        con = db.connect(args.db, read_only=args.db != ":memory:")
    except KamError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        as_of = args.as_of or accounts.data_as_of(con)
        filt = funnel.FunnelFilter(date_from=args.date_from, date_to=args.date_to)
        result = funnel.summary(con, settings.load(con), as_of, filt)
    except KamError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        con.close()
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else _text(result))
    return 0


def _text(result: dict) -> str:
    lines = [f"{'stage':<16}{'deals':>8}{'amount':>16}{'to next':>10}"]
    for row in result["stages"]:
        share = "" if row["conversion_to_next"] is None else f"{row['conversion_to_next']:.1%}"
        lines.append(f"{row['stage']:<16}{row['deals']:>8}{row['amount']:>16,.0f}{share:>10}")
    rate = lambda v: "—" if v is None else f"{v:.1%}"
    lines += [f"win rate {rate(result['win_rate'])} (by amount {rate(result['win_rate_amount'])}), "
              f"median cycle {result['median_cycle_days']} days, weighted pipeline "
              f"{result['weighted_pipeline']:,.0f}, stalled deals {len(result['stalled'])}"]
    return "\n".join(lines)
