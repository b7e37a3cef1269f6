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
from kam.scope import account_filter
from kam.funnel_config import FunnelFilter, label_map, stage_config, tier_frame, values_relation
from kam.settings import Settings

_TIERS_VIEW = "_kam_funnel_tiers"


# Deals closed after as_of: the last open stage their history shows by then. Usually there are none (as_of defaults
# to the data's own date), and then the history is not scanned at all.
_LATER_SQL = """later AS (
    SELECT h.opportunity_id, arg_max(s.stage, h.entered_date) AS stage, arg_max(s.position, h.entered_date) AS position,
           arg_max(s.probability, h.entered_date) AS probability, arg_max(s.days_to_rot, h.entered_date) AS days_to_rot
    FROM opportunity_stage_history h CROSS JOIN p
    JOIN labels l ON l.label = h.stage JOIN stages s ON s.stage = l.stage
    WHERE h.entered_date <= p.as_of AND s.kind = 'open'
      AND h.opportunity_id IN (SELECT opportunity_id FROM opportunities, p
                               WHERE status <> 'open' AND closed_date > p.as_of)
    GROUP BY h.opportunity_id),"""
# Without them the deal query reads no history (hist_position stays NULL) and joins nothing on opportunity_id.
_NO_REACH_PARTS = {"reach": "", "reach_columns": "NULL::INTEGER AS hist_position", "reach_join": ""}
_LATER_PARTS = {"later_columns": "c.stage AS later_stage, c.position AS later_position, "
                                 "c.probability AS later_probability, c.days_to_rot AS later_rot",
                "later_join": "LEFT JOIN later c ON c.opportunity_id = o.opportunity_id",
                "closes_later": "o.status <> 'open' AND o.closed_date > p.as_of"}
_NO_LATER_PARTS = {"later": "", "later_columns": "NULL::VARCHAR AS later_stage, NULL::INTEGER AS later_position, "
                                                 "NULL::DOUBLE AS later_probability, NULL::INTEGER AS later_rot",
                   "later_join": "", "closes_later": "FALSE"}  # a constant DuckDB folds out of every CASE

# Each deal joins the (tiny) stage tables once, by its label: a join per million deals costs as much as the scan.
_DEALS_SQL = """
p AS (SELECT ?::DATE AS as_of, ?::DATE AS d_from, ?::DATE AS d_to, ?::INTEGER AS last_open_position,
             s.stage AS first_open, s.position AS first_position, s.probability AS first_probability,
             s.days_to_rot AS first_rot
      FROM (SELECT NULL) LEFT JOIN (SELECT * FROM stages WHERE kind = 'open' ORDER BY position LIMIT 1) s ON TRUE),
-- grouped by label so DuckDB knows a label matches once, and drops the join where a metric reads no stage column
labelled AS (SELECT l.label, any_value(s.stage) AS stage, any_value(s.position) AS position,
                    any_value(s.probability) AS probability, any_value(s.kind) AS kind,
                    any_value(s.days_to_rot) AS days_to_rot
             FROM labels l JOIN stages s ON s.stage = l.stage GROUP BY l.label),
{reach}
{later}
base AS (
    SELECT o.opportunity_id, o.account_id, o.name, o.owner, o.stage, o.amount, o.probability, o.created_date,
           o.expected_close_date, o.closed_date, o.status, o.loss_reason, {deal_count} AS deal_count,
           {closes_later} AS closes_later, a.name AS account_name,
           a.region, a.industry, {tier_columns}, {reach_columns}, p.as_of, p.last_open_position, p.first_open,
           p.first_position, p.first_probability, p.first_rot, ls.stage AS label_stage,
           ls.position AS label_position, ls.kind AS label_kind, ls.probability AS label_probability,
           ls.days_to_rot AS label_rot, {later_columns}
    FROM {deal_rows} o CROSS JOIN p
    {accounts_join}
    LEFT JOIN labelled ls ON ls.label = o.stage
    {reach_join}
    {later_join}
    {tier_join}
    WHERE {created_condition} AND {scope_condition} AND {tier_condition}),
staged AS (  -- closed after as_of: still open on that day, in the last open stage its history shows by then
    SELECT opportunity_id, account_id, account_name, name, owner, region, industry, tier, tier_rank, amount,
           deal_count, probability AS own_probability, created_date, expected_close_date, loss_reason, hist_position,
           as_of, last_open_position,
           CASE WHEN closes_later THEN 'open' ELSE status END AS status,
           CASE WHEN closes_later THEN NULL ELSE closed_date END AS closed_date,
           CASE WHEN closes_later THEN coalesce(later_stage, first_open) ELSE coalesce(label_stage, stage) END AS stage,
           CASE WHEN closes_later THEN coalesce(later_position, first_position) ELSE label_position END AS position,
           CASE WHEN closes_later THEN 'open' ELSE coalesce(label_kind, 'unknown') END AS kind,
           CASE WHEN closes_later THEN coalesce(later_probability, first_probability)
                ELSE label_probability END AS default_probability,
           CASE WHEN closes_later THEN coalesce(later_rot, first_rot) ELSE label_rot END AS days_to_rot
    FROM base),
deals AS (
    SELECT opportunity_id, account_id, account_name, name, owner, region, industry, tier, tier_rank, stage,
           position, kind, status, amount, deal_count, coalesce(own_probability, default_probability, 0) AS probability,
           days_to_rot, created_date, expected_close_date, closed_date, loss_reason, as_of,
           CASE WHEN status = 'won' THEN last_open_position
                ELSE greatest(coalesce(hist_position, 0), CASE WHEN kind = 'open' THEN position ELSE 0 END)
           END AS reached_position
    FROM staged)"""


