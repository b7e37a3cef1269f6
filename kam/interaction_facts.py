"""Interaction facts per account and as-of date: how many interactions, the last engagement, complaints in the health
and risk windows (and the day the risk window's count reached its threshold), and the latest NPS answer, computed
in numpy from the interactions.

In: a connection, Settings (health.window_days, nps_lookback_days, engagement_channels; risk.complaints_window_days
and complaints_min),
as-of dates and account ids. Out: `interaction_facts` -> column -> 2-D array, one row per date and one column per
account, in the order given (INTERACTION_COLUMNS; kam.health_facts joins them to the other facts). Definitions
(docs/metrics.md): only interactions dated on or before as_of count; windows are (start, end] in days;
complaints_before is the complaints window just before the current one; complaint_since is the date of the
complaints_min-th complaint of the current window (NaT with fewer); the latest NPS answer is the last one
within the NPS lookback, and of several given on that day the lowest (the cautious reading, and one answer
whatever order the rows were stored in).
Why numpy: each fact is a count between two binary searches, or the row just before one, in the interactions
sorted by account and date (kam.dated_rows); the SQL that joined every interaction to every date cost most of the
facts query once there were thousands of accounts.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import numpy as np

from kam import db
from kam.dated_rows import DatedRows, as_of_grid, dates_or_nat

INTERACTION_COLUMNS = ("interactions", "last_engagement_date", "days_since_engagement", "complaints_health",
                       "complaints_now", "complaints_before", "complaint_since", "nps_latest", "nps_date")

_INTERACTIONS = """WITH acc AS (SELECT unnest(?::VARCHAR[]) AS account_id, unnest(?::BIGINT[]) AS k)
SELECT acc.k, (i.interaction_date - DATE '1970-01-01')::BIGINT AS day,
       list_contains(?::VARCHAR[], i.channel) AS engagement, i.channel = 'complaint' AS complaint,
       i.nps IS NOT NULL AS answered, coalesce(i.nps, 0)::BIGINT AS nps
FROM interactions i JOIN acc USING (account_id)
WHERE i.interaction_date <= ?::DATE"""


def interaction_facts(con: duckdb.DuckDBPyConnection, settings, dates: Sequence[dt.date],
                      account_ids: Sequence[str]) -> dict[str, np.ndarray]:
    """INTERACTION_COLUMNS at each of `dates` (rows) for each of `account_ids` (columns); see the module docstring.
    Dates are datetime64 (NaT when there is none), days_since_engagement and nps_latest float (NaN then)."""
    hs, n = settings.health, len(account_ids)
    found = db.execute(con, _INTERACTIONS, [list(account_ids), list(range(n)), list(hs.engagement_channels),
                                            max(dates, default=dt.date.min)]).fetchnumpy()
    k, day, nps = found["k"], found["day"], found["nps"]

    def subset(keep: np.ndarray, tie_break: np.ndarray | None = None) -> DatedRows:
        return DatedRows(k[keep], day[keep], n, tie_break)

    every, engaged, complaints = DatedRows(k, day, n), subset(found["engagement"]), subset(found["complaint"])
    answered = found["answered"]
    # -nps as tie-break: of the answers of one day, the lowest sorts last, so it is the one just before a position
    surveys = subset(answered, -nps[answered])
    now = as_of_grid(dates, n)
    engaged_at = engaged.position(now)
    engagement_known, engagement_day = engaged.has_before(engaged_at), engaged.before(engaged.day, engaged_at)
    survey_at = surveys.position(now)
    survey_day = surveys.before(surveys.day, survey_at)
    recent = surveys.has_before(survey_at) & (survey_day > now - hs.nps_lookback_days)
    nps_sorted = nps[answered][surveys.order].astype(float)
    return {
        "interactions": every.position(now) - every.start[None, :-1],
        "last_engagement_date": dates_or_nat(engagement_known, engagement_day),
        "days_since_engagement": np.where(engagement_known, now - engagement_day, np.nan),
        "complaints_health": complaints.count(now, now - hs.window_days),
        **_complaint_facts(complaints, now, settings.risk),
        "nps_latest": np.where(recent, surveys.before(nps_sorted, survey_at), np.nan),
        "nps_date": dates_or_nat(recent, survey_day),
    }


def _complaint_facts(complaints: DatedRows, now: np.ndarray, rs) -> dict[str, np.ndarray]:
    """complaints_now, complaints_before and complaint_since (see the module docstring)."""
    window, nth = rs.complaints_window_days, rs.complaints_min
    first, end = complaints.position(now - window), complaints.position(now)
    reached = (nth >= 1) & (first + nth <= end)      # the window holds at least nth complaints
    nth_day = complaints.before(complaints.day, np.where(reached, first + nth, 0))
    return {"complaints_now": end - first, "complaints_before": complaints.count(now - window, now - 2 * window),
            "complaint_since": dates_or_nat(reached, nth_day)}
