"""The deal set every funnel metric reads: one SQL common-table expression, `deals`, built per call.

In: a connection, settings (the configured stages), `as_of` and a `FunnelFilter` (shared scope, created-date
period, tiers). Out: `(sql, params)` of a `WITH ... deals AS (...)` prefix that the metric modules extend with
their own SELECT, so every metric aggregates inside DuckDB and only small frames reach Python (1M deals stay fast).

What a row of `deals` means, as of `as_of`:
- deals created after `as_of` do not exist yet; a deal closed after `as_of` is still open then, in the last open
  stage its history shows on or before `as_of` (the first open stage when it has no history);
- `stage` is the configured stage name: data labels map through kam.vocab (Chinese and English synonyms); a label
  that maps to no configured stage is kept as typed, with kind 'unknown', so it can be reported instead of dropped;
- `reached_position` is the furthest open stage the deal got to (history or current stage; a skipped stage counts
  as passed, a won deal passed every open stage). Funnel bars count deals with reached_position >= the stage's.
- `probability` is the deal's own, else its stage's default, else 0 (an unknown stage has no default).
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from kam import db, vocab
from kam.scope import Scope, account_filter
from kam.settings import Settings

STAGE_KINDS = ("open", "won", "lost")
_TIERS_VIEW = "_kam_funnel_tiers"


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


def label_map(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[tuple[str, str]]:
    """(label in the data, configured stage) for every stage label in opportunities or their history that maps."""
    configured = tuple(name for name, *_ in settings.funnel.stages)
    labels = db.query(con, "SELECT stage AS label FROM opportunities UNION "
                           "SELECT stage FROM opportunity_stage_history")["label"]
    pairs = ((str(label), vocab.canonical_stage(label, configured)) for label in labels)
    return [(label, stage) for label, stage in pairs if stage is not None]


def tier_frame(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
               scope: Scope) -> pd.DataFrame | None:
    """account_id, tier, tier_rank from kam.tiers when that module is part of this build, else None."""
    try:
        from kam import tiers
    except ImportError:
        return None
    table = getattr(tiers, "tier_table", None)
    return None if table is None else table(con, settings, as_of, scope)[["account_id", "tier", "tier_rank"]]


def tiers_available() -> bool:
    try:
        from kam import tiers
    except ImportError:
        return False
    return hasattr(tiers, "tier_table")


def _values(rows: Sequence[tuple], columns: Sequence[str], types: Sequence[str]) -> tuple[str, list]:
    """A VALUES relation with bound parameters (an empty one when there are no rows)."""
    if not rows:
        nulls = ", ".join(f"NULL::{t} AS {c}" for c, t in zip(columns, types))
        return f"SELECT {nulls} WHERE FALSE", []
    row_sql = "(" + ", ".join(f"?::{t}" for t in types) + ")"
    sql = f"SELECT * FROM (VALUES {', '.join([row_sql] * len(rows))}) v({', '.join(columns)})"
    return sql, [value for row in rows for value in row]


# Furthest open stage in each deal's history: a group per deal, the one costly step at a million deals, so it is
# only built for the metrics that read reached_position (funnel bars and their drill-down).
_REACH_SQL = """reach AS (
    SELECT h.opportunity_id, max(s.position) AS hist_position
    FROM opportunity_stage_history h CROSS JOIN p
    JOIN labels l ON l.label = h.stage JOIN stages s ON s.stage = l.stage
    WHERE h.entered_date <= p.as_of AND s.kind = 'open'
    GROUP BY h.opportunity_id),"""
_NO_REACH_SQL = "reach AS (SELECT NULL::VARCHAR AS opportunity_id, NULL::INTEGER AS hist_position WHERE FALSE),"

# Deals closed after as_of: the last open stage their history shows by then. Usually there are none (as_of defaults
# to the data's own date), and then the history is not scanned at all.
_LATER_SQL = """later AS (
    SELECT h.opportunity_id, arg_max(s.stage, h.entered_date) AS last_open_stage
    FROM opportunity_stage_history h CROSS JOIN p
    JOIN labels l ON l.label = h.stage JOIN stages s ON s.stage = l.stage
    WHERE h.entered_date <= p.as_of AND s.kind = 'open'
      AND h.opportunity_id IN (SELECT opportunity_id FROM opportunities, p
                               WHERE status <> 'open' AND closed_date > p.as_of)
    GROUP BY h.opportunity_id),"""
_NO_LATER_SQL = "later AS (SELECT NULL::VARCHAR AS opportunity_id, NULL::VARCHAR AS last_open_stage WHERE FALSE),"

_DEALS_SQL = """
p AS (SELECT ?::DATE AS as_of, ?::DATE AS d_from, ?::DATE AS d_to, ?::VARCHAR AS first_open,
             ?::INTEGER AS last_open_position),
{reach}
{later}
raw AS (
    SELECT o.opportunity_id, o.account_id, a.name AS account_name, o.name, o.owner, a.region, a.industry,
           {tier_columns}, o.amount, o.probability AS own_probability, o.created_date, o.expected_close_date,
           o.loss_reason, h.hist_position, p.as_of, p.last_open_position,
           -- closed after as_of: still open on that day, in the last open stage its history shows by then
           CASE WHEN o.status <> 'open' AND o.closed_date > p.as_of THEN 'open' ELSE o.status END AS status,
           CASE WHEN o.status <> 'open' AND o.closed_date > p.as_of THEN NULL ELSE o.closed_date END AS closed_date,
           CASE WHEN o.status <> 'open' AND o.closed_date > p.as_of THEN coalesce(c.last_open_stage, p.first_open)
                ELSE coalesce(l.stage, o.stage) END AS stage
    FROM opportunities o CROSS JOIN p
    LEFT JOIN accounts a ON a.account_id = o.account_id
    LEFT JOIN labels l ON l.label = o.stage
    {reach_join}
    LEFT JOIN later c ON c.opportunity_id = o.opportunity_id
    {tier_join}
    WHERE coalesce(o.created_date <= p.as_of, TRUE)
      AND (p.d_from IS NULL OR o.created_date >= p.d_from) AND (p.d_to IS NULL OR o.created_date <= p.d_to)
      AND {scope_condition} AND {tier_condition}),
