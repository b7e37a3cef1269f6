"""Early warnings: the active warnings of every account in scope, with severity, revenue at risk and since when.

In: a connection, Settings, an as-of date and a Scope. Out: `warning_list`, one row per active warning (see its
docstring), and `reason(row, lang)`, the sentence an executive reads ("No order for 94 days, 3.1x its usual
30-day interval"). The rules themselves live in kam.risk_rules. "Since when" comes from the data where it can (the
day a contact left, the day the no-order limit passed); trend rules are re-checked every `since_step_days` back
and the warning is active since the earliest check of the unbroken run (so accurate to that step).
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from kam.arrays import floats
from kam.columns import Columns
from kam.health import health_scores
from kam.health_facts import fact_columns
from kam.i18n import fmt_date, fmt_money, fmt_number, t
from kam.order_facts import order_fact_columns
from kam.risk_rows import Fired, warning_rows
from kam.risk_rules import RULES, Rule, active_rules
from kam.scope import Scope

SEVERITIES = ("high", "medium", "low")
COLUMNS = ["account_id", "name", "owner", "rule", "severity", "severity_rank", "revenue_at_risk", "active_since",
           "facts"]


def rule_frame(con: duckdb.DuckDBPyConnection, settings, dates: list[dt.date], scope: Scope = Scope(),
               account_ids: list[str] | None = None, health_before: bool | None = None) -> Columns:
    """What the rules read, per as-of date in `dates` and account: the account facts (kam.health_facts.
    fact_columns, numpy columns; `.to_frame()` for a DataFrame) plus `health` then and `health_before` (health
    `health_drop_days` earlier; only when `health_before`, by default when the health_drop rule is on), all from
    one facts query, ordered by date then account."""
    days = dt.timedelta(days=settings.risk.health_drop_days)
    needs_before = ("health_drop" in {r.name for r in active_rules(settings)}) if health_before is None \
        else health_before
    every = sorted(set(dates) | ({d - days for d in dates} if needs_before else set()))
    f = fact_columns(con, settings, every, scope, account_ids)
    f["health"] = health_scores(f, settings.health)
    f["health_before"] = _earlier(f, f["health"], days) if needs_before else np.nan
    return f.take(np.isin(f["as_of"], _days_of(dates)))


def _days_of(dates: list[dt.date]) -> np.ndarray:
    """Dates as the rule frame's as_of values (datetime64[us])."""
    return np.array(dates, dtype="datetime64[us]")


def _earlier(f: Columns, values: np.ndarray, days: dt.timedelta) -> np.ndarray:
    """Per row of `f` (as_of, account_id): `values` at the row of the same account `days` before (NaN without
    one). A grid of row numbers by date and account, not a MultiIndex reindex (several times dearer)."""
    date, dates = pd.factorize(f["as_of"])
    account, accounts = pd.factorize(f["account_id"])
    rows = np.full((len(dates), len(accounts)), -1)
    rows[date, account] = np.arange(len(f))
    then = pd.Index(dates).get_indexer(dates - np.timedelta64(days))   # each date's earlier date (-1: not read)
    earlier = np.where(then[date] >= 0, rows[then[date], account], -1)
    return np.where(earlier >= 0, values[earlier], np.nan)


# Rules that read only the comparison-window facts: re-checking them needs kam.order_facts, not all the facts.
COMPARISON_RULES = frozenset({"revenue_drop", "order_count_drop"})
_COMPARISON_FACTS = ("revenue_cmp_now", "revenue_cmp_before", "order_days_cmp_now", "order_days_cmp_before")


def trace_steps(settings, as_of: dt.date) -> list[dt.date]:
    """The earlier dates at which rules without a date of their own are re-checked (newest first)."""
    return [as_of - dt.timedelta(days=k * settings.risk.since_step_days)
            for k in range(1, settings.risk.since_max_steps + 1)]


