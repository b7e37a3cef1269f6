"""Layout: find the table inside a raw sheet grid.

In: a text grid from kam.ingest.readers (positional columns, None for empty). Out: a `Layout`: the header row, the
header texts, the body (one row per data row, columns named by header, index = the row number the user sees), the
unit a line above the header declares (单位：万元), and how many rows were skipped as title, blank, total (合计/小计/
Total) or note (注：..., 制表人：...) rows (told apart by kam.ingest.rowkinds). Real exports put titles, merged banners
and print lines (打印日期：... | 单位：万元) above the header, so the header is the row among the first few that looks
most like column names, not necessarily row 1, and a print line is never taken for a header or its first level.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kam.ingest.rowkinds import VALUE, classify_rows, is_meta_line, meta_pairs
from kam.ingest.units import unit_factor
from kam.vocab import normalise_label

HEADER_SCAN_ROWS = 30     # the header is looked for among this many leading rows


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


_VALUE = re.compile(VALUE)


def header_score(row: pd.Series, known: Collection[str]) -> float:
    """How much a row looks like column names: labels (not numbers or dates), extra for words kam knows."""
    filled = [str(v) for v in row if not pd.isna(v)]
    if len(filled) < 2 or is_meta_line(filled):
        return 0.0
    labels = [v for v in filled if not _VALUE.search(v)]  # a handful of cells: plain Python is fastest
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
    if len(labels) < 2 or any(_VALUE.search(v) for v in labels) or is_meta_line(labels):
        return None  # a title or print line (打印日期：… | 单位：…) over the header spans it too, but is no level
    below = grid.iloc[header + 1].set_axis(range(grid.shape[1]))
    below = below.where(below.ne(above))  # a header cell merged down over both rows was copied into the second
    top, filled = above.isna().to_numpy(), below.notna().to_numpy()
    spans = np.append(~top[:-1] & top[1:], False)
    if not filled.any() or (filled & ~(top | spans)).any() or not (filled & top).any():
        return None
    if any(_VALUE.search(str(v)) for v in below[filled]):
        return None
    # ... over values: a first data row of text only under a merged label (甲 | x) is data, not a second level
    following = grid.iloc[header + 2].set_axis(range(grid.shape[1]))[filled]
    return below if any(_VALUE.search(str(v)) for v in following.dropna()) else None


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
    """The unit a line above the header declares, in any of its cells, also among other pairs in one cell
    ('打印日期：2025-04-01 单位：万元', '单位：元　币种：人民币')."""
    for value in grid.iloc[:header].stack().dropna():
        for text in (*meta_pairs(value), value):
            factor = unit_factor(text)
            if factor is not None:
                return factor
    return None


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
