"""Account tiers: a weighted multi-factor tier score, or the Pareto (80/20) rule, and the tier it gives.

In: a connection, Settings (section `tiers`), an as-of date and a Scope. Out: `tier_table`, one row per account in
scope (see TIER_COLUMNS). The score is computed over the whole company and only then filtered, so an account keeps
its tier whatever filter a page applies; shares (revenue_share, cumulative_share) are of the rows shown.

Scoring: each measure becomes 0-100 by percentile rank among the accounts whose value is known:
100 x (accounts with a strictly lower value) / (known accounts - 1), so ties share the lower rank, the lowest value
scores 0 and the highest 100 (a measure with fewer than two distinct known values ranks nobody: unknown). The
strategic flag scores 100 or 0. A measure an account has no data for (no margin recorded, no prior-year revenue
for growth) is unknown: it is left out and the weights of the known measures are renormalised, never counted as
zero. `pts_<measure>` are the points each measure adds; they sum to `score`.

Tiering: weighted -> first tier whose cut-off the score reaches; pareto -> by the share of total revenue earned by
accounts with strictly more revenue (ties share a tier; the account crossing 80% is still in the first tier).
Accounts at or below `last_tier_revenue_at_most` (default: no revenue) are always in the last tier.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from kam import db
from kam.arrays import floats
from kam.scope import Scope, account_filter
from kam.settings import Settings
from kam.settings.tiers import TierSettings
from kam.tier_measures import measure_columns

MEASURES = ("revenue_12m", "gross_margin", "growth", "relationship", "breadth", "strategic", "pipeline")
FLAG_MEASURES = ("strategic",)  # scored 100 when set, 0 when not: a rank among 0/1 would say nothing more
DEFAULT_LABELS_ZH = {"A": "战略级", "B": "重点级", "C": "普通级", "D": "维持级"}
TIER_COLUMNS = ("account_id", "name", "owner", "region", "industry", "revenue_12m", "revenue_share",
                "cumulative_share", *[f"{m}" for m in MEASURES if m != "revenue_12m"], "revenue_prior_12m",
                *[f"scaled_{m}" for m in MEASURES], *[f"pts_{m}" for m in MEASURES], "coverage",
                "score", "tier", "tier_rank")


def weights(ts: TierSettings) -> dict[str, float]:
    """Measure -> weight normalised to sum to 1 (unknown measure names and negative weights are dropped)."""
    raw = {name: float(w) for name, w in ts.weights if name in MEASURES and float(w) > 0}
    total = sum(raw.values())
    return {name: w / total for name, w in raw.items()} if total else {}


def problems(ts: TierSettings) -> list[str]:
    """i18n keys of what is wrong with tier settings (empty when they can be used)."""
    found = []
    if not 3 <= len(ts.labels) <= 4 or len(set(ts.labels)) != len(ts.labels) or not all(ts.labels):
        found.append("tiers.err.labels")
    if len(ts.score_cutoffs) != len(ts.labels) - 1 or list(ts.score_cutoffs) != sorted(ts.score_cutoffs, reverse=True):
        found.append("tiers.err.score_cutoffs")
    if len(ts.pareto_cutoffs) != len(ts.labels) - 1 or list(ts.pareto_cutoffs) != sorted(ts.pareto_cutoffs) \
            or not all(0 < c <= 1 for c in ts.pareto_cutoffs):
        found.append("tiers.err.pareto_cutoffs")
    if not weights(ts):
        found.append("tiers.err.weights")
    if ts.method not in ("weighted", "pareto"):
        found.append("tiers.err.method")
    return found


def display_label(label: str, lang: str, labels: Sequence[str] = ("A", "B", "C")) -> str:
    """'A' -> 'A 战略级' in Chinese while the labels are the defaults; renamed labels are shown as typed."""
    if lang == "zh" and tuple(labels) in (("A", "B", "C"), ("A", "B", "C", "D")) and label in DEFAULT_LABELS_ZH:
        return f"{label} {DEFAULT_LABELS_ZH[label]}"
    return label


def percentile_scores(values: pd.Series, groups: pd.Series) -> pd.Series:
    """0-100 within each group: 100 x (known values strictly lower) / (known values - 1); NaN stays NaN.

    A measure with fewer than two distinct known values in a group ranks nobody: it is unknown for all of them.
    """
    codes, uniques = pd.factorize(groups.to_numpy(), use_na_sentinel=False)
    return pd.Series(_percentiles(floats(values), codes, len(uniques)), index=values.index)


def _percentiles(v: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """percentile_scores on arrays (`codes`: each row's group number). One sort of the known values by (group,
    value) rather than pandas group-bys: the same ranks at a small fraction of the per-call cost, which dominates
    for a few thousand rows."""
    known = np.flatnonzero(~np.isnan(v))
    c, x = codes[known], v[known]
    order = np.lexsort((x, c))
    cs, xs = c[order], x[order]
    steps = np.arange(len(xs))
    new_group = np.r_[True, cs[1:] != cs[:-1]] if len(xs) else np.zeros(0, dtype=bool)
    new_value = new_group | np.r_[True, xs[1:] != xs[:-1]] if len(xs) else new_group
    lower_sorted = (np.maximum.accumulate(np.where(new_value, steps, 0))
                    - np.maximum.accumulate(np.where(new_group, steps, 0)))
    lower = np.empty(len(xs))
    lower[order] = lower_sorted
    counts = np.bincount(cs, minlength=n_groups)
    distinct = np.bincount(cs[new_value], minlength=n_groups)
    out = np.full(len(v), np.nan)
    out[known] = np.where(distinct[c] >= 2, 100 * lower / np.maximum(counts[c] - 1, 1), np.nan)
    return out


def scores(columns: dict, ts: TierSettings) -> dict[str, np.ndarray]:
    """scaled_*, pts_*, coverage and score of measures rows (kam.tier_measures.measure_columns, grouped by as_of)."""
    w = weights(ts)
    codes, dates = pd.factorize(np.asarray(columns["as_of"]), use_na_sentinel=False)
    # numpy arrays, not Series: a few dozen operations on a few thousand rows, where pandas' per-call cost dominated
    scaled = {m: 100 * floats(columns[m]) if m in FLAG_MEASURES else _percentiles(floats(columns[m]), codes, len(dates))
              for m in MEASURES}
    known = sum((~np.isnan(scaled[m]) * w.get(m, 0.0) for m in MEASURES), np.zeros(len(codes)))
    with np.errstate(divide="ignore", invalid="ignore"):
        pts = {m: np.where(np.isnan(scaled[m]), np.nan, scaled[m] * w.get(m, 0.0) / known) for m in MEASURES}
    points = np.column_stack([pts[m] for m in MEASURES])
    return {**{f"scaled_{m}": scaled[m] for m in MEASURES}, **{f"pts_{m}": pts[m] for m in MEASURES},
            "coverage": known, "score": np.where(np.isnan(points).all(axis=1), 0.0, np.nansum(points, axis=1))}


def pareto_prior_share(frame: pd.DataFrame) -> pd.Series:
    """Share of the as_of's total revenue earned by accounts with strictly more revenue (NaN if total <= 0)."""
    rev = frame["revenue_12m"].clip(lower=0).rename("rev")
    ties = pd.concat([frame["as_of"], rev], axis=1).groupby(["as_of", "rev"])["rev"].sum()
    ties = ties.sort_index(ascending=[True, False])
    above = (ties.groupby(level="as_of").cumsum() - ties).rename("above")  # revenue of strictly bigger accounts
    totals = rev.groupby(frame["as_of"]).transform("sum")
    keyed = pd.concat([frame["as_of"], rev], axis=1).join(above, on=["as_of", "rev"])["above"]
    return (keyed / totals).where(totals > 0)


