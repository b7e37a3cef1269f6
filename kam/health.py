"""Health score: 0-100 per account from weighted measures, each scored on its own documented curve.

In: a connection, Settings, an as-of date and a Scope. Out: `health_table` (one row per account: score, band,
coverage, and per measure the raw value, its 0-100 score and the points it contributes) and `health_change`
(the per-measure change in points between two dates: the data of the what-changed waterfall).

Missing data is unknown, never bad: a measure without data gets no score, is left out, and the weights of the
known measures are renormalised; `coverage` says how much of the total weight was known. The points of the known
measures sum to the score exactly (the score is computed as that sum), so every score explains itself.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from kam.arrays import floats
from kam.columns import Columns
from kam.health_facts import fact_columns
from kam.scope import Scope
from kam.settings.health import MEASURES, HealthSettings

UNKNOWN = "unknown"


def _ramp(x: np.ndarray, bad_at: float, good_at: float) -> np.ndarray:
    return np.clip((x - bad_at) / (good_at - bad_at), 0, 1) * 100


def ramp(x: pd.Series, bad_at: float, good_at: float) -> pd.Series:
    """0 at or beyond `bad_at`, 100 at or beyond `good_at`, linear between (either direction); NaN stays NaN."""
    return pd.Series(_ramp(floats(x), bad_at, good_at), index=x.index)


def _curve(hs: HealthSettings, name: str) -> tuple[float, float]:
    return next((float(bad), float(good)) for m, bad, good in hs.curves if m == name)


def measure_values(facts: Columns, hs: HealthSettings) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """measure -> (raw value, 0-100 score with NaN where unknown), one array element per facts row, from the facts
    of kam.health_facts."""
    f, nan = facts, np.nan
    interval, days = floats(f["usual_interval"]), floats(f["days_since_order"])
    with np.errstate(divide="ignore", invalid="ignore"):
        known_interval = (floats(f["interval_orders"]) >= hs.interval_min_orders) & (interval > 0)
        days_before, rev_before = floats(f["order_days_trend_before"]), floats(f["revenue_trend_before"])
        freq = np.where(days_before > 0, floats(f["order_days_trend_now"]) / days_before - 1, nan)
        rev = np.where(rev_before > 0, floats(f["revenue_trend_now"]) / rev_before - 1, nan)
        invoiced = floats(f["invoices"]) > 0
        overdue_days = np.where(invoiced, floats(f["overdue_days"]), nan)
        revenue, overdue = floats(f["revenue_12m"]), floats(f["overdue_amount"])
        # Overdue money against no revenue at all is as bad as it gets: an infinite share.
        share = np.where(revenue > 0, overdue / revenue, np.where(overdue > 0, np.inf, 0.0))
        share = np.where(invoiced, share, nan)
        recency = np.where(known_interval, days / interval, nan)
    receivables = np.fmin(_ramp(overdue_days, *_curve(hs, "receivables")),
                          _ramp(share, *_curve(hs, "receivables_amount")))
    complaints = np.where(floats(f["interactions"]) > 0, floats(f["complaints_health"]), nan)
    key_left = np.where(floats(f["key_contacts"]) > 0, floats(f["key_left_health"]), nan)
    engagement, nps = floats(f["days_since_engagement"]), floats(f["nps_latest"])
    raw_and_score = {
        "order_recency": (days, _ramp(recency, *_curve(hs, "order_recency"))),
        "order_frequency": (freq, _ramp(freq, *_curve(hs, "order_frequency"))),
        "revenue_trend": (rev, _ramp(rev, *_curve(hs, "revenue_trend"))),
        "receivables": (overdue_days, np.where(np.isnan(overdue_days), nan, receivables)),
        "engagement": (engagement, _ramp(engagement, *_curve(hs, "engagement"))),
        "complaints": (complaints, _ramp(complaints, *_curve(hs, "complaints"))),
        "nps": (nps, _ramp(nps, *_curve(hs, "nps"))),
        "key_contacts": (key_left, _ramp(key_left, *_curve(hs, "key_contacts"))),
    }
    return raw_and_score


def bands(score: np.ndarray, red_below: float, green_from: float) -> np.ndarray:
    """`band` of an array of scores (NaN when unknown), as an array of band names."""
    return np.select([np.isnan(score), score < red_below, score >= green_from], [UNKNOWN, "red", "green"], "yellow")


def _band_array(score: np.ndarray, red_below: float, green_from: float):
    return pd.array(bands(score, red_below, green_from), dtype="str")


def band(score: pd.Series, red_below: float, green_from: float) -> pd.Series:
    """'red' below red_below, 'green' from green_from, 'yellow' between, 'unknown' when there is no score."""
    return pd.Series(bands(floats(score), red_below, green_from), index=score.index, dtype="str")


def measure_band(hs: HealthSettings, measure: str) -> tuple[float, float]:
    """(red_below, green_from) of one measure: its own bands when configured, else those of the total."""
    own = {m: (float(r), float(g)) for m, r, g in hs.measure_bands}
    return own.get(measure, (hs.red_below, hs.green_from))


def _points(facts: Columns, hs: HealthSettings):
    """weights, measure values, per-measure scores, points, known weight and the score of every facts row (arrays,
    one element per row; scores and points by measure)."""
    weights = {m: float(w) for m, w in hs.weights if m in MEASURES and float(w) > 0}
    values = measure_values(facts, hs)
    scores = {m: values[m][1] for m in weights}
    known = sum((~np.isnan(scores[m]) * weights[m] for m in weights), np.zeros(len(facts)))
    with np.errstate(divide="ignore", invalid="ignore"):
        points = {m: scores[m] * weights[m] / np.where(known > 0, known, np.nan) for m in weights}
    stacked = np.column_stack([points[m] for m in weights]) if weights else np.full((len(facts), 1), np.nan)
    score = np.where(np.isnan(stacked).all(axis=1), np.nan, np.nansum(stacked, axis=1))
    return weights, values, scores, points, known, score


def health_scores(facts: Columns, hs: HealthSettings) -> np.ndarray:
    """Only the `score` column of `score_facts`, one per facts row: for callers needing nothing else."""
    return _points(facts, hs)[-1]


def score_facts(facts: Columns, hs: HealthSettings) -> pd.DataFrame:
    """The health table from account facts (kam.health_facts.fact_columns; see `health_table`)."""
    weights, values, scores, points, known, score = _points(facts, hs)
    total = sum(weights.values()) or 1.0
    # Columns are gathered first (as arrays) and the frame built once: inserting ~40 columns one by one, or as
    # indexed Series, costs more than the scoring itself.
    columns = {"account_id": facts["account_id"], "name": facts["name"], "owner": facts["owner"],
               "score": score, "band": _band_array(score, hs.red_below, hs.green_from), "coverage": known / total}
    for m in weights:
        columns.update({f"value_{m}": values[m][0], f"score_{m}": scores[m], f"points_{m}": points[m],
                        f"band_{m}": _band_array(scores[m], *measure_band(hs, m))})
    columns.update({"usual_interval": floats(facts["usual_interval"]), "revenue_12m": floats(facts["revenue_12m"])})
    return pd.DataFrame(columns)


def health_measures(settings) -> list[str]:
    """The measures that count (weight > 0), in the order of the settings."""
    return [m for m, w in settings.health.weights if m in MEASURES and float(w) > 0]


def health_table(con: duckdb.DuckDBPyConnection, settings, as_of: dt.date, scope: Scope = Scope(),
                 account_ids: list[str] | None = None) -> pd.DataFrame:
    """One row per account in scope: account_id, name, owner, score (0-100, NaN when no measure is known),
    band ('green'|'yellow'|'red'|'unknown'), coverage (share of the total weight known, 0-1), and per measure m
    value_<m> (raw fact), score_<m> (0-100 or NaN), points_<m> (contribution; they sum to score), band_<m>;
    plus usual_interval (days) and revenue_12m."""
    return score_facts(fact_columns(con, settings, as_of, scope, account_ids), settings.health)


def health_at(con: duckdb.DuckDBPyConnection, settings, dates: list[dt.date], scope: Scope = Scope(),
              account_ids: list[str] | None = None) -> pd.DataFrame:
    """The health table at several dates from one query: its columns plus `as_of` (a date), by date then account."""
    facts = fact_columns(con, settings, dates, scope, account_ids)
    out = score_facts(facts, settings.health)
    out.insert(0, "as_of", facts["as_of"].astype("datetime64[D]").astype(object))
    return out


def health_change(con: duckdb.DuckDBPyConnection, settings, as_of: dt.date, previous_as_of: dt.date,
                  account_id: str | None = None, scope: Scope = Scope()) -> pd.DataFrame:
    """Per account and measure: previous_points, points, change (points now - points then; an unknown measure
    counts 0), previous_value, value. For each account the changes sum to score - previous_score; both are NaN
    when the score is unknown at either date. Sorted by account, then by the size of the change."""
    ids = None if account_id is None else [account_id]
    both_dates = health_at(con, settings, [previous_as_of, as_of], scope, ids)
    now = both_dates[both_dates["as_of"] == as_of].set_index("account_id")
    then = both_dates[both_dates["as_of"] == previous_as_of].set_index("account_id").reindex(now.index)
    both = now["score"].notna() & then["score"].notna()
    rows = []
    for m in health_measures(settings):
        rows.append(pd.DataFrame({
            "account_id": now.index, "name": now["name"].to_numpy(), "measure": m,
            "previous_points": then[f"points_{m}"].fillna(0).where(both).to_numpy(),
            "points": now[f"points_{m}"].fillna(0).where(both).to_numpy(),
            "previous_value": then[f"value_{m}"].to_numpy(), "value": now[f"value_{m}"].to_numpy()}))
    out = pd.concat(rows, ignore_index=True)
    out["change"] = out["points"] - out["previous_points"]
    out["_size"] = -out["change"].abs()
    return out.sort_values(["account_id", "_size"], kind="stable").drop(columns="_size").reset_index(drop=True)


def explain_change(changes: pd.DataFrame, lang: str, min_points: float = 0.5) -> str:
    """One sentence from one account's `health_change` rows: "Health fell 18 points: 11 from order recency,
    7 from complaints" (measures moving the same way as the total, largest first; under `min_points` left out)."""
    from kam.i18n import fmt_number, t

    total = changes["change"].sum(min_count=1)
    if pd.isna(total):
        return t("health.change.unknown", lang)
    if abs(total) < min_points:
        return t("health.change.flat", lang)
    head = t("health.change.fell" if total < 0 else "health.change.rose", lang, points=fmt_number(abs(total), lang))
    same_way = changes[(np.sign(changes["change"]) == np.sign(total)) & (changes["change"].abs() >= min_points)]
    parts = [t("health.change.part", lang, points=fmt_number(abs(c), lang),
               measure=t(f"health.measure.{m}", lang).lower() if lang == "en" else t(f"health.measure.{m}", lang))
             for m, c in zip(same_way["measure"], same_way["change"])]
    return head + ((": " if lang == "en" else "：") + (", " if lang == "en" else "，").join(parts) if parts else "")
