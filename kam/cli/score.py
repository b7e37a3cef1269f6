"""`python -m kam score`: tiers (when kam.tiers is present), health and warnings of every account.

`--json` prints a JSON list, one object per account: account_id, name, owner, tier, tier_rank, tier_score, health
(0-100 or null when no measure is known), health_band, coverage (0-1), components (measure -> points, null when
unknown; the known ones sum to health), warnings (list of {rule, severity, reason, active_since}), revenue_12m.
Sorted by tier, then health (lowest first: the ones to look at). Default as-of: the data's own latest date
(kam.accounts.data_as_of). Exit 2 on a missing database or a bad argument.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import math

import duckdb
import pandas as pd

from kam import health, risk, settings
from kam.cli import add_report_arguments, run_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser)
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the warning reasons")

def _clean(value):
    """JSON-safe: NaN/NA -> None, numpy numbers -> Python numbers, dates -> ISO text."""
    if value is None or (not isinstance(value, (str, dict, list)) and pd.isna(value)):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    if hasattr(value, "item"):
        value = value.item()
    return round(value, 4) if isinstance(value, float) and math.isfinite(value) else value


def _tiers(con: duckdb.DuckDBPyConnection, s, as_of: dt.date) -> pd.DataFrame:
    if importlib.util.find_spec("kam.tiers") is None:
        return pd.DataFrame(columns=["account_id", "tier", "tier_rank", "tier_score"])
    from kam import tiers
    return tiers.tier_table(con, s, as_of)[["account_id", "tier", "tier_rank", "score"]].rename(
        columns={"score": "tier_score"})


def score_report(con: duckdb.DuckDBPyConnection, s, as_of: dt.date, lang: str = "en") -> list[dict]:
    """The list `--json` prints (see the module docstring)."""
    table = health.health_table(con, s, as_of).merge(_tiers(con, s, as_of), on="account_id", how="left")
    table = table.sort_values(["tier_rank", "score"], na_position="last", kind="stable")
    warnings = risk.with_reasons(risk.warning_list(con, s, as_of), lang)
    by_account = {a: rows for a, rows in warnings.groupby("account_id")}
    measures = health.health_measures(s)
    out = []
    for row in table.to_dict("records"):
        mine = by_account.get(row["account_id"], warnings.iloc[0:0])
        out.append({k: _clean(v) for k, v in {
            "account_id": row["account_id"], "name": row["name"], "owner": row["owner"], "tier": row["tier"],
            "tier_rank": row["tier_rank"], "tier_score": row["tier_score"], "health": row["score"],
            "health_band": row["band"], "coverage": row["coverage"], "revenue_12m": row["revenue_12m"]}.items()})
        out[-1]["components"] = {m: _clean(row[f"points_{m}"]) for m in measures}
        out[-1]["warnings"] = [{k: _clean(w[k]) for k in ("rule", "severity", "reason", "active_since")}
                               for w in mine.to_dict("records")]
    return out


def _text(report: list[dict]) -> str:
    lines = [f"{'account':<12}{'name':<24}{'tier':>5}{'health':>8}  {'band':<8}{'coverage':>9}  warnings"]
    for r in report:
        health_text = "—" if r["health"] is None else f"{r['health']:.0f}"
        lines.append(f"{r['account_id']:<12}{str(r['name'])[:22]:<24}{str(r['tier'] or '—'):>5}{health_text:>8}  "
                     f"{r['health_band']:<8}{r['coverage']:>9.0%}  {'; '.join(w['reason'] for w in r['warnings'])}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    return run_report(args, lambda con, as_of: score_report(con, settings.load(con), as_of, args.lang), _text)

