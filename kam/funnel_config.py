"""Funnel configuration and inputs: the stages as configured, the filter, stage labels found in the data, the
tiers of accounts, and a helper that turns rows into a bound VALUES relation. Read by kam.funnel_base."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from kam import db, tiers, vocab
from kam.scope import Scope
from kam.settings import Settings

STAGE_KINDS = ("open", "won", "lost")


@dataclass(frozen=True)
class FunnelFilter:
    """What the funnel looks at: the shared scope, deals created in [date_from, date_to] (None = unbounded), and
    the tiers of their accounts (empty = every tier, deals without an account included)."""
    scope: Scope = field(default_factory=Scope)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    tiers: tuple[str, ...] = ()


def stage_config(settings: Settings) -> pd.DataFrame:
    """The configured stages in order: stage, position (0-based), probability, kind, days_to_rot."""
    rows = [(name, i, float(p), kind, int(rot)) for i, (name, p, kind, rot) in enumerate(settings.funnel.stages)]
    return pd.DataFrame(rows, columns=["stage", "position", "probability", "kind", "days_to_rot"])


def open_stages(settings: Settings) -> list[str]:
    return [name for name, _, kind, _ in settings.funnel.stages if kind == "open"]


def label_map(con: duckdb.DuckDBPyConnection, settings: Settings, history: bool = True) -> list[tuple[str, str]]:
    """(label in the data, configured stage) for every stage label in opportunities (and, with `history`, in their
    stage history) that maps."""
    configured = tuple(name for name, *_ in settings.funnel.stages)
    sql = "SELECT DISTINCT stage AS label FROM opportunities"
    if history:  # scanning the history costs more than the deals: only when a metric reads it
        sql += " UNION SELECT stage FROM opportunity_stage_history"
    labels = db.query(con, sql)["label"]
    pairs = ((str(label), vocab.canonical_stage(label, configured)) for label in labels)
    return [(label, stage) for label, stage in pairs if stage is not None]


def tier_frame(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date, scope: Scope) -> pd.DataFrame:
    """account_id, tier, tier_rank of every account in scope (kam.tiers)."""
    return tiers.tier_table(con, settings, as_of, scope)[["account_id", "tier", "tier_rank"]]


def values_relation(rows: Sequence[tuple], columns: Sequence[str], types: Sequence[str]) -> tuple[str, list]:
    """A VALUES relation with bound parameters (an empty one when there are no rows)."""
    if not rows:
        nulls = ", ".join(f"NULL::{t} AS {c}" for c, t in zip(columns, types))
        return f"SELECT {nulls} WHERE FALSE", []
    row_sql = "(" + ", ".join(f"?::{t}" for t in types) + ")"
    sql = f"SELECT * FROM (VALUES {', '.join([row_sql] * len(rows))}) v({', '.join(columns)})"
    return sql, [value for row in rows for value in row]