def _trace_since(con: duckdb.DuckDBPyConnection, settings, as_of: dt.date, scope: Scope,
                 pending: set[tuple[str, str]], frame: Columns | None) -> dict[tuple[str, str], dt.date]:
    """For (account, rule) pairs whose rule has no date of its own: the earliest re-check date of the unbroken
    run of checks (every since_step_days back, at most since_max_steps) at which the rule held. One query covers
    every re-check date, for the accounts concerned only (unless `frame` already holds every one): the light
    order facts when only COMPARISON_RULES are pending, else the whole facts query; each rule is
    checked at all of the dates at once."""
    since = {key: as_of for key in pending}
    if not pending:
        return since
    rules = {r.name: r for r in RULES}
    steps = trace_steps(settings, as_of)
    accounts = sorted({a for a, _ in pending})
    if frame is not None and np.isin(_days_of(steps), frame["as_of"]).all():
        frames = frame.take(np.isin(frame["as_of"], _days_of(steps)))
    elif {n for _, n in pending} <= COMPARISON_RULES:
        frames = order_fact_columns(con, settings, steps, accounts, _COMPARISON_FACTS)
    else:
        frames = rule_frame(con, settings, steps, scope, accounts,
                            health_before=any(name == "health_drop" for _, name in pending))
    # One row per account, one column per re-check date (newest first); numpy, not pivot_table (ten times dearer).
    row, ids = pd.factorize(frames["account_id"])
    column = pd.Index(_days_of(steps)).get_indexer(frames["as_of"])
    for name in {n for _, n in pending}:
        checks = np.zeros((len(ids), len(steps)), dtype=bool)
        held = rules[name].holds(frames, settings)
        checks[row[held], column[held]] = True
        run = np.cumprod(checks, axis=1).sum(axis=1)  # checks in a row, newest first, at which the rule held
        since.update({(a, name): steps[int(n) - 1] for a, n in zip(ids, run) if n and (a, name) in since})
    return since


def warning_list(con: duckdb.DuckDBPyConnection, settings, as_of: dt.date, scope: Scope = Scope(),
                 account_ids: list[str] | None = None, trace_since: bool = True,
                 frame: Columns | None = None) -> pd.DataFrame:
    """One row per active warning: account_id, name, owner, rule, severity ('high'|'medium'|'low'),
    severity_rank (0 = most severe), revenue_at_risk (revenue of the trailing 12 months), active_since (the date
    the condition started holding), facts (dict of the numbers behind the reason). Sorted by severity, then
    revenue at risk (largest first), then account and rule. `account_ids` narrows to those accounts;
    `trace_since=False` skips re-checking earlier dates (trend rules then have no active_since): for counts only.
    `frame`: a `rule_frame` of this scope already computed at as_of (and maybe at the `trace_steps` dates too),
    read instead of querying those facts again (kam.scoreboard).
    Built from arrays, sorted, and made a frame once at the end: a few hundred warnings, where each pandas step
    (a column added, a sort on four keys) cost more than the rules themselves."""
    f = rule_frame(con, settings, [as_of], scope, account_ids) if frame is None else rows_at(frame, as_of)
    rules = active_rules(settings)
    fired = warning_rows(f, rules, _held(f, rules, settings), settings, as_of)
    account = f["account_id"][fired.row]
    since = _traced(con, settings, as_of, scope, account, fired, frame) if trace_since else fired.since
    severity = dict(settings.risk.severities)
    levels = [severity.get(rule, "medium") for rule in fired.rule]
    rank = [SEVERITIES.index(level) for level in levels]
    revenue = floats(f["revenue_12m"])[fired.row]
    order = sorted(range(len(levels)), key=lambda i: (rank[i], _larger_first(revenue[i]), account[i], fired.rule[i]))
    rows = fired.row[order]
    return pd.DataFrame({
        "account_id": account[order], "name": f["name"][rows], "owner": f["owner"][rows],
        "rule": pd.array(fired.rule[order], dtype="str"), "severity": pd.array([levels[i] for i in order], dtype="str"),
        "severity_rank": np.array([rank[i] for i in order], dtype="int64"), "revenue_at_risk": revenue[order],
        "active_since": pd.Series(since[order]).dt.date.to_numpy(), "facts": [fired.facts[i] for i in order]},
        columns=COLUMNS)


def _larger_first(value: float) -> tuple[bool, float]:
    """A sort key putting larger values first and unknown ones last (as pandas sorts descending)."""
    return (True, 0.0) if np.isnan(value) else (False, -value)


def rows_at(frame: Columns, as_of: dt.date) -> Columns:
    """The rows of a `rule_frame` (ordered by date) at `as_of`: a slice, not a copy of every column as a boolean
    filter makes."""
    dates = frame["as_of"]
    day = np.datetime64(as_of, "us").astype(dates.dtype)
    first, last = np.searchsorted(dates, day, side="left"), np.searchsorted(dates, day, side="right")
    return frame.take(slice(first, last))


