"""The rows of the warning list: for each rule, the accounts it holds for, since when (where the data says), and
the facts its reason quotes.

In: a kam.risk rule frame at one as-of date, the active rules and, per rule, whether it holds on each row. Out:
`warning_rows`, one row per (account, rule) that holds; kam.risk adds severity, traces "active since" for the
rules without a date of their own, and sorts.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kam.risk_rules import Rule

def _fired(f: pd.DataFrame, records: _Records, rule: Rule, held: np.ndarray, settings,
           as_of: dt.date) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """One rule's warnings: the positions of its rows in the facts `f` (`held` marks them), since when each holds
    (datetime64), and the facts of each reason."""
    rows = np.flatnonzero(held)
    if not len(rows):
        return rows, np.empty(0, dtype="datetime64[ns]"), []
    # `since` over every row, then taken at the rule's rows: cheaper than a frame of those rows per rule
    since = pd.to_datetime(rule.since(f, settings, as_of)).to_numpy()[rows] if rule.since \
        else np.full(len(rows), np.datetime64("NaT"), dtype="datetime64[ns]")
    return rows, since, [rule.facts(records.row(i), settings) for i in rows]


class _Records:
    """The facts rows of a frame by position: what a rule's `facts` reads (row[column]), from column arrays made
    on first use (a handful of the ~50 columns), without boxing every value of every hit row as
    to_dict("records") did."""

    def __init__(self, frame: pd.DataFrame):
        self._frame, self._columns = frame, {}

    def row(self, position: int) -> _Row:
        return _Row(self, position)

    def column(self, name: str) -> np.ndarray:
        if name not in self._columns:
            self._columns[name] = self._frame[name].to_numpy()
        return self._columns[name]


class _Row:
    __slots__ = ("_records", "_position")

    def __init__(self, records: _Records, position: int):
        self._records, self._position = records, position

    def __getitem__(self, column: str):
        return self._records.column(column)[self._position]


def warning_rows(f: pd.DataFrame, rules: tuple[Rule, ...], held: list[np.ndarray], settings,
                 as_of: dt.date) -> pd.DataFrame:
    """Every rule's warnings as one frame: account_id, name, owner, rule, revenue_at_risk, active_since (NaT for
    rules without a date of their own), facts. Built from arrays once: a frame per rule, concatenated, cost more
    than the rules themselves."""
    records = _Records(f)
    fired = [_fired(f, records, rule, h, settings, as_of) for rule, h in zip(rules, held)]
    rows = np.concatenate([np.empty(0, dtype=np.intp), *(one[0] for one in fired)])
    names = np.repeat([r.name for r in rules], [len(one[0]) for one in fired]) if rules else np.empty(0, dtype=object)
    since = np.concatenate([np.empty(0, dtype="datetime64[ns]"), *(one[1] for one in fired)])
    return pd.DataFrame({
        "account_id": f["account_id"].to_numpy()[rows], "name": f["name"].to_numpy()[rows],
        "owner": f["owner"].to_numpy()[rows], "rule": pd.array(names, dtype="str"),
        "revenue_at_risk": f["revenue_12m"].to_numpy(dtype=float)[rows],
        "active_since": since, "facts": [fact for one in fired for fact in one[2]]})
