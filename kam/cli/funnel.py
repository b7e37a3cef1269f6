"""`python -m kam funnel`: funnel metrics of a database, as JSON (--json) or a short text table.

`--json` prints exactly the contract of kam.funnel.summary: {"stages": [{"stage", "deals", "amount",
"conversion_to_next"}], "win_rate", "win_rate_amount", "median_cycle_days", "weighted_pipeline",
"stalled": [{"opportunity_id", "stage", "days_in_stage"}]}. Default: all deals, as of the data's own date
(kam.accounts.data_as_of), so an old export is not read as if it were today. --from/--to keep deals created in that
window. Exit 2 on a bad argument or a missing database.
"""
from __future__ import annotations

import argparse

from kam import funnel, settings
from kam.cli import add_report_arguments, iso_date, run_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser)
    parser.add_argument("--from", dest="date_from", type=iso_date, help="only deals created on or after this date")
    parser.add_argument("--to", dest="date_to", type=iso_date, help="only deals created on or before this date")

def run(args: argparse.Namespace) -> int:
    filt = funnel.FunnelFilter(date_from=args.date_from, date_to=args.date_to)
    return run_report(args, lambda con, as_of: funnel.summary(con, settings.load(con), as_of, filt), _text)

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