def _traced(con: duckdb.DuckDBPyConnection, settings, as_of: dt.date, scope: Scope, account: np.ndarray,
            fired: Fired, frame: Columns | None) -> np.ndarray:
    """`fired.since` with the start of every warning of a rule without a date of its own traced (_trace_since)."""
    traced = {r.name for r in RULES if r.since is None}
    pending = {(a, r) for a, r in zip(account, fired.rule) if r in traced}
    found = _trace_since(con, settings, as_of, scope, pending, frame)
    return np.array([np.datetime64(found[(a, r)], "ns") if (a, r) in found else since
                     for a, r, since in zip(account, fired.rule, fired.since)], dtype="datetime64[ns]")


def _held(f: Columns, rules: tuple[Rule, ...], settings) -> list[np.ndarray]:
    """Per rule, whether it holds on each row of a rule_frame."""
    return [rule.holds(f, settings) for rule in rules]


def at_risk(f: Columns, settings, skip: frozenset[str] = frozenset()) -> np.ndarray:
    """Per row of a rule_frame: whether any active rule (not in `skip`) holds (the account has a warning then)."""
    held = _held(f, tuple(r for r in active_rules(settings) if r.name not in skip), settings)
    return np.logical_or.reduce(held) if held else np.zeros(len(f), dtype=bool)


def warnings_at(con: duckdb.DuckDBPyConnection, settings, dates: list[dt.date], scope: Scope = Scope()) -> pd.DataFrame:
    """Which warnings were active at each of `dates`, from one facts query (for series such as accounts at risk
    per quarter): as_of (date), account_id, rule, severity, revenue_at_risk. No reasons, no start dates."""
    return warnings_in(rule_frame(con, settings, list(dates), scope), settings)


def warnings_in(f: Columns, settings) -> pd.DataFrame:
    """`warnings_at` from a `rule_frame` already computed (so a caller needing health too reads the facts once)."""
    rules = active_rules(settings)
    held = [np.flatnonzero(h) for h in _held(f, rules, settings)]
    rows = np.concatenate([np.empty(0, dtype=np.intp), *held])
    names = np.repeat([r.name for r in rules], [len(h) for h in held]) if rules else np.empty(0, dtype=object)
    severity = dict(settings.risk.severities)
    # Built from arrays in one go: a frame per rule, concatenated, cost ten times the rules themselves.
    out = pd.DataFrame({"as_of": f["as_of"][rows].astype("datetime64[D]").astype(object),
                        "account_id": f["account_id"][rows], "rule": pd.array(names, dtype="str"),
                        "severity": pd.array([severity.get(n, "medium") for n in names], dtype="str"),
                        "revenue_at_risk": floats(f["revenue_12m"])[rows]})
    return out.sort_values(["as_of", "account_id", "rule"], kind="stable").reset_index(drop=True)


_MONEY = {"revenue", "revenue_last_year", "overdue_amount"}
_ONE_DECIMAL = {"multiple"}


def _fmt(key: str, value: object, lang: str) -> str:
    if key in _MONEY:
        return fmt_money(value, lang)
    if isinstance(value, dt.date):
        return fmt_date(value, lang)
    if isinstance(value, str):
        return value
    return fmt_number(value, lang, 1 if key in _ONE_DECIMAL else 0)


def reason(row, lang: str) -> str:
    """The executive-readable reason of one warning row (anything with 'rule' and 'facts'), in zh or en."""
    facts = {k: _fmt(k, v, lang) for k, v in row["facts"].items()}
    return t(f"risk.reason.{row['rule']}", lang, **facts)


def with_reasons(warnings: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of a warning list with a `reason` column in `lang`."""
    return warnings.assign(reason=[reason(row, lang) for row in warnings.to_dict("records")])


def filter_warnings(warnings: pd.DataFrame, rules: list[str] | None = None,
                    severities: list[str] | None = None) -> pd.DataFrame:
    """The warnings of the chosen rules and severities (nothing chosen = all), order kept."""
    keep = pd.Series(True, index=warnings.index)
    if rules:
        keep &= warnings["rule"].isin(rules)
    if severities:
        keep &= warnings["severity"].isin(severities)
    return warnings[keep].reset_index(drop=True)
