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
import pyarrow as pa

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
# Bytes a cell can open with before its label: ASCII spaces and the UTF-8 lead bytes of U+0085/U+00A0 (C2),
# U+1680 (E1), U+2000-U+205F (E2), U+3000 (E3).
_SPACE_LEADS = np.isin(np.arange(256), [9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 0xC2, 0xE1, 0xE2, 0xE3])
# ... or, for a total label, a separator (also the full-width ones: EF) or 合小总共 (E5/E6); a Latin total word is
# told by its first two letters in either case (to, su, gr).
_OPENS_TOTAL = _SPACE_LEADS | np.isin(np.arange(256), [ord(c) for c in ":_.-"] + [0xE5, 0xE6, 0xEF])
_TOTAL_PAIRS = np.isin(np.arange(65536), [ord(a) * 256 + ord(b) for a, b in ("to", "su", "gr")])
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


def _second_level(grid: pd.DataFrame, header: int) -> pd.Series | None:
    """The row under the header when it is the header's second level (金额 merged over 含税 | 不含税), without the
    cells merged down from the first: labels only, each under a blank header cell (a merge's continuation) or under
    a header cell with blanks to its right, at least one under a blank, and some over a number or date."""
    if header + 2 >= len(grid):
        return None
    above = grid.iloc[header].set_axis(range(grid.shape[1]))
    labels = [str(v) for v in above.dropna()]
    if len(labels) < 2 or any(_VALUE.fullmatch(v) for v in labels):
        return None  # a title or unit line over the header spans it too, but stands alone on its row
    below = grid.iloc[header + 1].set_axis(range(grid.shape[1]))
    below = below.where(below.ne(above))  # a header cell merged down over both rows was copied into the second
    top, filled = above.isna().to_numpy(), below.notna().to_numpy()
    spans = np.append(~top[:-1] & top[1:], False)
    if not filled.any() or (filled & ~(top | spans)).any() or not (filled & top).any():
        return None
    if any(_VALUE.fullmatch(str(v)) for v in below[filled]):
        return None
    # ... over values: a first data row of text only under a merged label (甲 | x) is data, not a second level
    following = grid.iloc[header + 2].set_axis(range(grid.shape[1]))[filled]
    return below if any(_VALUE.fullmatch(str(v)) for v in following.dropna()) else None


def _joined_levels(top: pd.Series, below: pd.Series, known: Collection[str]) -> pd.Series:
    """One header from two levels: a label under a merged parent joins it in the order kam knows (含税 + 金额 ->
    含税金额), else parent first (联系人 电话); a parent without labels under it stays as it is."""
    parents = top.ffill()
    names = top.copy()
    for position in np.flatnonzero(below.notna().to_numpy()):
        child, parent = str(below.iloc[position]).strip(), parents.iloc[position]
        if pd.isna(parent):
            names.iloc[position] = child
            continue
        parent = str(parent).strip()
        names.iloc[position] = child + parent if normalise_label(child + parent) in known else f"{parent} {child}"
    return names


def _unit_above(grid: pd.DataFrame, header: int) -> float | None:
    for value in grid.iloc[:header].stack().dropna():
        factor = unit_factor(value)
        if factor is not None:
            return factor
    return None


KINDS = ("data", "total", "note", "title", "blank")


def _opening_bytes(column: pd.Series) -> np.ndarray:
    """Each cell's first two UTF-8 bytes as first * 256 + second (0 for an empty or missing cell), read from the
    Arrow buffers in a few numpy passes (a one-byte cell's second byte is a neighbour's: only a filter)."""
    raw = pa.array(column.astype("str").array)
    parts = [np.zeros(0, dtype=np.int64)]
    for chunk in (raw.chunks if isinstance(raw, pa.ChunkedArray) else [raw]):
        _validity, offsets, data = chunk.buffers()[:3]
        if offsets is None or data is None or data.size == 0:
            parts.append(np.zeros(len(chunk), dtype=np.int64))
            continue
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(offsets, dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1]
        data = np.frombuffer(data, dtype=np.uint8)
        starts, last = offsets[:-1], len(data) - 1
        pair = data[np.minimum(starts, last)].astype(np.int64) * 256 + data[np.minimum(starts + 1, last)]
        parts.append(np.where(offsets[1:] > starts, pair, 0))
    return np.concatenate(parts)


def classify_rows(body: pd.DataFrame, header: tuple[str, ...]) -> pd.Series:
    """'data' | 'blank' | 'total' | 'note' | 'title' (a repeated header) for every body row (a categorical: a
    million rows share five labels)."""
    filled = body.notna().to_numpy().sum(axis=1)
    lead = body.iloc[:, :TOTAL_SCAN_COLUMNS]
    # Only rows whose first cells start like a total word (or mention the header's first word) are cleaned and
    # compared; an anchored pattern fails on a cell's first letters, so a million clean rows cost little.
    # The patterns run only on cells whose first two bytes could open a match (in a clean export: none at all).
    suspect = np.zeros(len(body), dtype=bool)
    first_label = str(header[0]) if len(header) else ""
    for position in range(lead.shape[1]):
        pair = _opening_bytes(lead.iloc[:, position])
        maybe = np.flatnonzero(_OPENS_TOTAL[pair >> 8] | _TOTAL_PAIRS[pair | 0x2020])
        cells = lead.iloc[maybe, position]
        suspect[maybe] |= cells.str.contains(_TOTAL_START, case=False, regex=True, na=False).to_numpy(dtype=bool)
        if position == 0 and first_label:  # a repeated header row: its first cell is the header's first label
            opens = _SPACE_LEADS.copy()
            opens[first_label.encode("utf-8")[0]] = True
            maybe = np.flatnonzero(opens[pair >> 8])
            suspect[maybe] |= lead.iloc[maybe, 0].str.strip().eq(first_label).fillna(False).to_numpy(dtype=bool)
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
    if header > 0 and _second_level(grid, header - 1) is not None:
        header -= 1  # the row found is the second level of a two-level header (its labels outscore the first's)
    top = grid.iloc[header].set_axis(range(grid.shape[1]))
    below = _second_level(grid, header)
    if below is not None:
        top = _joined_levels(top, below, known)
    body = grid.iloc[header + 1 + (below is not None):]
    names = _headers(top, body.set_axis(range(grid.shape[1]), axis=1))
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
