"""The rows of the warning list: for each rule, the accounts it holds for, since when (where the data says), and
the facts its reason quotes.

In: a kam.risk rule frame at one as-of date, the active rules and, per rule, whether it holds on each row. Out:
`warning_rows`, one entry per (account, rule) that holds; kam.risk adds severity, traces "active since" for the
rules without a date of their own, sorts, and builds the frame.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from kam.columns import Columns
from kam.risk_rules import Rule


def _fired(f: Columns, records: _Records, rule: Rule, held: np.ndarray, settings,
           as_of: dt.date) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """One rule's warnings: the positions of its rows in the facts `f` (`held` marks them), since when each holds
    (datetime64), and the facts of each reason."""
    rows = np.flatnonzero(held)
    if not len(rows):
        return rows, np.empty(0, dtype="datetime64[ns]"), []
    # `since` over every row, then taken at the rule's rows: cheaper than a frame of those rows per rule
    since = rule.since(f, settings, as_of)[rows] if rule.since \
        else np.full(len(rows), np.datetime64("NaT"), dtype="datetime64[ns]")
    return rows, since, [rule.facts(records.row(i), settings) for i in rows]


class _Records:
    """The facts rows of a frame by position: what a rule's `facts` reads (row[column]), from column arrays made
    on first use (a handful of the ~50 columns), without boxing every value of every hit row as
    to_dict("records") did."""

    def __init__(self, frame: Columns):
        self._frame, self._columns = frame, {}

    def row(self, position: int) -> _Row:
        return _Row(self, position)

    def column(self, name: str) -> np.ndarray:
        if name not in self._columns:
            self._columns[name] = np.asarray(self._frame[name])
        return self._columns[name]


class _Row:
    __slots__ = ("_records", "_position")

    def __init__(self, records: _Records, position: int):
        self._records, self._position = records, position

    def __getitem__(self, column: str):
        return self._records.column(column)[self._position]


@dataclass(frozen=True)
class Fired:
    """Every rule's warnings, one entry per (account, rule) that holds, rules in their order."""
    row: np.ndarray      # the position of the account's row in the facts frame
    rule: np.ndarray     # the rule's name (object)
    since: np.ndarray    # datetime64[ns], NaT for rules without a date of their own
    facts: list[dict]    # the numbers the reason quotes


def warning_rows(f: Columns, rules: tuple[Rule, ...], held: list[np.ndarray], settings,
                 as_of: dt.date) -> Fired:
    """Every rule's warnings as arrays (`Fired`): kam.risk builds the warning list's one frame from them, after
    sorting (a frame built here, then sorted and re-ordered, cost several times the rules themselves)."""
    records = _Records(f)
    fired = [_fired(f, records, rule, h, settings, as_of) for rule, h in zip(rules, held)]
    return Fired(row=np.concatenate([np.empty(0, dtype=np.intp), *(one[0] for one in fired)]),
                 rule=np.repeat(np.array([r.name for r in rules], dtype=object), [len(one[0]) for one in fired]),
                 since=np.concatenate([np.empty(0, dtype="datetime64[ns]"), *(one[1] for one in fired)]),
                 facts=[fact for one in fired for fact in one[2]])
