"""HTML tables -> text grids, one per <table>: what many web ERPs export under an .xls name.

In: the file name (for messages and the result only) and its bytes. Out: a `RawTable` per <table>, in document
order, named 'table 1', 'table 2' ...: rows from <tr>, cells from <td>/<th>, entities decoded, whitespace collapsed as
a browser shows it, <br> kept as a line break. Spans follow the xlsx reader: a colspan leaves the cells it covers
empty, a rowspan repeats its value in each row it covers (a customer name spanning its order lines). The stdlib
parser is used (no lxml here); it fetches nothing and expands no entities beyond HTML's named ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from kam.errors import InputError
from kam.ingest import encodings
from kam.ingest.grids import MAX_CELLS, RawTable, rows_grid

MAX_COLSPAN = 1000            # the HTML standard's own limit
MAX_COLUMNS = 16_384          # Excel's: a wider row is a broken or hostile file, not a table
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def read_tables(name: str, data: bytes) -> list[RawTable]:
    """Every <table> of the page as a grid."""
    declared = _META_CHARSET.search(data[:4096])
    parser = _TableParser()
    parser.feed(encodings.decode_declared(name, data, declared and declared[1].decode("ascii")))
    parser.close()
    if not parser.tables:  # an error or login page saved by the ERP in place of the export
        raise InputError("an HTML page without any table: nothing to import", file=name)
    return [RawTable(name, f"table {n}", rows_grid(table.finish())) for n, table in enumerate(parser.tables, 1)]


@dataclass
class _Budget:
    """Cells the file's tables may still expand to: spans make a few bytes of markup into many cells."""
    left: int

    def spend(self, cells: int) -> None:
        self.left -= cells
        if self.left < 0:
            raise ValueError("the tables expand to too many cells: refused as a broken or hostile file")


@dataclass
class _Table:
    """One table being read: finished rows, the open row and cell, and the values rowspans carry down."""
    budget: _Budget
    rows: list[list[str | None]] = field(default_factory=list)
    row: list[str | None] | None = None
    lines: list[str] | None = None                      # the open cell's text, one entry per <br>-separated line
    span: tuple[int, int] = (1, 1)                      # the open cell's (colspan, rowspan)
    below: dict[int, list] = field(default_factory=dict)  # column -> [rows still covered, value]

    def open_row(self) -> None:
        self.close_row()
        self.row = []

    def open_cell(self, colspan: int, rowspan: int) -> None:
        self.close_cell()
        if self.row is None:  # a cell outside any <tr>: browsers open a row for it
            self.open_row()
        self.lines, self.span = [""], (colspan, rowspan)

    def text(self, data: str) -> None:
        if self.lines is not None:
            self.lines[-1] += data

    def line_break(self) -> None:
        if self.lines is not None:
            self.lines.append("")

    def close_cell(self) -> None:
        if self.lines is None:
            return
        value = "\n".join(" ".join(line.split()) for line in self.lines).strip() or None
        self.lines = None
        self._take_from_above(len(self.row))
        colspan, rowspan = self.span
        start = len(self.row)
        if start + colspan > MAX_COLUMNS:
            raise ValueError(f"a table row wider than {MAX_COLUMNS:,} columns: refused as a broken or hostile file")
        self.row.extend([value] + [None] * (colspan - 1))
        if rowspan > 1:  # like a merged range in xlsx: the value in its first column, the others empty
            self.below.update({start + k: [rowspan - 1, value if k == 0 else None] for k in range(colspan)})

    def close_row(self) -> None:
        if self.row is None:
            return
        self.close_cell()
        self._take_from_above(max(self.below, default=-1) + 1)
        self.budget.spend(len(self.row))
        self.rows.append(self.row)
        self.row = None

    def finish(self) -> list[list[str | None]]:
        self.close_row()
        return self.rows

    def _take_from_above(self, until: int) -> None:
        """Fill the row's columns below a rowspan, from its end up to the first free column at or after `until`."""
        while len(self.row) in self.below or len(self.row) < until:
            covered = self.below.get(len(self.row))
            self.row.append(covered[1] if covered else None)
            if covered:
                covered[0] -= 1
                if not covered[0]:
                    del self.below[len(self.row) - 1]


class _TableParser(HTMLParser):
    """Tables as they open (nested ones too, each its own table); text outside cells, scripts and styles is dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self.open: list[_Table] = []
        self.budget = _Budget(MAX_CELLS)
        self.hidden_text = 0   # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden_text += 1
        elif tag == "table":
            self.open.append(_Table(self.budget))
            self.tables.append(self.open[-1])
        elif self.open and tag == "tr":
            self.open[-1].open_row()
        elif self.open and tag in ("td", "th"):
            found = dict(attrs)
            self.open[-1].open_cell(_span(found.get("colspan"), MAX_COLSPAN), _span(found.get("rowspan"), MAX_CELLS))
        elif self.open and tag == "br":
            self.open[-1].line_break()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden_text = max(self.hidden_text - 1, 0)
        elif self.open and tag == "table":
            self.open.pop().close_row()
        elif self.open and tag == "tr":
            self.open[-1].close_row()
        elif self.open and tag in ("td", "th"):
            self.open[-1].close_cell()

    def handle_data(self, data: str) -> None:
        if self.open and not self.hidden_text:
            self.open[-1].text(data)


def _span(value: str | None, most: int) -> int:
    """A colspan/rowspan attribute as browsers read it: leading digits, at least 1, at most `most`."""
    if not value:
        return 1
    digits = re.match(r"\s*(\d+)", value)
    return min(max(int(digits[1]), 1), most) if digits else 1
