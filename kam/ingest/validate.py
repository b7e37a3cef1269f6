"""Validation: a mapped sheet body -> typed rows for one model table, plus a row-level error list.

In: the body from kam.ingest.layout (text cells, index = source row number), the confirmed header -> column
mapping, the table, and the unit a line above the header declared. Out: `Cleaned`: `frame` with the model columns
the sheet provides (typed) plus `_row`, and `errors` (file, sheet, row, column, value, reason). A row with any cell
that cannot be read, or without a required value, is rejected as a whole and listed: never imported with that field
blanked. Order lines with quantity and unit price but no amount get amount = quantity x unit price; returns
(negative quantity) and cancelled lines (作废/红冲/cancelled...) keep a negative amount; a margin given as a rate
(毛利率 25%) becomes that share of the amount. An interactions sheet without a channel column whose headers say
what it logs (投诉日期: complaints; NPS评分: a survey) gets that channel on every row.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pandas as pd

from kam.ingest import dates, values
from kam.ingest.mapping import implied_channel
from kam.ingest.schema import TABLES
from kam.ingest.units import unit_factor
from kam.vocab import canonical_channel, canonical_follow_up_status, canonical_stage

ERROR_COLUMNS = ("file", "sheet", "row", "column", "value", "reason")
# A status meaning the line was cancelled, voided or returned, unless negated (未作废, 'not cancelled', non-void).
CANCELLED_WORDS = (r"作废|取消|红冲|红字|退货|退单|冲销|"
                   r"\b(?:cancel+(?:ed|led)?|void(?:ed)?|return(?:ed)?|reversed|credit (?:note|memo)|credited)\b")
_NEGATED = r"(?:未|不|非|无|没有|否|\bnot\s+|\bnon-?)(?:" + CANCELLED_WORDS + ")"
NPS_RANGE = (0, 10)            # the 'would you recommend' scale
SATISFACTION_RANGE = (0, 5)    # the model stores satisfaction on a 1-5 scale
PARSE_THREADS = 2              # columns parsed side by side

_PARSERS = {"date": dates.parse_date, "number": values.parse_number, "fraction": values.parse_fraction,
            "integer": values.parse_integer, "bool": values.parse_bool, "id": values.parse_id,
            "text": values.parse_text, "rate": lambda s: _parse_rate(s),  # defined below, with its caller
            "channel": lambda s: values.parse_coded(s, canonical_channel),
            "status": lambda s: values.parse_coded(s, canonical_follow_up_status)}
_REASONS = {"date": "not a date", "number": "not a number", "money": "not an amount", "fraction": "not a share 0-1",
            "integer": "not a whole number", "rate": "not a rate", "bool": "not yes/no", "channel": "unknown channel",
            "status": "unknown follow-up status", "stage": "unknown stage",
            "id": "id in scientific notation: Excel rounded it, the digits are lost (keep the column as text)"}


@dataclass(frozen=True)
class Cleaned:
    table: str
    frame: pd.DataFrame      # typed model columns + _row (source row number)
    errors: pd.DataFrame     # ERROR_COLUMNS
    read: int                # data rows read (before rejection)


def errors_frame(rows: list[dict] | None = None) -> pd.DataFrame:
    return pd.DataFrame(rows or [], columns=list(ERROR_COLUMNS)).astype({"row": "Int64"})


def _parse(kind: str, series: pd.Series, factor: float, stages: tuple[str, ...]) -> tuple[pd.Series, pd.Series]:
    if kind == "money":
        return values.parse_number(series, factor)
    if kind == "stage":
        return values.parse_coded(series, lambda label: canonical_stage(label, stages))
    return _PARSERS[kind](series)


def _bad_cells(mask: pd.Series, raw: pd.Series | None, header: str, reason: str) -> pd.DataFrame:
    """One error row per True in `mask`, showing the cell of `raw` (blank without `raw`: a missing value)."""
    hit = mask[mask].index
    shown = "" if raw is None else raw.loc[hit].astype("str").to_numpy()
    return pd.DataFrame({"row": hit, "column": header, "value": shown, "reason": reason})


def _parse_rate(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A margin rate: '25%', '0.25' and '25' all mean 0.25 (a plain number above 1 is percent); may be negative."""
    value, bad = values.parse_number(series)
    return value.where(value.abs() <= 1, value / 100), bad


def _order_amounts(frame: pd.DataFrame) -> pd.DataFrame:
    """Amount from quantity x unit price when missing; returns and cancelled lines as negative amounts; a margin
    rate times the (signed) amount where no margin amount is given."""
    if "amount" not in frame:
        frame["amount"] = float("nan")
    if {"quantity", "unit_price"} <= set(frame):
        frame["amount"] = frame["amount"].fillna(frame["quantity"] * frame["unit_price"])
    negative = frame.get("quantity", pd.Series(0.0, index=frame.index)).lt(0)
    if "_cancelled" in frame:
        negative |= cancelled(frame["_cancelled"])
        frame = frame.drop(columns="_cancelled")
    frame["amount"] = frame["amount"].where(~negative, -frame["amount"].abs())
    if "_margin_rate" in frame:
        from_rate = frame.pop("_margin_rate") * frame["amount"]
        frame["gross_margin"] = frame["gross_margin"].fillna(from_rate) if "gross_margin" in frame else from_rate
    return frame