def ranks(columns: dict, ts: TierSettings) -> dict[str, np.ndarray]:
    """tier_rank (0 = best) and tier of scored measures rows (`scores` added), by ts.method."""
    last = len(ts.labels) - 1
    revenue = floats(columns["revenue_12m"])
    if ts.method == "pareto":
        prior = floats(pareto_prior_share(pd.DataFrame({"as_of": columns["as_of"], "revenue_12m": revenue})))
        rank = np.where(np.isnan(prior), last, sum(((prior >= c).astype(int) for c in ts.pareto_cutoffs),
                                                   np.zeros(len(revenue), dtype=int)))
    else:
        score = floats(columns["score"])
        rank = sum(((score < c).astype(int) for c in ts.score_cutoffs), np.zeros(len(revenue), dtype=int))
    rank = np.where(revenue > ts.last_tier_revenue_at_most, rank, last).astype(np.int64)
    return {"tier_rank": rank, "tier": np.array(ts.labels, dtype=object)[rank]}


def tiers_at(con: duckdb.DuckDBPyConnection, settings: Settings, dates: Sequence[dt.date]) -> pd.DataFrame:
    """Measures, score and tier of every account existing at each of `dates` (company-wide, no scope): the
    measures' COLUMNS, then scaled_*, pts_*, coverage, score, tier_rank and tier. Columns gathered, then one frame
    (a frame per step, concatenated and copied, cost more than the scoring)."""
    columns = measure_columns(con, dates)
    columns.update(scores(columns, settings.tiers))
    columns.update(ranks(columns, settings.tiers))
    return pd.DataFrame(columns)


