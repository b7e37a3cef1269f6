"""Row kinds: which rows under a header are data, and which are blank, total, note or a repeated header.

In: a sheet's body (columns named by header, text cells, None for empty). Out: one kind per row. Also the text
patterns of the lines around a table ('label：value' print and unit lines such as 打印日期：2025-04-01 | 单位：万元)
that kam.ingest.layout keeps out of the header. A million-row sheet must stay cheap, so no Python code runs per row:
regular expressions (Arrow's RE2; the patterns also compile in Python's re, which layout uses on a few header rows)
run only on cells whose first or last two bytes could belong to a total label, and only past the first columns on
rows with a gap (few cells filled, or a column most rows fill left empty). Known gap, the price of that: a total label
past the first columns, or ending a cell ('华为技术 小计'), on a row without a gap is taken for data.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

KINDS = ("data", "total", "note", "title", "blank")
DATA, TOTAL, NOTE, TITLE, BLANK = range(len(KINDS))
TOTAL_SCAN_COLUMNS = 3    # every row's first cells are looked at for a total label; further cells in rows with gaps

# \s means ASCII spaces in RE2 but Unicode ones in Python: the spaces are listed (full-width and no-break ones too).
SPACES = " \t\r\n\v\f\u3000\xa0\u2000-\u200b"
_COLONS = ":："
_DASHES = "\\-－–—_＿.．"
_EDGE = f"[{SPACES}{_COLONS}{_DASHES}*＊#※]*"           # what may pad a label: '－－合 计：', '* Total'
_CLOSE = f"[{SPACES}{_COLONS}{_DASHES}*＊)）\\]】]*$"    # ... and close it: '（小计）'
_CN_TOTAL = f"(?:总合|合|小|总|共)[{SPACES}]*计"          # '合　计': two-character labels are often spaced out
_EN_TOTAL = f"(?:(?:sub|grand)[{SPACES}{_DASHES}]*)?totals?"
_TOTAL = f"(?:{_CN_TOTAL}|{_EN_TOTAL})"
_PERIOD = f"(?:(?:[当本今全]?[日天月页期周季年]度?|累计|[0-9]{{1,4}}[{SPACES}]*(?:年|月份?|日|号))[{SPACES}]*)*"
# After a leading total word: the end, or a separator, bracket or number ('TOTAL (CNY)', 'Subtotal - East',
# '合计：5.4'), never a letter: 'Total Petroleum' and '合计科技有限公司' are names.
_AFTER = f"(?:{_CLOSE}|[{SPACES}]*[{_COLONS}{_DASHES}(（\\[【=/,，0-9])"
_TOTAL_LABEL = (f"(?i)(?:^{_EDGE}{_PERIOD}(?:{_CN_TOTAL}(?:金额|数量|数)?|{_EN_TOTAL}|sum){_AFTER})"  # '本月合计'
                f"|(?:[{SPACES}{_COLONS}(（\\-－–—/]{_TOTAL}{_CLOSE})")  # after a separator: '华为技术 小计'
_TOTAL_ENDING = f"(?i){_TOTAL}{_CLOSE}"   # '华为技术小计': a total only on a row that fills few cells

_CN_ROLE = "制表|制单|审核|复核|打印|导出|经办|批准|审批|编制|填报|填表|记账|出纳|签字|签名|签收|报表|统计|查询|生成|截止|截至"
_LABEL = (f"(?:(?:{_CN_ROLE})(?:人|日期|时间|单位|部门)?|(?:金额)?单位|币种|币别|货币|日期|时间|期间|页码"
          f"|(?:print|export|run|report)(?:ed)?[{SPACES}]*(?:by|on|at|date|time)?"
          f"|(?:generated|created|prepared|approved|checked|reviewed)(?:[{SPACES}]+(?:by|on|at))?"
          f"|currency|units?|as[{SPACES}]+of|date|page)")
_LABELLED = f"^[{SPACES}]*{_LABEL}[{SPACES}]*[{_COLONS}]"    # 打印日期：2025-04-01, 单位：万元, Printed: ...
_NUMBER = "[0-9][0-9,，]*"
_ROWS = "条记录|条|行|笔|项|个|records?|rows?|items?|entries|lines?"
_COUNT = (f"^[{SPACES}]*(?:(?:共计?|count|records?|记录数|行数|条数)[{SPACES}{_COLONS}]*{_NUMBER}[{SPACES}]*(?:{_ROWS})?"
          f"|(?:(?:合计|总计|total)[{SPACES}{_COLONS}]*)?{_NUMBER}[{SPACES}]*(?:{_ROWS})){_CLOSE}")  # 共 2 条记录
_CONTROL = f"^[{SPACES}]*[\\x00-\\x08\\x0e-\\x1f\\x7f][{SPACES}\\x00-\\x08\\x0e-\\x1f\\x7f]*$"  # Ctrl-Z at the end
_FOOTER_LINE = f"(?:{_LABELLED})|(?:{_COUNT})|(?:{_CONTROL})"
_FOOTER_CELL = f"(?i){_FOOTER_LINE}"
# A cell alone on its row may also be a bare label (制单人), a note (注：..., *) or a report footer (Copyright ...).
_LONELY_NOTE = (f"(?i){_FOOTER_LINE}|(?:^[{SPACES}]*{_LABEL}[{SPACES}]*$)|(?:^[{SPACES}]*(?:注|备注|说明|notes?|source"
                f"|数据来源|制表|审核|ps|copyright|©|\\(c\\)|confidential|all rights reserved|机密|版权|[*＊※#]))")
VALUE = f"^[0-9０-９{SPACES}.,:/\\-年月日%¥$()]+$"      # a number or date: never a label
_META, _VALUE = re.compile(f"(?i){_LABELLED}"), re.compile(VALUE)
_META_PAIR = re.compile(f"(?i){_LABEL}[{SPACES}]*[{_COLONS}][{SPACES}]*[^{SPACES}{_COLONS};；,，|]*")


def is_meta_line(cells: Iterable[object]) -> bool:
    """Whether a row's filled cells are 'label：value' lines (打印日期：2025-04-01 | 单位：万元) besides numbers and
    dates: a print or unit line above a table, never a header (its date would change the header's fingerprint)."""
    texts = [str(cell) for cell in cells]
    meta = [bool(_META.search(text)) for text in texts]
    return any(meta) and all(m or _VALUE.search(text) for m, text in zip(meta, texts))


def meta_pairs(text: str) -> list[str]:
    """The 'label：value' pairs in one cell: '单位：元　币种：人民币' -> ['单位：元', '币种：人民币']."""
    return _META_PAIR.findall(str(text))


def _pair_table(texts: Iterable[str], any_byte: Iterable[int] = (), end: bool = False) -> np.ndarray:
    """A lookup over two-byte codes (first * 256 + second): true for the first (or last) two UTF-8 bytes of each
    text in any letter case, and for any code whose first (or last) byte is in `any_byte`."""
    table = np.zeros(65536, dtype=bool)
    square = table.reshape(256, 256)  # a view: square[a, b] is table[a * 256 + b]
    if end:
        square[:, list(any_byte)] = True
    else:
        square[list(any_byte), :] = True
    for text in texts:
        for letters in itertools.product(*({c.lower(), c.upper()} for c in text)):
            raw = "".join(letters).encode("utf-8")
            pair = raw[-2:] if end else raw[:2]
            table[pair[0] * 256 + pair[1]] = True
    return table


# Space and separator bytes (ASCII, plus the UTF-8 lead bytes of no-break, general-punctuation, ideographic and
# full-width characters: C2, E1, E2, E3, EF).
_SPACE_BYTES = [9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 0xC2, 0xE1, 0xE2, 0xE3]
_SPACE_LEADS = np.isin(np.arange(256), _SPACE_BYTES)
_OPENINGS = _pair_table(["合", "小", "总", "共", "当", "本", "今", "全", "累", "月", "年", "日", "季", "to", "su", "gr"],
                        _SPACE_BYTES + [ord(c) for c in ":_.-*#"] + [0xEF])
_CLOSINGS = _pair_table(["计", "：", "）", "】", "\u3000", "al", "ls"], [ord(c) for c in " \t:_.-*)]"], end=True)


Edges = tuple[np.ndarray, np.ndarray]   # each cell's first and last two bytes, see _edge_pairs


def _pairs(data: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The two-byte codes at the given byte positions (clipped into the buffer)."""
    return (np.take(data, at, mode="clip").astype(np.uint16) << 8) | np.take(data, at + 1, mode="clip")


def _edge_pairs(column: pd.Series) -> Edges:
    """Each cell's first two and last two UTF-8 bytes as two-byte codes, read from the Arrow buffers in a few numpy
    passes. Only a filter: a one-byte, empty or missing cell reads a neighbour's bytes."""
    raw = pa.array(column.astype("str").array)
    opening, closing = [np.zeros(0, dtype=np.uint16)], [np.zeros(0, dtype=np.uint16)]
    for chunk in (raw.chunks if isinstance(raw, pa.ChunkedArray) else [raw]):
        _validity, offsets, data = chunk.buffers()[:3]
        if offsets is None or data is None or data.size == 0:
            opening.append(np.zeros(len(chunk), dtype=np.uint16))
            closing.append(opening[-1])
            continue
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(offsets, dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1]
        data = np.frombuffer(data, dtype=np.uint8)
        opening.append(_pairs(data, offsets[:-1]))
        closing.append(_pairs(data, offsets[1:] - 2))
    return np.concatenate(opening), np.concatenate(closing)


def _matches(cells: pd.Series, pattern: str) -> np.ndarray:
    """Which cells the pattern finds something in, by Arrow's RE2 whatever the column's dtype (missing: False)."""
    if not len(cells):
        return np.zeros(0, dtype=bool)
    found = pc.match_substring_regex(pa.array(cells.astype("str").array), pattern)
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def _column_totals(cells: pd.Series, gap: np.ndarray, few: np.ndarray, edges: Edges | None = None) -> np.ndarray:
    """Which cells hold a total label: one that opens with a total word ('合计：', 'TOTAL (CNY)', '本月合计'), or, on
    a row with a gap (`gap`), ends with one ('华为技术 小计'); on a row that fills few cells (`few`), any text that
    ends in a total word ('华为技术小计')."""
    opening, closing = _edge_pairs(cells) if edges is None else edges
    maybe = np.flatnonzero(_OPENINGS[opening] | (_CLOSINGS[closing] & gap))
    hit = np.zeros(len(cells), dtype=bool)
    hit[maybe] = _matches(cells.iloc[maybe], _TOTAL_LABEL)
    loose = maybe[few[maybe] & ~hit[maybe]]
    hit[loose] = _matches(cells.iloc[loose], _TOTAL_ENDING)
    return hit


def _total_rows(body: pd.DataFrame, gap: np.ndarray, few: np.ndarray, lead: list[Edges]) -> np.ndarray:
    """Rows with a total label in their first cells (`lead`: their edge bytes), or anywhere on a row with a gap."""
    total = np.zeros(len(body), dtype=bool)
    rows = np.flatnonzero(gap)
    for position in range(body.shape[1]):
        if position < len(lead):
            total |= _column_totals(body.iloc[:, position], gap, few, lead[position])
        elif len(rows):
            total[rows] |= _column_totals(body.iloc[rows, position], gap[rows], few[rows])
    return total


def _gaps(present: np.ndarray, filled: np.ndarray, few: np.ndarray) -> np.ndarray:
    """Rows that fill few cells or leave empty a column at least half the rows fill: a subtotal leaves the order
    number empty ([2025-03-01, -, -, 小计, 200]); an optional column (备注) left empty does not count."""
    gap = few.copy()
    for column in np.flatnonzero(2 * present.sum(axis=0) >= np.count_nonzero(filled)):
        gap |= ~present[:, column]
    return gap


def _footer_lines(rows: pd.DataFrame) -> np.ndarray:
    """Rows of 'label：value' cells (制表人：张三 | 审核人：李四), record counts or control characters, and
    otherwise numbers and dates only."""
    labelled, other = np.zeros(len(rows), dtype=bool), np.zeros(len(rows), dtype=bool)
    for position in range(rows.shape[1]):
        cells = rows.iloc[:, position]
        line = _matches(cells, _FOOTER_CELL)
        labelled |= line
        other |= cells.notna().to_numpy() & ~line & ~_matches(cells, VALUE)
    return labelled & ~other


def _note_rows(body: pd.DataFrame, present: np.ndarray, filled: np.ndarray, few: np.ndarray) -> np.ndarray:
    """Notes and footers: a cell alone on its row that reads like one, or a footer line of a few cells."""
    note = np.zeros(len(body), dtype=bool)
    lonely = np.flatnonzero(filled == 1)
    where = present[lonely].argmax(axis=1)  # the column of each lonely cell: looked at column by column, not by row
    for position in np.unique(where):
        rows = lonely[where == position]
        note[rows] = _matches(body.iloc[rows, position], _LONELY_NOTE)
    lines = np.flatnonzero(few & (filled > 1))
    if len(lines):
        note[lines] = _footer_lines(body.iloc[lines])
    return note


def _repeated_header(body: pd.DataFrame, header: tuple[str, ...], filled: np.ndarray,
                     opening: np.ndarray) -> np.ndarray:
    """Rows that repeat the header (a page break in a printed export): the first cell (its opening bytes:
    `opening`) is the header's first label."""
    repeated = np.zeros(len(body), dtype=bool)
    if not len(header):
        return repeated
    label, column = str(header[0]), body.iloc[:, 0]
    opens = _SPACE_LEADS.copy()
    opens[label.encode("utf-8")[0]] = True
    maybe = np.flatnonzero(opens[opening >> 8] & (filled >= 2))
    repeated[maybe] = column.iloc[maybe].str.strip().eq(label).fillna(False).to_numpy(dtype=bool)
    return repeated


def _after_footer(code: np.ndarray, filled: np.ndarray) -> np.ndarray:
    """Lonely rows below a footer line at the end of the sheet are footers too (the org name a Salesforce report
    prints under its copyright lines): only rows after the last data row of several cells."""
    code = code.copy()
    full = np.flatnonzero((code == DATA) & (filled > 1))
    if not len(full):
        return code  # a one-column list: its rows are all lonely
    tail = code[full[-1] + 1:]
    lines = np.flatnonzero((tail == NOTE) | (tail == TOTAL))
    if len(lines):
        late = tail[lines[0]:]  # views: writing them writes `code`
        late[late == DATA] = NOTE
    return code


def classify_rows(body: pd.DataFrame, header: tuple[str, ...]) -> pd.Series:
    """'data' | 'blank' | 'total' | 'note' | 'title' (a repeated header) for every body row (a categorical: a
    million rows share five labels)."""
    present = body.notna().to_numpy()
    filled = present.sum(axis=1)
    few = 2 * filled <= body.shape[1] + 1  # at most half the header's cells (rounded up): a total or footer line
    lead = [_edge_pairs(body.iloc[:, position]) for position in range(min(TOTAL_SCAN_COLUMNS, body.shape[1]))]
    repeated = _repeated_header(body, header, filled, lead[0][0]) if lead else np.zeros(len(body), dtype=bool)
    note, total = _note_rows(body, present, filled, few), _total_rows(body, _gaps(present, filled, few), few, lead)
    # Later rules win: a blank row is blank, a repeated header beats a note, a note beats a total.
    code = np.select([filled == 0, repeated, note, total], [BLANK, TITLE, NOTE, TOTAL], default=DATA).astype("int8")
    code = _after_footer(code, filled)
    return pd.Series(pd.Categorical.from_codes(code, categories=KINDS), index=body.index)
