"""Every score of the executive overview at once: the tier table, the health table, the warning list and the KPI
cards, from one read of the order days, one pass over the tier measures and one over the account facts.

In: a connection, Settings, an as-of date and a Scope. Out: a frozen `Scoreboard` whose parts are exactly what
kam.tiers.tier_table, kam.health.health_table, kam.risk.warning_list and kam.kpis.kpi_cards return for the same
arguments (a test holds them equal). Why: called one by one, they read the orders four times and the account facts
at overlapping dates five times (the KPI period ends include as_of; the warnings' re-check dates and the health
drop's earlier dates overlap the KPI's). Here the tier measures are computed once at the KPI period ends (as_of is
the last), and the facts once at the period ends, each with its health-drop date. The warnings' weekly re-check
dates ("active since") stay a separate query for the accounts with a trend warning only: adding them to the shared
query for every account cost more than that query.
Every account's order days (with margins) are read once, on entry, and serve both sides (kam.order_day_totals.
shared): the tier revenue windows, the order facts and the "active since" re-checks. Then the tier measures' other
SQL (product breadth, pipeline), the tiers, the tier table and the survey cards run on a second cursor in a worker
thread (kam.background) while the account facts are read, and the health table and warnings computed, here; only
the KPI cards wait for both. DuckDB releases the GIL while it works, so on two cores the SQL of one side overlaps
the Python of the other (the Python of both sides does not: the scoring itself is kept small by computing on
numpy columns, kam.columns, and making a DataFrame only for each table returned). Every SQL statement spends both
cores, so what sets the time is the work of both sides together, not the longer side. The order-days freshness is
checked once for both sides (kam.order_days.checked_once). The second cursor sees committed data only: call this
outside a write transaction.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from kam import background, health, kpis, order_day_totals, risk, tiers
from kam.kpi_card import Kpi, kpi_dates
from kam.kpi_survey import survey_kpis
from kam.scope import Scope
from kam.settings import Settings


@dataclass(frozen=True)
class Scoreboard:
    tier_table: pd.DataFrame       # kam.tiers.tier_table
    health_table: pd.DataFrame     # kam.health.health_table
    warnings: pd.DataFrame         # kam.risk.warning_list (active since traced)
    kpis: tuple[Kpi, ...]     # kam.kpis.kpi_cards


def scoreboard(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
               scope: Scope = Scope()) -> Scoreboard:
    """The four score tables of `as_of` for the accounts in `scope` (see the module docstring)."""
    dates = kpi_dates(as_of, settings)
    # order days rebuilt (when stale) and checked once, then read once with margins, before the two sides start
    with order_day_totals.read_once(con, as_of), \
            background.on_second_cursor(con, _tier_side, settings, as_of, scope, dates) as tier_side:
        frame = risk.rule_frame(con, settings, dates[1:], scope)
        health_table = health.score_facts(risk.rows_at(frame, as_of), settings.health)
        warnings = risk.warning_list(con, settings, as_of, scope, frame=frame)
        tiers_frame, tier_table, survey_cards = tier_side.result()  # only the KPI cards need both sides
    return Scoreboard(tier_table=tier_table, health_table=health_table, warnings=warnings,
                      kpis=kpis.kpi_cards(con, settings, as_of, scope, tiers_frame=tiers_frame, rule_frame=frame,
                                          survey_cards=survey_cards))


def _tier_side(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date, scope: Scope,
               dates: list[dt.date]) -> tuple[pd.DataFrame, pd.DataFrame, list[Kpi]]:
    """What does not need the account facts: the tiers at the KPI dates, the tier table, the survey cards."""
    tiers_frame = tiers.tiers_at(con, settings, dates)
    return (tiers_frame, tiers.tier_table(con, settings, as_of, scope, tiers_frame=tiers_frame),
            survey_kpis(con, settings, as_of, scope))

