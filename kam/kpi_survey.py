"""The KPI cards read from surveys and contracts, independent of the scores: NPS per period and contracts expiring.

In: a connection, Settings, an as-of date (or the period ends and starts) and a Scope. Out: `survey_kpis` -> the
"nps" card (per period (start, end]: 100 x (promoters - detractors) / answers given in it) and the
"contracts_expiring" card (accounts whose contract ends within risk.contract_ending_days after the last end).
Definitions: docs/metrics.md, section KPIs.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np

from kam import db
from kam.dated_rows import day_numbers
from kam.kpi_card import Kpi, card, kpi_dates
from kam.scope import Scope, account_filter
from kam.settings import Settings

# The NPS definition itself (not a tunable threshold): promoters answer 9-10, detractors 0-6.
NPS_PROMOTER_FROM, NPS_DETRACTOR_UP_TO = 9, 6

# The NPS answers of the accounts in scope in (first start, last end], and the contracts ending in (end, end + days]:
# two plain reads, each period counted in numpy. The range join of the periods to the answers cost 2-3 times more.
_NPS_ANSWERS = """SELECT (i.interaction_date - DATE '1970-01-01')::INTEGER AS day, i.nps::DOUBLE AS nps
FROM interactions i JOIN accounts a USING (account_id)
WHERE {condition} AND i.nps IS NOT NULL AND i.interaction_date > ?::DATE AND i.interaction_date <= ?::DATE"""
_CONTRACTS_ENDING = """SELECT count(*) FROM accounts a
WHERE {condition} AND a.contract_end_date > ?::DATE AND a.contract_end_date <= ?::DATE + ?::INTEGER"""


def nps_and_contracts(con: duckdb.DuckDBPyConnection, settings: Settings, ends: list[dt.date],
                      starts: list[dt.date], scope: Scope) -> list[Kpi]:
    """NPS over the answers given in each period, and contracts ending within the risk horizon after the last end.
    The contracts card has no previous value or trend: an account carries only its current contract's end date,
    so at an earlier end a contract renewed since is no longer seen and the count would only ever look lower then
    (every quarter would show a rise that did not happen)."""
    condition, params = account_filter(scope, "a")
    answers = db.execute(con, _NPS_ANSWERS.format(condition=condition),
                         [*params, min(starts), max(ends)]).fetchnumpy()
    expiring = db.scalar(con, _CONTRACTS_ENDING.format(condition=condition),
                         [*params, ends[-1], ends[-1], settings.risk.contract_ending_days])
    return [card("nps", "nps", _nps_per_period(answers["day"], answers["nps"], ends, starts), ends),
            card("contracts_expiring", "count", [expiring], ends[-1:], higher_is_better=False,
                  label=str(settings.risk.contract_ending_days))]


def _nps_per_period(day: np.ndarray, nps: np.ndarray, ends: list[dt.date], starts: list[dt.date]) -> list[float]:
    """Per period (start, end]: 100 x (promoters - detractors) / answers, NaN without an answer."""
    values = []
    for start, end in zip(day_numbers(starts), day_numbers(ends)):
        given = nps[(day > start) & (day <= end)]
        promoters, detractors = (given >= NPS_PROMOTER_FROM).sum(), (given <= NPS_DETRACTOR_UP_TO).sum()
        values.append(100.0 * (promoters - detractors) / len(given) if len(given) else np.nan)
    return values


def survey_kpis(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                scope: Scope = Scope()) -> list[Kpi]:
    """The NPS and contracts-expiring cards of kam.kpis.kpi_cards (their own query, independent of the scores)."""
    dates = kpi_dates(as_of, settings)
    return nps_and_contracts(con, settings, dates[1:], dates[:-1], scope)
