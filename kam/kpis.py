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
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from kam import background, db, order_day_totals
from kam.dated_rows import day_numbers
from kam.scope import Scope, account_filter
from kam.settings import Settings
from kam.tiers import scoped, tiers_at

# The NPS definition itself (not a tunable threshold): promoters answer 9-10, detractors 0-6.
NPS_PROMOTER_FROM, NPS_DETRACTOR_UP_TO = 9, 6


@dataclass(frozen=True)
class Kpi:
    key: str                                  # i18n key 'kpi.<key>' names the card
    kind: str                                 # money | count | pct | score | nps: how to format it
    value: float | None
    previous: float | None
    series: tuple[float | None, ...]          # one value per period end, oldest first; ends with `value`
    period_ends: tuple[dt.date, ...]
    higher_is_better: bool = True
    label: str = ""                           # a value to fill into the name (e.g. the tier label)

    @property
    def delta(self) -> float | None:
        return None if _missing(self.value) or _missing(self.previous) else self.value - self.previous


def _missing(value: float | None) -> bool:
    return value is None or bool(np.isnan(value))


def period_ends(as_of: dt.date, settings: Settings, extra: int = 0) -> list[dt.date]:
    """The last kpi_periods (+ extra earlier) period ends, oldest first, the newest being as_of."""
    months = settings.tiers.kpi_period_months
    count = settings.tiers.kpi_periods + extra
    stamp = pd.Timestamp(as_of)
    ends = [stamp - pd.DateOffset(months=months * k) for k in range(count - 1, -1, -1)]
    if stamp.is_month_end:  # 30 June -> 31 March, not 30 March: month ends stay month ends (quarter ends)
        ends = [end + pd.offsets.MonthEnd(0) for end in ends]
    return [end.date() for end in ends]


def _card(key: str, kind: str, values: list[float | None], ends: list[dt.date], **extra) -> Kpi:
    clean = tuple(None if _missing(v) else float(v) for v in values)
    return Kpi(key, kind, clean[-1], clean[-2] if len(clean) > 1 else None, clean, tuple(ends), **extra)


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
    cards = [_card("key_revenue", "money", list(revenue), ends),
             _card("key_share", "pct", [_ratio(r, t) for r, t in zip(revenue, total)], ends)]
    for k, label in enumerate(settings.tiers.labels):
        series = np.bincount(end[rank == k], minlength=len(ends))
        cards.append(_card("tier_accounts", "count", [int(n) for n in series], ends, label=label))
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
    return [_card("retention", "pct", account, ends), _card("churn", "pct", churn, ends, higher_is_better=False),
            _card("nrr", "pct", nrr, ends),
            _card("revenue_churn", "pct", rev_churn, ends, higher_is_better=False)]


def _revenue_grid(frame: pd.DataFrame, dates: list[dt.date]) -> dict[dt.date, np.ndarray]:
    """date -> revenue_12m of every account in `frame` at that date (0 where it has no row then), accounts in
    the same order at every date. numpy, not pivot_table: the pivot cost more than all the cards."""
    row, ids = pd.factorize(frame["account_id"])
    column = pd.Index(dates).get_indexer(frame["as_of"])
    grid = np.zeros((len(ids), len(dates)))
    known = column >= 0
    np.add.at(grid, (row[known], column[known]), frame["revenue_12m"].to_numpy(dtype=float)[known])
    return {date: grid[:, k] for k, date in enumerate(dates)}


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
    return [_card("nps", "nps", _nps_per_period(answers["day"], answers["nps"], ends, starts), ends),
            _card("contracts_expiring", "count", [expiring], ends[-1:], higher_is_better=False,
                  label=str(settings.risk.contract_ending_days))]


def _nps_per_period(day: np.ndarray, nps: np.ndarray, ends: list[dt.date], starts: list[dt.date]) -> list[float]:
    """Per period (start, end]: 100 x (promoters - detractors) / answers, NaN without an answer."""
    values = []
    for start, end in zip(day_numbers(starts), day_numbers(ends)):
        given = nps[(day > start) & (day <= end)]
        promoters, detractors = (given >= NPS_PROMOTER_FROM).sum(), (given <= NPS_DETRACTOR_UP_TO).sum()
        values.append(100.0 * (promoters - detractors) / len(given) if len(given) else np.nan)
    return values


