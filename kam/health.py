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

from kam.health_facts import account_facts
from kam.scope import Scope
from kam.settings.health import MEASURES, HealthSettings

UNKNOWN = "unknown"


def ramp(x: pd.Series, bad_at: float, good_at: float) -> pd.Series:
    """0 at or beyond `bad_at`, 100 at or beyond `good_at`, linear between (either direction); NaN stays NaN."""
    return ((pd.to_numeric(x, errors="coerce").astype(float) - bad_at) / (good_at - bad_at)).clip(0, 1) * 100


def _curve(hs: HealthSettings, name: str) -> tuple[float, float]:
    return next((float(bad), float(good)) for m, bad, good in hs.curves if m == name)


def _num(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype(float)


def measure_values(facts: pd.DataFrame, hs: HealthSettings) -> dict[str, tuple[pd.Series, pd.Series]]:
    """measure -> (raw value, 0-100 score with NaN where unknown), from the facts of kam.health_facts."""
    f = facts
    interval = _num(f["usual_interval"])
    days = _num(f["days_since_order"])
    known_interval = (f["interval_orders"] >= hs.interval_min_orders) & (interval > 0)
    days_before = _num(f["order_days_trend_before"])
    freq = (_num(f["order_days_trend_now"]) / days_before - 1).where(days_before > 0)
    rev = (_num(f["revenue_trend_now"]) / _num(f["revenue_trend_before"]) - 1).where(f["revenue_trend_before"] > 0)
    overdue_days = _num(f["overdue_days"]).where(f["invoices"] > 0)
    revenue = _num(f["revenue_12m"])
    overdue = _num(f["overdue_amount"])
    # Overdue money against no revenue at all is as bad as it gets: an infinite share.
    share = (overdue / revenue).where(revenue > 0, np.where(overdue > 0, np.inf, 0.0)).where(f["invoices"] > 0)
    receivables = np.fmin(ramp(overdue_days, *_curve(hs, "receivables")),
                          ramp(share, *_curve(hs, "receivables_amount")))
    complaints = _num(f["complaints_health"]).where(f["interactions"] > 0)
    key_left = _num(f["key_left_health"]).where(f["key_contacts"] > 0)
    engagement = _num(f["days_since_engagement"])
    nps = _num(f["nps_latest"])
    return {
        "order_recency": (days, ramp((days / interval).where(known_interval), *_curve(hs, "order_recency"))),
        "order_frequency": (freq, ramp(freq, *_curve(hs, "order_frequency"))),
        "revenue_trend": (rev, ramp(rev, *_curve(hs, "revenue_trend"))),
        "receivables": (overdue_days, pd.Series(receivables, index=f.index).where(overdue_days.notna())),
        "engagement": (engagement, ramp(engagement, *_curve(hs, "engagement"))),
        "complaints": (complaints, ramp(complaints, *_curve(hs, "complaints"))),
        "nps": (nps, ramp(nps, *_curve(hs, "nps"))),
        "key_contacts": (key_left, ramp(key_left, *_curve(hs, "key_contacts"))),
    }


def band(score: pd.Series, red_below: float, green_from: float) -> pd.Series:
    """'red' below red_below, 'green' from green_from, 'yellow' between, 'unknown' when there is no score."""
    out = np.select([score.isna(), score < red_below, score >= green_from], [UNKNOWN, "red", "green"], "yellow")
    return pd.Series(out, index=score.index, dtype="str")


def measure_band(hs: HealthSettings, measure: str) -> tuple[float, float]:
    """(red_below, green_from) of one measure: its own bands when configured, else those of the total."""
    own = {m: (float(r), float(g)) for m, r, g in hs.measure_bands}
    return own.get(measure, (hs.red_below, hs.green_from))


def score_facts(facts: pd.DataFrame, hs: HealthSettings) -> pd.DataFrame:
    """The health table from account facts (see `health_table`)."""
    weights = {m: float(w) for m, w in hs.weights if m in MEASURES and float(w) > 0}
    values = measure_values(facts, hs)
    scores = pd.DataFrame({m: values[m][1] for m in weights}, index=facts.index)
    w = pd.DataFrame({m: scores[m].notna() * weights[m] for m in weights}, index=facts.index)
    known = w.sum(axis=1)
    total = sum(weights.values()) or 1.0
    points = scores.mul(w).div(known.where(known > 0), axis=0)
    score = points.sum(axis=1, min_count=1)
    # Columns are gathered first and the frame built once: inserting ~40 columns one by one costs more than
    # the scoring itself.
    columns = {"account_id": facts["account_id"], "name": facts["name"], "owner": facts["owner"], "score": score,
               "band": band(score, hs.red_below, hs.green_from), "coverage": known / total}
    for m in weights:
        columns.update({f"value_{m}": values[m][0], f"score_{m}": scores[m], f"points_{m}": points[m],
                        f"band_{m}": band(scores[m], *measure_band(hs, m))})
    columns.update({"usual_interval": _num(facts["usual_interval"]), "revenue_12m": _num(facts["revenue_12m"])})
    return pd.DataFrame(columns, index=facts.index).reset_index(drop=True)


def health_measures(settings) -> list[str]:
    """The measures that count (weight > 0), in the order of the settings."""
    return [m for m, w in settings.health.weights if m in MEASURES and float(w) > 0]


def health_table(con: duckdb.DuckDBPyConnection, settings, as_of: dt.date, scope: Scope = Scope(),
                 account_ids: list[str] | None = None) -> pd.DataFrame:
    """One row per account in scope: account_id, name, owner, score (0-100, NaN when no measure is known),
    band ('green'|'yellow'|'red'|'unknown'), coverage (share of the total weight known, 0-1), and per measure m
    value_<m> (raw fact), score_<m> (0-100 or NaN), points_<m> (contribution; they sum to score), band_<m>;
    plus usual_interval (days) and revenue_12m."""
    return score_facts(account_facts(con, settings, as_of, scope, account_ids), settings.health)


def health_at(con: duckdb.DuckDBPyConnection, settings, dates: list[dt.date], scope: Scope = Scope(),
              account_ids: list[str] | None = None) -> pd.DataFrame:
    """The health table at several dates from one query: its columns plus `as_of` (a date), by date then account."""
    facts = account_facts(con, settings, dates, scope, account_ids)
    out = score_facts(facts, settings.health)
    out.insert(0, "as_of", pd.to_datetime(facts["as_of"]).dt.date.to_numpy())
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
