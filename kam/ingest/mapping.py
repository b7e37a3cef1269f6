"""Mapping: which model table a sheet fills, and which column each header feeds, with a confidence.

In: a sheet's header texts and its name (a hint: a sheet called 订单 is probably orders). Out: a `Proposal` (table,
header -> column, header -> confidence 0-1, and the reason when no table fits). Headers are compared in
normalised form without bracketed units (金额（万元） -> 金额) but with a bracketed tax mark kept (金额（含税） ->
金额含税) and a percent sign read as 'pct' (毛利率(%) -> 毛利率pct): an exact synonym scores 1.0, a header
containing a synonym 0.8, a close spelling (difflib) up to 0.75; an amount or price including tax (价税合计,
金额（含税）) scores 0.95 of that, so a net amount beside it wins, and one marked net (金额（不含税）, excl. tax)
scores 1.0. A mapping the user confirmed is remembered under the header's fingerprint and proposed again,
at confidence 1.0, for the next file with the same header.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import duckdb

from kam import db
from kam.ingest.schema import TABLES
from kam.ingest.synonyms import COLUMN_SYNONYMS, IMPLIED_CHANNELS, NET_OF_TAX, TABLE_HINTS, TAX_INCLUSIVE
from kam.ingest.units import strip_units
from kam.vocab import normalise_label

EXACT, SECOND, CONTAINS, FUZZY_CAP = 1.0, 0.95, 0.8, 0.75
FUZZY_CUTOFF = 0.8        # difflib ratio below which two headers are not the same word
MIN_CONTAINED_CHARS = 2   # a contained Chinese synonym must be at least this long ('金额')
MIN_CONTAINED_LATIN = 3   # ... and a Latin one this long ('qty' yes, 'am' no)
HINT_BONUS = 1.5          # a matching sheet name is worth one and a half matched columns
MIN_COLUMNS = 2           # a sheet must map at least this many columns to fill a table
_TAXED_COLUMNS = ("amount", "unit_price")
# A bracketed tax mark is part of the header's meaning, not a unit: kept when the brackets are dropped.
_BRACKETED_TAX = re.compile(r"[(（【\[]\s*((?:不|未|无)?含(?:增值)?税|价税合计|税前|税后|(?:incl|excl|including|excluding)"
                            r"\.?\s*(?:tax|vat)|net|gross)\s*[)）】\]]", re.IGNORECASE)


@dataclass(frozen=True)
class Proposal:
    table: str | None
    mapping: dict[str, str | None]                      # header -> model column (None: not imported)
    confidence: dict[str, float] = field(default_factory=dict)
    reason: str = ""                                    # why no table fits, or 'remembered'


def normalise_header(header: str) -> str:
    text = _BRACKETED_TAX.sub(r" \1 ", str(header))
    if "%" in text or "％" in text:
        text += " pct"  # a share, not an amount: 毛利率(%), Margin %
    return normalise_label(strip_units(text))


def _tax_inclusive(key: str) -> bool:
    """Whether a normalised header names an amount including tax (含税, 价税合计, incl. VAT), not 不含税/无税."""
    return any(re.search(f"(?<![不未无]){mark}", key) for mark in TAX_INCLUSIVE)


def implied_channel(headers: Sequence[str]) -> str | None:
    """The interaction channel every row of a sheet without a channel column has, when its headers say it (a
    complaints log: 投诉日期, 投诉内容; an NPS survey: NPS评分)."""
    keys = [normalise_header(h) for h in headers]
    return next((channel for channel, marks in IMPLIED_CHANNELS if any(m in k for k in keys for m in marks)), None)


def fingerprint(headers: Sequence[str]) -> str:
    """A stable id of a header row: same columns in the same order, whatever the spacing or width of characters."""
    joined = "|".join(normalise_header(h) for h in headers)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


@cache
def _synonyms(table: str) -> dict[str, tuple[str, ...]]:
    return {column: tuple(dict.fromkeys(normalise_label(w) for w in (column, *words)))
            for column, words in COLUMN_SYNONYMS[table].items()}


@cache
def known_words() -> frozenset[str]:
    """Every normalised synonym: what the layout step counts as 'looks like a header'."""
    return frozenset(w for table in COLUMN_SYNONYMS for words in _synonyms(table).values() for w in words)


def _similarity(a: str, b: str) -> float:
    """difflib's ratio, skipped (0.0) where its cheap upper bounds already fall short of the cutoff."""
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < FUZZY_CUTOFF or matcher.quick_ratio() < FUZZY_CUTOFF:
        return 0.0
    return matcher.ratio()


def _containable(word: str) -> bool:
    """Whether a synonym may match inside a longer header: two Chinese characters say enough ('金额'), two Latin
    letters do not ('am' is in 'Amount', 'so' in 'Also')."""
    return len(word) >= (MIN_CONTAINED_LATIN if word.isascii() else MIN_CONTAINED_CHARS)


@cache
def match_column(header: str, table: str) -> tuple[str | None, float]:
    """The best column of `table` for one header, and the confidence of that guess."""
    key = normalise_header(header)
    column, score = _best_column(key, table)
    if column in _TAXED_COLUMNS and _tax_inclusive(key):
        score = round(score * SECOND, 3)
    elif column in _TAXED_COLUMNS and any(mark in key for mark in NET_OF_TAX):
        score = EXACT  # says outright that it is the net amount the model keeps ('Amount (excl. tax)')
    return column, score


