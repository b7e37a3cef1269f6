"""Layout: find the table inside a raw sheet grid.

In: a text grid from kam.ingest.readers (positional columns, None for empty). Out: a `Layout`: the header row, the
header texts, the body (one row per data row, columns named by header, index = the row number the user sees), the
unit a line above the header declares (单位：万元), and how many rows were skipped as title, blank, total (合计/小计/
Total) or note (注：...) rows. Real exports put titles and merged banners above the header, so the header is the
row among the first few that looks most like column names, not necessarily row 1.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kam.ingest.values import clean_text, unit_factor
from kam.vocab import normalise_label

HEADER_SCAN_ROWS = 30     # the header is looked for among this many leading rows
TOTAL_SCAN_COLUMNS = 3    # a 合计/Total label sits in one of the first few columns
TOTAL_WORDS = ("合计", "小计", "总计", "总合计", "共计", "合计金额", "total", "totals", "subtotal", "grandtotal", "sum")
NOTE_MARKERS = ("注", "备注", "说明", "note", "notes", "source", "数据来源", "制表", "审核", "ps")
NOTE_SYMBOLS = ("*", "※", "#")


@dataclass(frozen=True)
class Layout:
    header_row: int                 # 1-based row number of the header
    headers: tuple[str, ...]
    body: pd.DataFrame              # columns = headers, index = source row number (1-based)
    unit: float | None = None       # factor declared by a unit line above the header
    skipped: dict[str, int] = field(default_factory=dict)   # title / blank / total / note -> rows

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


_VALUE = re.compile(r"[\d\s.,:/\-年月日%¥$()]+")
# How a cell that folds to a total word can begin: separators that folding drops (also full-width), then the word's
# first letters. Valid in RE2 (Arrow) and Python's re alike.
_TOTAL_START = "^[ \t\r\n\v\f\u3000\xa0\u2000-\u200b:：_＿.．－-]*(?:合|小|总|共|total|sum|sub|grand)"  # no \\s: see values


def header_score(row: pd.Series, known: Collection[str]) -> float:
    """How much a row looks like column names: labels (not numbers or dates), extra for words kam knows."""
    filled = [str(v) for v in row if not pd.isna(v)]
    if len(filled) < 2:
        return 0.0
    labels = [v for v in filled if not _VALUE.fullmatch(v)]  # a handful of cells: plain Python is fastest
    hits = sum(normalise_label(value) in known for value in labels)
    return 2.0 * hits + len(labels)


def find_header(grid: pd.DataFrame, known: Collection[str]) -> int | None:
    """0-based index of the header row: the best-scoring of the first rows (the earliest on a tie)."""
    head = grid.head(HEADER_SCAN_ROWS).astype(object)
    scores = [header_score(head.iloc[i], known) for i in range(len(head))]
    best = max(scores, default=0.0)
    return None if best <= 0 else scores.index(best)


def _headers(row: pd.Series, body: pd.DataFrame) -> list[str | None]:
    """Header texts, unique; a blank header over a used column becomes 'column N'; over an empty one: dropped."""
    names, seen = [], set()
    for position, value in row.items():
        text = None if pd.isna(value) else " ".join(str(value).split())
        if not text:
            text = f"column {position + 1}" if body[position].notna().any() else None
        if text in seen:
            text = f"{text} ({position + 1})"
        seen.add(text)
        names.append(text)
    return names


def _unit_above(grid: pd.DataFrame, header: int) -> float | None:
    for value in grid.iloc[:header].stack().dropna():
        factor = unit_factor(value)
        if factor is not None:
            return factor
    return None


KINDS = ("data", "total", "note", "title", "blank")


def classify_rows(body: pd.DataFrame, header: tuple[str, ...]) -> pd.Series:
    """'data' | 'blank' | 'total' | 'note' | 'title' (a repeated header) for every body row (a categorical: a
    million rows share five labels)."""
    filled = body.notna().to_numpy().sum(axis=1)
    lead = body.iloc[:, :TOTAL_SCAN_COLUMNS]
    # Only rows whose first cells start like a total word (or mention the header's first word) are cleaned and
    # compared; an anchored pattern fails on a cell's first letters, so a million clean rows cost little.
    suspect = np.zeros(len(body), dtype=bool)
    for position in range(lead.shape[1]):
        suspect |= lead.iloc[:, position].str.contains(_TOTAL_START, case=False, regex=True, na=False).to_numpy()
    first_label = str(header[0]) if len(header) else ""
    if first_label:
        mentions = np.flatnonzero(lead.iloc[:, 0].str.contains(first_label, regex=False, na=False).to_numpy())
        suspect[mentions] |= lead.iloc[mentions, 0].str.strip().eq(first_label).fillna(False).to_numpy()
    rows = np.flatnonzero(suspect)
    lead = lead.iloc[rows].apply(lambda col: clean_text(col).str.lower())
    folded = lead.apply(lambda col: col.str.replace(r"[ \t:：_.\-]+", "", regex=True))  # '合 计：' -> '合计'
    total = np.zeros(len(body), dtype=bool)
    total[rows] = folded.apply(lambda c: c.isin(TOTAL_WORDS) | c.str.startswith(TOTAL_WORDS[:4], na=False)).any(axis=1)
    repeated = np.zeros(len(body), dtype=bool)
    if first_label and len(rows):
        repeated[rows] = (lead.iloc[:, 0] == first_label.lower()).fillna(False).to_numpy() & (filled[rows] >= 2)
    lonely = np.flatnonzero(filled == 1)  # a note is one cell alone on its row; only those rows are looked at
    first = clean_text(body.iloc[lonely].bfill(axis=1).iloc[:, 0]) if len(lonely) else pd.Series([], dtype="str")
    note = np.zeros(len(body), dtype=bool)
    note[lonely] = (first.str.lower().str.startswith(NOTE_MARKERS, na=False)
                    | first.str.startswith(NOTE_SYMBOLS, na=False)).to_numpy(dtype=bool)
    # Later rules win, as before: a blank row is blank, a repeated header beats a note, a note beats a total.
    code = np.select([filled == 0, repeated, note, total], [4, 3, 2, 1], default=0).astype("int8")
    return pd.Series(pd.Categorical.from_codes(code, categories=KINDS), index=body.index)


def detect(grid: pd.DataFrame, known: Collection[str] = ()) -> Layout | None:
    """The table in `grid`, or None when the grid holds no header-like row (an empty or chart sheet)."""
    grid = grid.dropna(axis=1, how="all")
    if grid.empty:
        return None
    header = find_header(grid, known)
    if header is None:
        return None
    body = grid.iloc[header + 1:]
    names = _headers(grid.iloc[header].set_axis(range(grid.shape[1])), body.set_axis(range(grid.shape[1]), axis=1))
    keep = [i for i, name in enumerate(names) if name is not None]
    body = body.iloc[:, keep].set_axis([names[i] for i in keep], axis=1)
    body.index = body.index + 1  # grid row i is sheet row i + 1
    headers = tuple(body.columns)
    kinds = classify_rows(body, headers)
    above = int(grid.iloc[:header].notna().any(axis=1).sum())
    skipped = {str(k): int(n) for k, n in kinds.value_counts(sort=False).items() if k != "data" and n}
    if above:
        skipped["title"] = skipped.get("title", 0) + above
    return Layout(header + 1, headers, _data_rows(body, kinds.eq("data")), _unit_above(grid, header), skipped)


def _data_rows(body: pd.DataFrame, data: pd.Series) -> pd.DataFrame:
    """The data rows; a slice (no copy of every column) when they are one run, as with a title above and a total
    below the table."""
    positions = np.flatnonzero(data.to_numpy())
    if len(positions) and positions[-1] - positions[0] + 1 == len(positions):
        return body.iloc[positions[0]:positions[-1] + 1]
    return body[data]