deals AS (
    SELECT r.opportunity_id, r.account_id, r.account_name, r.name, r.owner, r.region, r.industry, r.tier,
           r.tier_rank, r.stage, s.position, coalesce(s.kind, 'unknown') AS kind, r.status, r.amount,
           coalesce(r.own_probability, s.probability, 0) AS probability, s.days_to_rot, r.created_date,
           r.expected_close_date, r.closed_date, r.loss_reason, r.as_of,
           CASE WHEN r.status = 'won' THEN r.last_open_position
                ELSE greatest(coalesce(r.hist_position, 0), CASE WHEN s.kind = 'open' THEN s.position ELSE 0 END)
           END AS reached_position
    FROM raw r LEFT JOIN stages s ON s.stage = r.stage)"""


def _tier_parts(with_tiers: bool, tiers: tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
    if not with_tiers:
        return {"tier_columns": "NULL::VARCHAR AS tier, NULL::INTEGER AS tier_rank", "tier_join": "",
                "tier_condition": "TRUE"}, []
    condition = f"t.tier IN ({', '.join('?' * len(tiers))})" if tiers else "TRUE"
    return {"tier_columns": "t.tier, t.tier_rank",
            "tier_join": f"LEFT JOIN {db.quote_ident(_TIERS_VIEW)} t ON t.account_id = o.account_id",
            "tier_condition": condition}, list(tiers)


def deals_cte(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date, filt: FunnelFilter, *,
              with_tiers: bool = False, use_period: bool = True, reach: bool = True) -> tuple[str, list]:
    """`WITH stages, labels, p, reach, later, raw, deals` (no trailing SELECT) and its parameters, in order.
    With reach=False, history is not read for reached_position (it then reflects the current stage only)."""
    config = stage_config(settings)
    stages_sql, stage_params = _values(list(config.itertuples(index=False, name=None)), config.columns,
                                       ("VARCHAR", "INTEGER", "DOUBLE", "VARCHAR", "INTEGER"))
    labels_sql, label_params = _values(label_map(con, settings), ("label", "stage"), ("VARCHAR", "VARCHAR"))
    opens = config[config["kind"] == "open"]
    first_open = opens["stage"].iloc[0] if len(opens) else None
    last_open = int(opens["position"].max()) if len(opens) else None
    period = (filt.date_from, filt.date_to) if use_period else (None, None)
    scope_sql, scope_params = ("TRUE", []) if filt.scope.is_everything() else account_filter(filt.scope, "a")
    tier_sql, tier_params = _tier_parts(with_tiers, filt.tiers)
    closes_later = db.scalar(con, "SELECT EXISTS (SELECT 1 FROM opportunities WHERE status <> 'open' "
                                  "AND closed_date > ?)", [as_of])
    body = _DEALS_SQL.format(scope_condition=scope_sql, reach=_REACH_SQL if reach else _NO_REACH_SQL,
                             later=_LATER_SQL if closes_later else _NO_LATER_SQL,
                             reach_join="LEFT JOIN reach h ON h.opportunity_id = o.opportunity_id" if reach else
                             "LEFT JOIN reach h ON FALSE", **tier_sql)
    sql = f"WITH stages AS ({stages_sql}), labels AS ({labels_sql}),{body}"
    return sql, [*stage_params, *label_params, as_of, *period, first_open, last_open, *scope_params, *tier_params]


@contextlib.contextmanager
def deal_source(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date, filt: FunnelFilter, *,
                use_period: bool = True, with_tiers: bool | None = None,
                reach: bool = False) -> Iterator[tuple[str, list]]:
    """`deals_cte` with the tier table exposed to SQL for the block when tiers are wanted (a tier filter, or
    `with_tiers` for a per-tier view) and kam.tiers exists; otherwise the tier columns are NULL and a tier filter is
    ignored. Tiers are computed only when wanted: scoring every account is the costly part."""
    wanted = bool(filt.tiers) if with_tiers is None else with_tiers
    tiers = tier_frame(con, settings, as_of, filt.scope) if wanted and tiers_available() else None
    if tiers is None:
        yield deals_cte(con, settings, as_of, filt, use_period=use_period, reach=reach)
        return
    with db.registered(con, _TIERS_VIEW, tiers):
        yield deals_cte(con, settings, as_of, filt, with_tiers=True, use_period=use_period, reach=reach)


def run(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date, filt: FunnelFilter, select: str,
        params: Sequence = (), *, use_period: bool = True, with_tiers: bool | None = None,
        reach: bool = False) -> pd.DataFrame:
    """Run `select` (which reads `deals`, `stages`, `labels`, `p`) after the deal CTE; extra params go last.
    `reach=True` for a select that reads reached_position."""
    with deal_source(con, settings, as_of, filt, use_period=use_period, with_tiers=with_tiers,
                     reach=reach) as (cte, cte_params):
        return db.query(con, f"{cte}\n{select}", [*cte_params, *params])


def has_stage_history(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the source recorded stage changes (metrics about time in stage need them)."""
    return bool(db.scalar(con, "SELECT EXISTS (SELECT 1 FROM opportunity_stage_history)"))