def _best_column(key: str, table: str) -> tuple[str | None, float]:
    if not key:
        return None, 0.0
    contained: list[tuple[bool, int, str]] = []
    for column, words in _synonyms(table).items():
        for word in words:
            if key == word:
                return column, EXACT
            if _containable(word) and word in key:
                contained.append((key.endswith(word), len(word), column))
    if contained:
        # The word a header ends with names what it holds, in English and Chinese alike ('Opportunity Owner' is an
        # owner, '客户名称' a name); then the longer word is the more specific.
        return max(contained, key=lambda c: c[:2])[2], CONTAINS
    best: tuple[str | None, float] = (None, 0.0)
    for column, words in _synonyms(table).items():  # only headers no synonym covers pay for the fuzzy pass
        ratio = max(_similarity(key, w) for w in words)
        if ratio >= FUZZY_CUTOFF and best[1] < ratio * FUZZY_CAP:
            best = (column, round(ratio * FUZZY_CAP, 2))
    return best


def map_columns(headers: Sequence[str], table: str) -> tuple[dict[str, str | None], dict[str, float]]:
    """Each column of `table` fed by at most one header: the most confident one (the first on a tie)."""
    guesses = {h: match_column(h, table) for h in headers}
    taken: dict[str, tuple[str, float]] = {}
    for header, (column, score) in guesses.items():
        if column and (column not in taken or taken[column][1] < score):
            taken[column] = (header, score)
    winners = {header: (column, score) for column, (header, score) in taken.items()}
    return ({h: winners.get(h, (None, 0))[0] for h in headers},
            {h: winners.get(h, (None, 0.0))[1] for h in headers})


def missing_required(table: str, columns: set[str], headers: Sequence[str] = ()) -> list[str]:
    """Model columns a sheet must provide for `table`, named as the user should read them (an interaction channel
    the headers imply counts as provided)."""
    spec = TABLES[table]
    given = columns | ({"channel"} if table == "interactions" and implied_channel(headers) else set()) \
        | ({"name"} if table == "contacts" and columns & {"_first_name", "_last_name"} else set())
    missing = [c.name for c in spec.columns if c.required and c.name not in given]
    if spec.account_ref and table != "opportunities" and not columns & {"account_id", "_account_name"}:
        missing.append("account_id / account name")
    if table == "orders" and "amount" not in columns and not {"quantity", "unit_price"} <= columns:
        missing.append("amount (or quantity and unit_price)")
    if table == "accounts" and not columns & {"account_id", "name"}:
        missing.append("account_id / name")
    if table == "follow_ups" and not columns & {"action", "due_date", "next_step"}:
        missing.append("action / due_date")  # without either, a log of past contacts is not a task list
    return missing


def _hinted(sheet: str, table: str) -> bool:
    name = normalise_label(sheet)
    return bool(name) and any(normalise_label(h) and normalise_label(h) in name for h in TABLE_HINTS[table])


def propose(headers: Sequence[str], sheet: str = "", remembered: tuple[str, dict] | None = None) -> Proposal:
    """The table and column mapping to show the user for one sheet."""
    if remembered is not None:
        table, mapping = remembered
        return Proposal(table, {h: mapping.get(h) for h in headers}, {h: 1.0 for h in headers}, "remembered")
    best, best_score, nearest = None, 0.0, ("", ["?"])
    for table in TABLES:
        mapping, confidence = map_columns(headers, table)
        columns = {c for c in mapping.values() if c}
        score = sum(confidence.values()) + (HINT_BONUS if _hinted(sheet, table) else 0.0)
        missing = missing_required(table, columns, headers)
        if missing or len(columns) < MIN_COLUMNS:
            if score > 0 and (not nearest[0] or len(missing) < len(nearest[1])):
                nearest = (table, missing or [f"at least {MIN_COLUMNS} columns"])
            continue
        if score > best_score:
            best, best_score = Proposal(table, mapping, confidence), score
    if best is None:
        hint = f"; nearest: {nearest[0]}, missing {', '.join(nearest[1])}" if nearest[0] else ""
        return Proposal(None, {h: None for h in headers}, {h: 0.0 for h in headers},
                        f"no table matches these columns{hint}")
    return best


def recall(con: duckdb.DuckDBPyConnection, headers: Sequence[str]) -> tuple[str, dict] | None:
    """The mapping last confirmed for this header fingerprint, if any."""
    row = db.execute(con, "SELECT target_table, mapping FROM ingest_mappings WHERE fingerprint = ?",
                     [fingerprint(headers)]).fetchone()
    return None if row is None else (row[0], json.loads(row[1]))


def remember(con: duckdb.DuckDBPyConnection, headers: Sequence[str], table: str, mapping: dict[str, str | None],
             user: str) -> None:
    """Store the confirmed mapping for this header (the caller runs it inside its transaction)."""
    db.execute(con, "INSERT OR REPLACE INTO ingest_mappings (fingerprint, target_table, mapping, saved_by) "
                    "VALUES (?, ?, ?, ?)",
               [fingerprint(headers), table, json.dumps(mapping, ensure_ascii=False), user])
