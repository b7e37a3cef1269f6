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
  The history part is kept per deal at write time (kam.funnel_reach) and read from the history when not current.
- `probability` is the deal's own, else its stage's default, else 0 (an unknown stage has no default).
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence

import duckdb
import pandas as pd

from kam import db, funnel_reach
from kam.funnel_config import FunnelFilter, label_map, stage_config, tier_frame, values_relation
from kam.funnel_sql import (ACCOUNTS_JOIN, DEAL_ROWS, DEALS_SQL, LATER_PARTS, LATER_SQL, NO_ACCOUNTS_JOIN,
                            NO_LATER_PARTS, NO_REACH_PARTS, TALLY_ROWS)
from kam.scope import account_filter
from kam.settings import Settings

_TIERS_VIEW = "_kam_funnel_tiers"


def _tier_parts(with_tiers: bool, tiers: tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
    if not with_tiers:
        return {"tier_columns": "NULL::VARCHAR AS tier, NULL::INTEGER AS tier_rank", "tier_join": "",
                "tier_condition": "TRUE"}, []
    condition = f"t.tier IN ({', '.join('?' * len(tiers))})" if tiers else "TRUE"
    return {"tier_columns": "t.tier, t.tier_rank",
            "tier_join": f"LEFT JOIN {db.quote_ident(_TIERS_VIEW)} t ON t.account_id = o.account_id",
            "tier_condition": condition}, list(tiers)


def deals_cte(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date, filt: FunnelFilter, *,
              with_tiers: bool = False, use_period: bool = True, reach: bool = True,
              accounts: bool = True, history: bool = False, tally: bool = False) -> tuple[str, list]:
    """`WITH stages, labels, p, labelled, [reach,] [later,] base, staged, deals` (no trailing SELECT) and its
    parameters, in order.
    With reach=False, history is not read for reached_position (it then reflects the current stage only); with
    accounts=False and no scope, account columns (name, region, industry) are NULL and accounts are not read;
    `history` maps the labels of the stage history too (for a select that reads the history itself).
    With tally=True, when nothing needs single deals (reach read from the stored summary, accounts=False, no scope
    or tiers, no history to read, no deal closing after as_of), a row of `deals` stands for `deal_count` deals of
    one stage label, status and stored reach: `amount` is their summed amounts (missing ones 0) and the other
    per-deal columns are NULL.
    Otherwise (and always without tally) deal_count is 1: a select that sums deal_count and amount (missing as 0)
    by stage, kind, status and reached_position gives the same either way."""
    config = stage_config(settings)
    stages_sql, stage_params = values_relation(list(config.itertuples(index=False, name=None)), config.columns,
                                       ("VARCHAR", "INTEGER", "DOUBLE", "VARCHAR", "INTEGER"))
    opens = config[config["kind"] == "open"]
    last_open = int(opens["position"].max()) if len(opens) else None
    period = (filt.date_from, filt.date_to) if use_period else (None, None)
    scope_sql, scope_params = ("TRUE", []) if filt.scope.is_everything() else account_filter(filt.scope, "a")
    tier_sql, tier_params = _tier_parts(with_tiers, filt.tiers)
    closes_later = db.scalar(con, "SELECT EXISTS (SELECT 1 FROM opportunities WHERE status <> 'open' "
                                  "AND closed_date > ?)", [as_of])
    # reached_position: the summary stored per deal when it is current, else the history (kam.funnel_reach)
    reach_parts, reads_history = (funnel_reach.reach_parts(con, settings, as_of) if reach
                                  else (NO_REACH_PARTS, False))
    labels_sql, label_params = values_relation(
        label_map(con, settings, history=history or reads_history or closes_later), ("label", "stage"),
        ("VARCHAR", "VARCHAR"))
    later_parts = {"later": LATER_SQL, **LATER_PARTS} if closes_later else NO_LATER_PARTS
    tallied = tally and reach and not (accounts or with_tiers or history or reads_history or closes_later
                                       or not filt.scope.is_everything())
    body = DEALS_SQL.format(scope_condition=scope_sql, **reach_parts, **later_parts,
                            **(TALLY_ROWS if tallied else DEAL_ROWS),
                            accounts_join=ACCOUNTS_JOIN if accounts or not filt.scope.is_everything() else
                            NO_ACCOUNTS_JOIN, **tier_sql)
    sql = f"WITH stages AS ({stages_sql}), labels AS ({labels_sql}),{body}"
    return sql, [*stage_params, *label_params, as_of, *period, last_open, *scope_params, *tier_params]


@contextlib.contextmanager
def deal_source(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date, filt: FunnelFilter, *,
                use_period: bool = True, with_tiers: bool | None = None,
                reach: bool = False, accounts: bool = True, history: bool = False,
                tally: bool = False) -> Iterator[tuple[str, list]]:
    """`deals_cte` with the tier table exposed to SQL for the block when tiers are wanted (a tier filter, or
    `with_tiers` for a per-tier view) and kam.tiers exists; otherwise the tier columns are NULL and a tier filter is
    ignored. Tiers are computed only when wanted: scoring every account is the costly part."""
    wanted = bool(filt.tiers) if with_tiers is None else with_tiers
    tiers = tier_frame(con, settings, as_of, filt.scope) if wanted else None
    if tiers is None:
        yield deals_cte(con, settings, as_of, filt, use_period=use_period, reach=reach, accounts=accounts,
                        history=history, tally=tally)
        return
    with db.registered(con, _TIERS_VIEW, tiers):
        yield deals_cte(con, settings, as_of, filt, with_tiers=True, use_period=use_period, reach=reach,
                        accounts=accounts, history=history, tally=tally)


def run(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date, filt: FunnelFilter, select: str,
        params: Sequence = (), *, use_period: bool = True, with_tiers: bool | None = None,
        reach: bool = False, accounts: bool = True, history: bool = False, tally: bool = False) -> pd.DataFrame:
    """Run `select` (which reads `deals`, `stages`, `labels`, `p`) after the deal CTE; extra params go last.
    `reach=True` for a select that reads reached_position; `accounts=False` for one that reads no account column
    (account_name, region, industry), which spares a join per deal when no scope filter needs it; `history=True`
    for one that reads opportunity_stage_history with `labels`; `tally=True` for one that only sums deal_count and
    amount (see deals_cte)."""
    with deal_source(con, settings, as_of, filt, use_period=use_period, with_tiers=with_tiers,
                     reach=reach, accounts=accounts, history=history, tally=tally) as (cte, cte_params):
        return db.query(con, f"{cte}\n{select}", [*cte_params, *params])


def has_stage_history(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the source recorded stage changes (metrics about time in stage need them)."""
    return bool(db.scalar(con, "SELECT EXISTS (SELECT 1 FROM opportunity_stage_history)"))
