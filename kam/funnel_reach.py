"""How far each deal got, by its stage history: stored per deal at write time, computed from the history otherwise.

The funnel bars count a deal in every open stage up to the furthest one its history shows. Grouping a million
deals' history per deal costs many times a plain GROUP BY over the deals, so every writer keeps a summary beside
the deals (columns of opportunities, kam/migrations/003_funnel_reach.sql):
- funnel_reach: the furthest open stage position above the first open stage in the deal's history (NULL: none);
- funnel_history_last: the date of the deal's last history entry (NULL: no history).
Both depend on the stage list (its labels map through kam.vocab), so funnel_reach_state records the stage list
they were computed for and the row counts and date range of the sources.

In: `refresh(con)` (called by kam.derived inside the writer's transaction) rebuilds them for the saved settings.
Out: `reach_parts(con, settings, as_of)` gives kam.funnel_base the SQL pieces for `hist_position`: the stored column
when the summary is current for the settings it was GIVEN (the what-if preview passes unsaved ones) and for the
data (rows written by hand refresh nothing: then counts or dates differ); the history for the deals with an entry
after as_of (the stored value counts that entry); the history for every deal when the summary is not current.
"""
from __future__ import annotations

import datetime as dt
import json

import duckdb

from kam import db
from kam.funnel_config import label_map, stage_config, values_relation
from kam.settings import Settings, load as load_settings

# Bump when the way stage labels map onto stages changes (kam.vocab): summaries stored before then read as stale.
MAPPING_VERSION = 1
MIGRATION = 3  # kam/migrations/003_funnel_reach.sql: the stored columns and funnel_reach_state

# The history of every deal (or of `{deals}` only), as the funnel reads it on as_of: the furthest open stage above
# the first open one (entries into the first open stage never raise a deal above it: leaving them out spares a
# third of the rows). It needs `p` and `labelled` of kam.funnel_base.
_REACH_SQL = """reach AS (
    SELECT h.opportunity_id, max(s.position) AS hist_position
    FROM opportunity_stage_history h CROSS JOIN p JOIN labelled s ON s.label = h.stage
    WHERE h.entered_date <= p.as_of AND s.kind = 'open' AND s.position > p.first_position {deals}
    GROUP BY h.opportunity_id),"""
_LATE_DEALS = ("AND h.opportunity_id IN (SELECT opportunity_id FROM opportunities, p "
               "WHERE funnel_history_last > p.as_of)")
_JOIN = "LEFT JOIN reach h ON h.opportunity_id = o.opportunity_id"

# Every deal's summary from the whole history, written only where it changed (a settings save that keeps the
# stages, or an import of a few deals, rewrites few rows).
_REFRESH_SQL = """
UPDATE opportunities o SET funnel_reach = r.reach, funnel_history_last = r.last
FROM (SELECT d.opportunity_id, h.reach, h.last
      FROM opportunities d LEFT JOIN (
          SELECT h.opportunity_id, max(s.position) FILTER (WHERE s.kind = 'open' AND s.position > ?) AS reach,
                 max(h.entered_date) AS last
          FROM opportunity_stage_history h
          LEFT JOIN (SELECT l.label, s.position, s.kind FROM ({labels}) l JOIN ({stages}) s ON s.stage = l.stage) s
            ON s.label = h.stage
          GROUP BY h.opportunity_id) h ON h.opportunity_id = d.opportunity_id) r
WHERE r.opportunity_id = o.opportunity_id
  AND (o.funnel_reach IS DISTINCT FROM r.reach OR o.funnel_history_last IS DISTINCT FROM r.last)"""

_SOURCES_SQL = """SELECT (SELECT count(*) FROM opportunities) AS deals,
       count(*) AS history_rows, min(entered_date) AS history_first, max(entered_date) AS history_last
FROM opportunity_stage_history"""


def fingerprint(settings: Settings) -> str:
    """What the stored summary depends on in the settings: the stage names and kinds, in order (probabilities and
    days to rot do not change how far a deal got), and the mapping version."""
    stages = [[name, kind] for name, _, kind, _ in settings.funnel.stages]
    return json.dumps({"mapping": MAPPING_VERSION, "stages": stages}, ensure_ascii=False)


def _first_open_position(settings: Settings) -> int | None:
    config = stage_config(settings)
    opens = config[config["kind"] == "open"]
    return int(opens["position"].min()) if len(opens) else None


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild every deal's summary and the state row for the saved settings (inside the caller's transaction)."""
    current = load_settings(con)
    config = stage_config(current)
    stages_sql, stage_params = values_relation(list(config.itertuples(index=False, name=None)), config.columns,
                                               ("VARCHAR", "INTEGER", "DOUBLE", "VARCHAR", "INTEGER"))
    labels_sql, label_params = values_relation(label_map(con, current, history=True), ("label", "stage"),
                                               ("VARCHAR", "VARCHAR"))
    db.execute(con, _REFRESH_SQL.format(labels=labels_sql, stages=stages_sql),
               [_first_open_position(current), *label_params, *stage_params])
    db.execute(con, "DELETE FROM funnel_reach_state")
    db.execute(con, f"INSERT INTO funnel_reach_state (fingerprint, deals, history_rows, history_first, history_last) "
                    f"SELECT ?, * FROM ({_SOURCES_SQL})", [fingerprint(current)])


def stored_until(con: duckdb.DuckDBPyConnection, settings: Settings) -> tuple[bool, dt.date | None]:
    """(current, last history date): whether the stored summary was computed for these settings' stages and for
    the data as it is now (same counts and date range: cheap, DuckDB keeps them), and the last history date it
    saw (None: no history). A database from before migration 003 opened read-only (the command line does not
    migrate) has no summary: (False, None)."""
    if not db.scalar(con, "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?)", [MIGRATION]):
        return False, None
    rows = db.execute(con, f"""
        SELECT st.fingerprint = ? AND st.deals = src.deals AND st.history_rows = src.history_rows
               AND st.history_first IS NOT DISTINCT FROM src.history_first
               AND st.history_last IS NOT DISTINCT FROM src.history_last, st.history_last
        FROM funnel_reach_state st, ({_SOURCES_SQL}) src""", [fingerprint(settings)]).fetchall()
    if not rows or not rows[0][0]:
        return False, None
    return True, rows[0][1]


def reach_parts(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date) -> tuple[dict[str, str], bool]:
    """The `reach` CTE, `reach_columns` and `reach_join` pieces of kam.funnel_base's deal query, and whether they
    read the stage history (which then needs its labels mapped)."""
    current, last = stored_until(con, settings)
    if current and (last is None or last <= as_of):  # the default as_of: the data's own date
        return {"reach": "", "reach_columns": "o.funnel_reach AS hist_position", "reach_join": ""}, False
    if current:  # as_of before some deals' last entry: the history for those deals only
        return {"reach": _REACH_SQL.format(deals=_LATE_DEALS), "reach_join": _JOIN,
                "reach_columns": "CASE WHEN o.funnel_history_last > p.as_of THEN h.hist_position "
                                 "ELSE o.funnel_reach END AS hist_position"}, True
    return {"reach": _REACH_SQL.format(deals=""), "reach_columns": "h.hist_position", "reach_join": _JOIN}, True

