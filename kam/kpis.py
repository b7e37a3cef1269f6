"""KPI cards: each figure for the period ending at as_of, the previous period, the delta, and a sparkline series.

In: a connection, Settings, an as-of date and a Scope. Out: `kpi_cards` -> tuple of frozen `Kpi`, one per card.
The period is `settings.tiers.kpi_period_months` long (a quarter by default); the sparkline holds the value at each
of the last `kpi_periods` period ends, oldest first, so its last point is the card's value.

Definitions (docs/metrics.md, section KPIs): key accounts are those in the best `key_tiers` tiers at each period end
(tiers are company-wide, see kam.tiers); an account is active at a date when its revenue over the 12 months to that
date is positive; retention compares the accounts active at the previous period end with those active now.
Health and risk figures come from kam.health / kam.risk when those modules are present, and are left out otherwise.
"""
from __future__ import annotations

import datetime as dt
import importlib

import duckdb
import numpy as np
import pandas as pd

from kam import background, order_day_totals
from kam.arrays import floats
from kam.columns import Columns
from kam.kpi_card import Kpi, card, kpi_dates
from kam.kpi_survey import survey_kpis
from kam.scope import Scope
from kam.settings import Settings
from kam.tiers import scoped, tiers_at


def _ratio(top: float, bottom: float) -> float | None:
    return top / bottom if bottom else None


def tier_cards(frame: pd.DataFrame, settings: Settings, ends: list[dt.date]) -> list[Kpi]:
    """Key-account revenue (12 months to each end), its share of total, and accounts per tier."""
    end = pd.Index(ends).get_indexer(frame["as_of"])
    rows = end >= 0
    end, rank = end[rows], frame["tier_rank"].to_numpy()[rows]
    revenue_12m = frame["revenue_12m"].to_numpy(dtype=float)[rows]
    key = rank < settings.tiers.key_tiers
    revenue = np.bincount(end[key], weights=revenue_12m[key], minlength=len(ends))
    total = np.bincount(end, weights=revenue_12m, minlength=len(ends))
    cards = [card("key_revenue", "money", list(revenue), ends),
             card("key_share", "pct", [_ratio(r, t) for r, t in zip(revenue, total)], ends)]
    for k, label in enumerate(settings.tiers.labels):
        series = np.bincount(end[rank == k], minlength=len(ends))
        cards.append(card("tier_accounts", "count", [int(n) for n in series], ends, label=label))
    return cards


def retention_cards(frame: pd.DataFrame, ends: list[dt.date], starts: list[dt.date]) -> list[Kpi]:
    """Account retention and churn, net revenue retention and revenue churn over each period."""
    revenue = _revenue_grid(frame, sorted(set(starts) | set(ends)))
    account, churn, nrr, rev_churn = [], [], [], []
    for start, end in zip(starts, ends):
        before, after = revenue[start], revenue[end]
        active = before > 0
        kept = active & (after > 0)
        account.append(_ratio(kept.sum(), active.sum()))
        churn.append(None if account[-1] is None else 1 - account[-1])
        nrr.append(_ratio(after[active].sum(), before[active].sum()))
        rev_churn.append(_ratio(before[active & ~kept].sum(), before[active].sum()))
    return [card("retention", "pct", account, ends), card("churn", "pct", churn, ends, higher_is_better=False),
            card("nrr", "pct", nrr, ends),
            card("revenue_churn", "pct", rev_churn, ends, higher_is_better=False)]


def _revenue_grid(frame: pd.DataFrame, dates: list[dt.date]) -> dict[dt.date, np.ndarray]:
    """date -> revenue_12m of every account in `frame` at that date (0 where it has no row then), accounts in
    the same order at every date. numpy, not pivot_table: the pivot cost more than all the cards."""
    row, ids = pd.factorize(frame["account_id"])
    column = pd.Index(dates).get_indexer(frame["as_of"])
    grid = np.zeros((len(ids), len(dates)))
    known = column >= 0
    np.add.at(grid, (row[known], column[known]), frame["revenue_12m"].to_numpy(dtype=float)[known])
    return {date: grid[:, k] for k, date in enumerate(dates)}


def optional_module(module: str):
    """kam.health / kam.risk when present (they are built separately); None otherwise."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError:
        return None


def _health_cards(scores: np.ndarray, bands: np.ndarray, end: np.ndarray, ends: list[dt.date]) -> list[Kpi]:
    """Average health and the share of scored accounts in the red band at each end, from per-row scores (NaN when
    unknown), bands and `end` (the index of the row's period end in `ends`)."""
    scored, red = ~np.isnan(scores), np.asarray(bands) == "red"
    counted = np.bincount(end[scored], minlength=len(ends))
    total = np.bincount(end[scored], weights=scores[scored], minlength=len(ends))
    reds = np.bincount(end[red], minlength=len(ends))
    return [card("avg_health", "score", [_ratio(t, n) for t, n in zip(total, counted)], ends),
            card("red_share", "pct", [_ratio(r, n) for r, n in zip(reds, counted)], ends, higher_is_better=False)]


# Rules that read only what is known now (an account keeps only its current contract's end date): at an earlier
# period end they cannot see a contract renewed since, so counting them would make every quarter's at-risk figures
# rise by the renewals alone. The at-risk cards leave them out at every end; the contracts card counts them now.
CURRENT_ONLY_RULES = frozenset({"contract_ending"})


def _known_or_zero(values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), 0.0, values)


