"""The SQL text of kam.funnel_base's deal query: the common-table expressions and the parts that switch its joins
on or off (see kam.funnel_base for what a row of `deals` means). Text only, no values: every value is bound as a
parameter by kam.funnel_base."""
from __future__ import annotations

# Deals closed after as_of: the last open stage their history shows by then. Usually there are none (as_of defaults
# to the data's own date), and then the history is not scanned at all.
LATER_SQL = """later AS (
    SELECT h.opportunity_id, arg_max(s.stage, h.entered_date) AS stage, arg_max(s.position, h.entered_date) AS position,
           arg_max(s.probability, h.entered_date) AS probability, arg_max(s.days_to_rot, h.entered_date) AS days_to_rot
    FROM opportunity_stage_history h CROSS JOIN p
    JOIN labels l ON l.label = h.stage JOIN stages s ON s.stage = l.stage
    WHERE h.entered_date <= p.as_of AND s.kind = 'open'
      AND h.opportunity_id IN (SELECT opportunity_id FROM opportunities, p
                               WHERE status <> 'open' AND closed_date > p.as_of)
    GROUP BY h.opportunity_id),"""
# Without them the deal query reads no history (hist_position stays NULL) and joins nothing on opportunity_id.
NO_REACH_PARTS = {"reach": "", "reach_columns": "NULL::INTEGER AS hist_position", "reach_join": ""}
LATER_PARTS = {"later_columns": "c.stage AS later_stage, c.position AS later_position, "
                                 "c.probability AS later_probability, c.days_to_rot AS later_rot",
                "later_join": "LEFT JOIN later c ON c.opportunity_id = o.opportunity_id",
                "closes_later": "o.status <> 'open' AND o.closed_date > p.as_of"}
NO_LATER_PARTS = {"later": "", "later_columns": "NULL::VARCHAR AS later_stage, NULL::INTEGER AS later_position, "
                                                 "NULL::DOUBLE AS later_probability, NULL::INTEGER AS later_rot",
                   "later_join": "", "closes_later": "FALSE"}  # a constant DuckDB folds out of every CASE

# Each deal joins the (tiny) stage tables once, by its label: a join per million deals costs as much as the scan.
DEALS_SQL = """
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
CREATED = ("coalesce(o.created_date <= p.as_of, TRUE) AND (p.d_from IS NULL OR o.created_date >= p.d_from) "
            "AND (p.d_to IS NULL OR o.created_date <= p.d_to)")
DEAL_ROWS = {"deal_rows": "opportunities", "created_condition": CREATED, "deal_count": "1"}
# A row per stage label, status and stored reach, counting its deals: what the funnel bars need, grouped before the
# per-deal work (label join, stage rules), which then runs on a few dozen rows instead of a million.
TALLY_ROWS = {"deal_rows": f"""(
    SELECT NULL::VARCHAR AS opportunity_id, NULL::VARCHAR AS account_id, NULL::VARCHAR AS name,
           NULL::VARCHAR AS owner, o.stage, sum(coalesce(o.amount, 0)) AS amount, NULL::DOUBLE AS probability,
           NULL::DATE AS created_date, NULL::DATE AS expected_close_date, NULL::DATE AS closed_date, o.status,
           NULL::VARCHAR AS loss_reason, o.funnel_reach, count(*) AS deal_count
    FROM opportunities o CROSS JOIN p WHERE {CREATED}
    GROUP BY o.stage, o.status, o.funnel_reach)""", "created_condition": "TRUE", "deal_count": "o.deal_count"}

ACCOUNTS_JOIN = "LEFT JOIN accounts a ON a.account_id = o.account_id"
NO_ACCOUNTS_JOIN = ("LEFT JOIN (SELECT NULL::VARCHAR AS name, NULL::VARCHAR AS region, NULL::VARCHAR AS industry) a "
                     "ON FALSE")