def in_scope(con: duckdb.DuckDBPyConnection, scope: Scope) -> set[str]:
    """Account ids the scope keeps."""
    if scope.is_everything():
        return set(db.query(con, "SELECT account_id FROM accounts")["account_id"])
    condition, params = account_filter(scope, "a")
    return set(db.query(con, f"SELECT a.account_id FROM accounts a WHERE {condition}", params)["account_id"])


def scoped(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """The rows of `frame` (company-wide, as tiers_at gives) whose account is in `scope`."""
    if scope.is_everything():
        return frame
    keep = in_scope(con, scope)
    # a set lookup per row: Series.isin on strings builds a pyarrow scalar per value, 5 us each
    return frame[[account in keep for account in frame["account_id"]]]


def tier_table(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
               scope: Scope = Scope(), tiers_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per account in scope (TIER_COLUMNS), best tier first, then by score and revenue (then name).
    revenue_share and cumulative_share are of the rows in scope, cumulated from the largest revenue down (ties by
    name). `tiers_frame`: a `tiers_at` result that includes as_of, read instead of querying again
    (kam.scoreboard)."""
    frame = tiers_at(con, settings, [as_of]) if tiers_frame is None else tiers_frame
    frame = scoped(con, frame.iloc[np.flatnonzero(frame["as_of"].to_numpy() == as_of)], scope)
    revenue, name = floats(frame["revenue_12m"]), _text_order(frame["name"])
    by_revenue = np.lexsort((name, -revenue))   # largest first, then by name: the order shares cumulate in
    total = revenue[by_revenue].sum()
    share = revenue / total if total else np.full(len(revenue), np.nan)
    cumulative = np.empty(len(revenue))
    cumulative[by_revenue] = np.cumsum(share[by_revenue])
    # one stable sort on every key instead of two frame sorts: ties keep the revenue-then-name order
    order = np.lexsort((name, -revenue, -floats(frame["score"]), frame["tier_rank"].to_numpy()))
    out = frame.iloc[order].reset_index(drop=True)
    out["revenue_share"], out["cumulative_share"] = share[order], cumulative[order]
    return out[list(TIER_COLUMNS)]


def _text_order(values: pd.Series) -> np.ndarray:
    """Each value's place in ascending order (equal values share it), missing values last (as sort_values)."""
    codes, _ = pd.factorize(values, sort=True)
    return np.where(codes < 0, len(values), codes)


def tier_summary(table: pd.DataFrame, ts: TierSettings) -> pd.DataFrame:
    """Per tier (every label, even when empty): tier, tier_rank, accounts, revenue_12m, revenue_share."""
    base = pd.DataFrame({"tier": list(ts.labels), "tier_rank": range(len(ts.labels))})
    grouped = table.groupby("tier_rank").agg(accounts=("account_id", "size"), revenue_12m=("revenue_12m", "sum"))
    out = base.join(grouped, on="tier_rank").fillna({"accounts": 0, "revenue_12m": 0.0})
    out["accounts"] = out["accounts"].astype(int)
    total = out["revenue_12m"].sum()
    out["revenue_share"] = out["revenue_12m"] / total if total else np.nan
    return out


def pareto_head(table: pd.DataFrame, share: float) -> int:
    """How many of the biggest accounts it takes to reach `share` of the table's revenue (0 if none)."""
    cumulative = table.sort_values("revenue_12m", ascending=False)["revenue_12m"].cumsum()
    total = table["revenue_12m"].sum()
    return int((cumulative < share * total).sum() + 1) if total > 0 else 0