# Deals that exist on as_of and were created in the period (no created date: always there)
_CREATED = ("coalesce(o.created_date <= p.as_of, TRUE) AND (p.d_from IS NULL OR o.created_date >= p.d_from) "
            "AND (p.d_to IS NULL OR o.created_date <= p.d_to)")
_DEAL_ROWS = {"deal_rows": "opportunities", "created_condition": _CREATED, "deal_count": "1"}
# A row per stage label, status and stored reach, counting its deals: what the funnel bars need, grouped before the
# per-deal work (label join, stage rules), which then runs on a few dozen rows instead of a million.
_TALLY_ROWS = {"deal_rows": f"""(
    SELECT NULL::VARCHAR AS opportunity_id, NULL::VARCHAR AS account_id, NULL::VARCHAR AS name,
           NULL::VARCHAR AS owner, o.stage, sum(coalesce(o.amount, 0)) AS amount, NULL::DOUBLE AS probability,
           NULL::DATE AS created_date, NULL::DATE AS expected_close_date, NULL::DATE AS closed_date, o.status,
           NULL::VARCHAR AS loss_reason, o.funnel_reach, count(*) AS deal_count
    FROM opportunities o CROSS JOIN p WHERE {_CREATED}
    GROUP BY o.stage, o.status, o.funnel_reach)""", "created_condition": "TRUE", "deal_count": "o.deal_count"}

_ACCOUNTS_JOIN = "LEFT JOIN accounts a ON a.account_id = o.account_id"
_NO_ACCOUNTS_JOIN = ("LEFT JOIN (SELECT NULL::VARCHAR AS name, NULL::VARCHAR AS region, NULL::VARCHAR AS industry) a "
                     "ON FALSE")


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
    reach_parts, reads_history = funnel_reach.reach_parts(con, settings, as_of) if reach else (_NO_REACH_PARTS, False)
    labels_sql, label_params = values_relation(
        label_map(con, settings, history=history or reads_history or closes_later), ("label", "stage"),
        ("VARCHAR", "VARCHAR"))
    later_parts = {"later": _LATER_SQL, **_LATER_PARTS} if closes_later else _NO_LATER_PARTS
    tallied = tally and reach and not (accounts or with_tiers or history or reads_history or closes_later
                                       or not filt.scope.is_everything())
    body = _DEALS_SQL.format(scope_condition=scope_sql, **reach_parts, **later_parts,
                             **(_TALLY_ROWS if tallied else _DEAL_ROWS),
                             accounts_join=_ACCOUNTS_JOIN if accounts or not filt.scope.is_everything() else
                             _NO_ACCOUNTS_JOIN, **tier_sql)
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