def optional_module(module: str):
    """kam.health / kam.risk when present (they are built separately); None otherwise."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError:
        return None


def _health_cards(scores: np.ndarray, bands: pd.Series, end: np.ndarray, ends: list[dt.date]) -> list[Kpi]:
    """Average health and the share of scored accounts in the red band at each end, from per-row scores (NaN when
    unknown), bands and `end` (the index of the row's period end in `ends`)."""
    scored, red = ~np.isnan(scores), bands.to_numpy() == "red"
    counted = np.bincount(end[scored], minlength=len(ends))
    total = np.bincount(end[scored], weights=scores[scored], minlength=len(ends))
    reds = np.bincount(end[red], minlength=len(ends))
    return [_card("avg_health", "score", [_ratio(t, n) for t, n in zip(total, counted)], ends),
            _card("red_share", "pct", [_ratio(r, n) for r, n in zip(reds, counted)], ends, higher_is_better=False)]


# Rules that read only what is known now (an account keeps only its current contract's end date): at an earlier
# period end they cannot see a contract renewed since, so counting them would make every quarter's at-risk figures
# rise by the renewals alone. The at-risk cards leave them out at every end; the contracts card counts them now.
CURRENT_ONLY_RULES = frozenset({"contract_ending"})


def _risk_cards(revenue: np.ndarray, at_risk: np.ndarray, end: np.ndarray, ends: list[dt.date]) -> list[Kpi]:
    """Accounts with any warning and their revenue at risk (trailing 12 months) at each end; each row is one
    account at one end, so an account with several warnings counts once."""
    counts = np.bincount(end[at_risk], minlength=len(ends))
    money = np.bincount(end[at_risk], weights=revenue[at_risk], minlength=len(ends))
    return [_card("accounts_at_risk", "count", [int(c) for c in counts], ends, higher_is_better=False),
            _card("revenue_at_risk", "money", list(money), ends, higher_is_better=False)]


def health_and_risk_cards(con: duckdb.DuckDBPyConnection, settings: Settings, ends: list[dt.date],
                          scope: Scope, rule_frame: pd.DataFrame | None = None) -> list[Kpi]:
    """Average health, share in the red band, accounts at risk and revenue at risk at each end. With kam.risk
    present one facts query serves both (kam.risk.rule_frame scores health at the ends for its rules; pass
    `rule_frame` when already computed at the ends, and maybe more dates); with only kam.health, health_at."""
    health, risk = optional_module("kam.health"), optional_module("kam.risk")
    hs = settings.health
    if risk is not None:
        frame = risk.rule_frame(con, settings, ends, scope) if rule_frame is None else rule_frame
        # Arrays and bincounts per end, not a frame per end: these cards cost more than the scores once.
        end = pd.Index(pd.to_datetime(ends)).get_indexer(pd.to_datetime(frame["as_of"]))
        rows = np.flatnonzero(end >= 0)
        frame, end = frame.iloc[rows], end[rows]
        scores = frame["health"].to_numpy(dtype=float, na_value=np.nan)
        return [*_health_cards(scores, health.band(frame["health"], hs.red_below, hs.green_from), end, ends),
                *_risk_cards(frame["revenue_12m"].to_numpy(dtype=float, na_value=0.0),
                             risk.at_risk(frame, settings, CURRENT_ONLY_RULES), end, ends)]
    if health is not None:
        table = health.health_at(con, settings, ends, scope)
        return _health_cards(table["score"].to_numpy(dtype=float, na_value=np.nan), table["band"],
                             pd.Index(ends).get_indexer(table["as_of"]), ends)
    return []


def kpi_cards(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date, scope: Scope = Scope(),
              tiers_frame: pd.DataFrame | None = None, rule_frame: pd.DataFrame | None = None,
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


def survey_kpis(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                scope: Scope = Scope()) -> list[Kpi]:
    """The NPS and contracts-expiring cards of `kpi_cards` (their own query, independent of the scores)."""
    dates = kpi_dates(as_of, settings)
    return nps_and_contracts(con, settings, dates[1:], dates[:-1], scope)


def kpi_dates(as_of: dt.date, settings: Settings) -> list[dt.date]:
    """The period ends the KPI cards read, oldest first: one more than the sparkline (the first period's start)."""
    return period_ends(as_of, settings, extra=1)