def _risk_cards(revenue: np.ndarray, at_risk: np.ndarray, end: np.ndarray, ends: list[dt.date]) -> list[Kpi]:
    """Accounts with any warning and their revenue at risk (trailing 12 months) at each end; each row is one
    account at one end, so an account with several warnings counts once."""
    counts = np.bincount(end[at_risk], minlength=len(ends))
    money = np.bincount(end[at_risk], weights=revenue[at_risk], minlength=len(ends))
    return [card("accounts_at_risk", "count", [int(c) for c in counts], ends, higher_is_better=False),
            card("revenue_at_risk", "money", list(money), ends, higher_is_better=False)]


def health_and_risk_cards(con: duckdb.DuckDBPyConnection, settings: Settings, ends: list[dt.date],
                          scope: Scope, rule_frame: Columns | None = None) -> list[Kpi]:
    """Average health, share in the red band, accounts at risk and revenue at risk at each end. With kam.risk
    present one facts query serves both (kam.risk.rule_frame scores health at the ends for its rules; pass
    `rule_frame` when already computed at the ends, and maybe more dates); with only kam.health, health_at."""
    health, risk = optional_module("kam.health"), optional_module("kam.risk")
    hs = settings.health
    if risk is not None:
        frame = risk.rule_frame(con, settings, ends, scope) if rule_frame is None else rule_frame
        # Arrays and bincounts per end, not a frame per end: these cards cost more than the scores once.
        end = pd.Index(np.array(ends, dtype="datetime64[us]")).get_indexer(frame["as_of"])
        rows = np.flatnonzero(end >= 0)
        frame, end = frame.take(rows), end[rows]
        scores = floats(frame["health"])
        return [*_health_cards(scores, health.bands(scores, hs.red_below, hs.green_from), end, ends),
                *_risk_cards(_known_or_zero(floats(frame["revenue_12m"])),
                             risk.at_risk(frame, settings, CURRENT_ONLY_RULES), end, ends)]
    if health is not None:
        table = health.health_at(con, settings, ends, scope)
        return _health_cards(table["score"].to_numpy(dtype=float, na_value=np.nan), table["band"],
                             pd.Index(ends).get_indexer(table["as_of"]), ends)
    return []


def kpi_cards(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date, scope: Scope = Scope(),
              tiers_frame: pd.DataFrame | None = None, rule_frame: Columns | None = None,
              survey_cards: list[Kpi] | None = None) -> tuple[Kpi, ...]:
    """Every KPI card for the period ending at as_of, in display order. `tiers_frame` (kam.tiers.tiers_at at
    `kpi_dates`), `rule_frame` (kam.risk.rule_frame of this scope at the period ends) and `survey_cards`
    (`survey_kpis` of this scope) are read instead of queried again when a caller already has them
    (kam.scoreboard). Without either, the tiers are scored on a second cursor: call this outside a write
    transaction (that cursor sees committed data only)."""
    dates = kpi_dates(as_of, settings)
    starts, ends = dates[:-1], dates[1:]
    if tiers_frame is None and rule_frame is None:
        tiers_frame, risk_and_health = _tiers_and_facts(con, settings, ends, scope, dates)
    else:
        tiers_frame = tiers_at(con, settings, dates) if tiers_frame is None else tiers_frame
        risk_and_health = health_and_risk_cards(con, settings, ends, scope, rule_frame)
    frame = scoped(con, tiers_frame, scope)
    return (*tier_cards(frame, settings, ends), *retention_cards(frame, ends, starts), *risk_and_health,
            *(survey_kpis(con, settings, as_of, scope) if survey_cards is None else survey_cards))


def _tiers_and_facts(con: duckdb.DuckDBPyConnection, settings: Settings, ends: list[dt.date], scope: Scope,
                     dates: list[dt.date]) -> tuple[pd.DataFrame, list[Kpi]]:
    """The tiers at `dates` and the health and risk cards at `ends`, as kam.scoreboard computes them: the order
    days read once for both, the tiers on a second cursor while the facts are scored here (about 15% less than
    one after the other, each reading the order days)."""
    with order_day_totals.read_once(con, dates[-1]), \
            background.on_second_cursor(con, tiers_at, settings, dates) as tiers:
        cards = health_and_risk_cards(con, settings, ends, scope)
        return tiers.result(), cards