def cancelled(status: pd.Series) -> pd.Series:
    """Whether each status marks a cancelled or returned line: a cancel word not negated (已作废, 红冲, Voided, but
    not 未作废 or 'Not cancelled'), or yes in a yes/no column (是否作废 = 是). Decided once per distinct status: a
    column holds a handful."""
    distinct = pd.Series(status.dropna().unique(), dtype="str")
    words = distinct.str.contains(CANCELLED_WORDS, case=False) & ~distinct.str.contains(_NEGATED, case=False)
    marks = words | values.parse_bool(distinct)[0].fillna(False).astype(bool)
    return status.isin(distinct[marks])


def _joined_names(frame: pd.DataFrame) -> pd.DataFrame:
    """A contact's name from first and last name columns where no whole name is given: 'Jane Doe', or family name
    first without a space when either part is not Latin (张 + 三 -> 张三)."""
    if not {"_first_name", "_last_name"} & set(frame):
        return frame
    first, last = (frame.pop(part).fillna("") if part in frame else pd.Series("", index=frame.index, dtype="str")
                   for part in ("_first_name", "_last_name"))
    latin = first.str.isascii() & last.str.isascii()
    joined = (first + " " + last).where(latin, last + first).str.strip()
    joined = joined.where(joined.ne(""), None)
    frame["name"] = frame["name"].fillna(joined) if "name" in frame else joined
    return frame


def _range_errors(frame: pd.DataFrame, column: str, bounds: tuple[float, float]) -> pd.Series:
    if column not in frame:
        return pd.Series(False, index=frame.index)
    return frame[column].notna() & ~frame[column].astype("float64").between(*bounds)


def _parse_columns(body: pd.DataFrame, mapping: dict[str, str | None], table: str, unit: float | None,
                   stages: tuple[str, ...]) -> tuple[dict[str, pd.Series], list[pd.DataFrame]]:
    spec, parts, problems = TABLES[table], {}, []
    mapped = [(header, column, spec.column(column).kind) for header, column in mapping.items()
              if column and header in body]

    def parse(item: tuple[str, str, str]) -> tuple[pd.Series, pd.Series]:
        header, _column, kind = item
        factor = unit_factor(header) or unit or 1.0  # a unit in the header beats the sheet's unit line
        return _parse(kind, body[header], factor, stages)

    # Two columns at a time: most of the parsing is Arrow and numpy work that releases the GIL (1M rows x 6
    # columns: 170 -> 130 ms on two cores).
    with ThreadPoolExecutor(PARSE_THREADS) as pool:
        results = list(pool.map(parse, mapped))
    for (header, column, kind), (parsed, bad) in zip(mapped, results):
        # Two headers mapped to one column (含税金额 and 金额): the first one's value, the second fills its gaps.
        parts[column] = parts[column].fillna(parsed) if column in parts else parsed
        if bad.any():
            reason = _REASONS.get(kind, "unreadable value")
            if kind == "stage" and stages:
                reason += f" (configured stages: {', '.join(stages)})"
            problems.append(_bad_cells(bad, body[header], header, reason))
    return parts, problems


def clean(body: pd.DataFrame, mapping: dict[str, str | None], table: str, *, file: str, sheet: str | None,
          unit: float | None = None, stages: tuple[str, ...] = ()) -> Cleaned:
    """Parse every mapped column of `body` for `table`; reject (and list) rows with unreadable or missing values."""
    spec = TABLES[table]
    parts, problems = _parse_columns(body, mapping, table, unit, stages)
    frame = pd.DataFrame(parts, index=body.index)
    if table == "interactions" and "channel" not in frame and (channel := implied_channel(list(mapping))):
        frame["channel"] = channel
    if table == "orders":
        frame = _order_amounts(frame)
    if table == "contacts":
        frame = _joined_names(frame)
    headers = {column: header for header, column in mapping.items() if column}
    for column in (c.name for c in spec.columns if c.required and c.name in frame):
        missing = frame[column].isna() & ~_already_bad(problems, frame.index, headers.get(column))
        problems.append(_bad_cells(missing, None, headers.get(column, column), "required value missing"))
    if table == "orders":
        seen = {int(r) for p in problems for r in p["row"]}
        problems.append(_bad_cells(frame["amount"].isna() & ~frame.index.isin(seen), None,
                                   headers.get("amount", "amount"), "no amount (nor quantity and unit price)"))
    for column, bounds in (("nps", NPS_RANGE), ("satisfaction", SATISFACTION_RANGE)):
        out = _range_errors(frame, column, bounds)
        problems.append(_bad_cells(out, frame.get(column, out), headers.get(column, column),
                                   f"outside {bounds[0]}-{bounds[1]}"))
    errors = pd.concat([errors_frame(), *problems], ignore_index=True) if problems else errors_frame()
    errors = errors.drop_duplicates(subset=["row", "column"]).assign(file=file, sheet=sheet)
    rejected = set(errors["row"].dropna().astype(int))
    frame = (frame[~frame.index.isin(rejected)] if rejected else frame).assign(_row=lambda f: f.index.astype("int64"))
    return Cleaned(table, frame.reset_index(drop=True), errors[list(ERROR_COLUMNS)].astype({"row": "Int64"}),
                   len(body))


def _already_bad(problems: list[pd.DataFrame], index: pd.Index, header: str | None) -> pd.Series:
    """Rows whose cell in `header` was already reported unreadable (not to report it twice as missing)."""
    rows = {int(r) for p in problems for r, c in zip(p["row"], p["column"]) if c == header}
    return pd.Series(index.isin(rows), index=index)
