"""Resolve: cleaned rows -> rows with their final keys: account ids, generated ids, line numbers, no duplicates.

In: per table, the typed frame of every sheet mapped to it (columns from kam.ingest.validate plus _file, _sheet,
_row), and the accounts already in the database. Out: the same frames with account_id filled, `_account_name`
gone, a key on every row, plus new accounts (for names or ids that match nothing, when the user chose 'create')
and an error list. Accounts match by id when the row has one, else by normalised name: NFKC, case, spaces and
punctuation, brackets and company-form suffixes (有限公司, Co., Ltd., Inc. ...) ignored, so '华为技术有限公司' and
'华为技术' are one account. A row whose id matches no account but whose name matches exactly one goes to that
account (an ERP's customer codes against a CRM's account list), not to a second account of the same name.
Generated ids are a hash of the row's identifying values, so a re-import of the same file generates the same ids
and finds its earlier rows unchanged.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from kam.ingest.schema import TABLES
from kam.ingest.validate import errors_frame

UNKNOWN_ACCOUNT_POLICIES = ("create", "reject")
UNIQUE_KEY = "kam_unique_key"   # frame.attrs flag: assign_keys built a key that cannot repeat
SUFFIXES = (r"(有限责任公司|股份有限公司|有限公司|集团股份|集团公司|集团|公司|corporation|incorporated|limited|"
            r"company|corp|inc|ltd|llc|gmbh|plc|co)$")


def name_key(names: pd.Series) -> pd.Series:
    """The form account names are matched in. Each distinct name is normalised once: 1M order lines name a few
    hundred accounts (normalising every cell took 5 s)."""
    codes, distinct = pd.factorize(names)
    keys = _distinct_name_keys(pd.Series(distinct, dtype="str")).to_numpy(dtype=object)
    found = np.where(codes >= 0, keys[np.maximum(codes, 0)] if len(keys) else None, None)
    return pd.Series(found, index=names.index, dtype="str")


def _distinct_name_keys(names: pd.Series) -> pd.Series:
    text = names.str.normalize("NFKC").str.lower()
    text = text.str.replace(r"[(\[（【][^)\]）】]*[)\]）】]", "", regex=True).str.replace(r"[\W_]+", "", regex=True)
    for _ in range(2):  # 'xx co., ltd.' carries two suffixes
        text = text.str.replace(SUFFIXES, "", regex=True)
    return text.where(names.notna() & text.ne(""), None)


def hashed_ids(frame: pd.DataFrame, columns: tuple[str, ...], prefix: str) -> pd.Series:
    """Deterministic ids from the row's identifying values; a repeat of the same values gets '-2', '-3', ..."""
    present = [c for c in columns if c in frame]
    basis = frame[present].astype("str") if present else frame[["_row"]].astype("str")
    digest = pd.util.hash_pandas_object(basis, index=False).map("{:016x}".format).str[:12]
    repeat = digest.groupby(digest).cumcount()
    return prefix + digest.str.upper() + repeat.map(lambda n: "" if n == 0 else f"-{n + 1}")


def _error_rows(frame: pd.DataFrame, mask: pd.Series, column: str, value: pd.Series, reason: str) -> pd.DataFrame:
    hit = frame[mask]
    return pd.DataFrame({"file": hit["_file"], "sheet": hit["_sheet"], "row": hit["_row"], "column": column,
                         "value": value[mask].astype("str"), "reason": reason})


def prepare_accounts(frame: pd.DataFrame, existing: pd.DataFrame) -> pd.DataFrame:
    """Accounts sheets: a row without an id takes the id of the existing account of that name, else a new one."""
    if frame.empty:
        return frame
    frame = frame.copy(deep=False)  # copy-on-write: columns are copied only if changed
    if "account_id" not in frame:
        frame["account_id"] = pd.Series(None, index=frame.index, dtype="str")
    keys = name_key(frame["name"])
    known = dict(zip(name_key(existing["name"]), existing["account_id"]))
    found = keys.map(known).astype("str")  # float NaN when nothing is stored: a str column refuses it
    new_ids = "ACC-" + pd.util.hash_pandas_object(keys.astype("str"), index=False).map("{:016x}".format).str[:10]
    frame["account_id"] = frame["account_id"].fillna(found).fillna(new_ids.str.upper())
    return frame


def _by_unique_name(names: pd.Series, directory: pd.DataFrame) -> pd.Series:
    """The id of the one stored account each name matches (missing where none or several do)."""
    keys = name_key(directory["name"])
    unique = ~keys.duplicated(keep=False)
    return name_key(names).map(dict(zip(keys[unique], directory["account_id"][unique]))).astype("str")


def link_accounts(frame: pd.DataFrame, table: str, directory: pd.DataFrame, policy: str
                  ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """account_id for every row of an account-referencing table; returns (frame, new accounts, errors)."""
    frame = frame.copy(deep=False)  # copy-on-write: columns are copied only if changed
    ids = frame["account_id"] if "account_id" in frame else pd.Series(None, index=frame.index, dtype="str")
    names = frame["_account_name"] if "_account_name" in frame else pd.Series(None, index=frame.index, dtype="str")
    by_name = dict(zip(name_key(directory["name"]), directory["account_id"]))
    by_name_only = ids.isna() & names.notna()  # names are normalised only where there is no id to go by
    resolved = ids.copy() if by_name_only.any() else ids  # most rows carry an id: then nothing to look up or copy
    if by_name_only.any():
        # astype: with no account stored yet, map() gives float NaN, which a str column refuses
        resolved[by_name_only] = name_key(names[by_name_only]).map(by_name).astype("str")
    stored = directory["account_id"].unique()
    foreign = resolved.notna() & ~resolved.isin(stored) & names.notna()
    if foreign.any():
        resolved = resolved.copy()
        resolved[foreign] = _by_unique_name(names[foreign], directory).fillna(resolved[foreign])
    unknown = resolved.notna() & ~resolved.isin(stored)
    unknown |= resolved.isna() & names.notna()
    none = resolved.isna() & names.isna()
    new = pd.DataFrame(columns=["account_id", "name", "_file", "_sheet", "_row"])
    errors = []
    if policy == "create" and unknown.any():
        keys = name_key(names[unknown]).astype("str")
        generated = "ACC-" + pd.util.hash_pandas_object(keys, index=False).map("{:016x}".format).str[:10].str.upper()
        resolved = resolved.copy()  # `ids` stays as the file gave it
        resolved[unknown] = resolved[unknown].fillna(generated)
        new = pd.DataFrame({"account_id": resolved[unknown], "name": names[unknown].fillna(resolved[unknown]),
                            "_file": frame["_file"][unknown], "_sheet": frame["_sheet"][unknown],
                            "_row": frame["_row"][unknown]}).drop_duplicates("account_id")
    elif policy != "create":
        errors.append(_error_rows(frame, unknown, "account", ids.fillna(names), "unknown account (not imported)"))
    if table != "opportunities" and none.any():
        errors.append(_error_rows(frame, none, "account", names, "no account id or name"))
    bad = (unknown & (policy != "create")) | (none & (table != "opportunities"))
    frame["account_id"] = resolved
    frame = (frame[~bad] if bad.any() else frame).drop(columns=["_account_name"], errors="ignore")
    return frame, new, pd.concat([errors_frame(), *errors], ignore_index=True) if errors else errors_frame()


def assign_keys(frame: pd.DataFrame, table: str,
                hasher: Callable[[pd.Series], np.ndarray] | None = None) -> pd.DataFrame:
    """Generated ids where a table's id is missing; order lines numbered 1, 2, ... within an order (`hasher`: a fast
    hash of the order ids, see line_numbers)."""
    spec = TABLES[table]
    frame = frame.copy(deep=False)  # copy-on-write: columns are copied only if changed
    id_column = spec.key[0]
    if spec.id_prefix and (id_column not in frame or frame[id_column].isna().any()):
        generated = hashed_ids(frame, spec.id_from, spec.id_prefix)
        frame[id_column] = frame[id_column].fillna(generated) if id_column in frame else generated
    if table == "orders" and "line_no" in frame:
        # 序号 counting a sheet's rows is no line key: a later export renumbers them (its lines are numbered below)
        frame["line_no"] = frame["line_no"].mask(_counted_rows(frame))
    if table == "orders" and ("line_no" not in frame or frame["line_no"].isna().any()):
        ids = frame["order_id"]
        numbered = pd.Series(line_numbers(ids, None if hasher is None else hasher(ids)), index=frame.index)
        # Numbered within each order, the (order_id, line_no) key cannot repeat: drop_duplicates need not hash it.
        frame.attrs[UNIQUE_KEY] = "line_no" not in frame
        frame["line_no"] = (frame["line_no"].fillna(numbered) if "line_no" in frame else numbered).astype("Int64")
    return frame


def _counted_rows(frame: pd.DataFrame) -> pd.Series:
    """The rows of the sheets whose line_no counts rows (see _row_counter)."""
    sheets = [c for c in ("_file", "_sheet") if c in frame]
    groups = frame.groupby(sheets, sort=False, dropna=False) if sheets else [(None, frame)]
    counted = pd.Series(False, index=frame.index)
    for _, part in groups:
        if _row_counter(part["line_no"], part["order_id"]):
            counted[part.index] = True
    return counted


def _row_counter(line_no: pd.Series, order_ids: pd.Series) -> bool:
    """Whether a line-number column counts the sheet's rows (1, 2, 3 ... on across orders, as a 序号 column does)
    rather than each order's lines (1, 2, 1 ... or 10, 20, 10 ...): it starts at 1 and rises on every row of a
    sheet holding more than one order."""
    numbers = line_no.to_numpy(dtype="float64", na_value=np.nan)
    return (len(numbers) > 1 and numbers[0] == 1 and bool((np.diff(numbers) > 0).all())
            and order_ids.nunique() > 1)


def line_numbers(order_ids: pd.Series, hashes: np.ndarray | None = None) -> np.ndarray:
    """1, 2, ... for the rows of each order, in row order. `hashes`: a 64-bit hash of each id, in any order. When
    no two are equal no id repeats (one line per order, as most exports have), which sorting 1M hashes tells in
    ~20 ms; only otherwise are the ids themselves factorised (~200 ms per 1M), so a hash collision costs time,
    never a wrong number."""
    if hashes is not None and len(hashes) == len(order_ids):
        ranked = np.sort(hashes)
        if not (ranked[1:] == ranked[:-1]).any():
            return np.ones(len(order_ids), dtype="int64")
    codes = pd.factorize(order_ids)[0]
    if not len(codes) or codes.min() >= 0 and np.bincount(codes).max() == 1:  # one line per order, as most have
        return np.ones(len(codes), dtype="int64")
    order = np.argsort(codes, kind="stable")          # rows of one order together, in row order
    ranked = codes[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    position = np.arange(len(ranked)) - np.repeat(starts, np.diff(np.r_[starts, len(ranked)]))
    numbers = np.empty(len(codes), dtype="int64")
    numbers[order] = position + 1
    return numbers


def import_key(frame: pd.DataFrame, table: str) -> tuple[str, ...]:
    """Columns that identify a row for create/update: follow-ups by id when the file has them, else by
    (account, due date, action)."""
    if table == "follow_ups" and "follow_up_id" in frame and frame["follow_up_id"].notna().all():
        return ("follow_up_id",)
    return TABLES[table].key


def drop_duplicates(frame: pd.DataFrame, key: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the first row of each key; list the others as rejected (naming the row they repeat)."""
    for column in key:
        if column not in frame:
            frame[column] = None
    if frame.attrs.get(UNIQUE_KEY):
        return frame, errors_frame()
    repeat = frame.duplicated(list(key), keep="first")
    if not repeat.any():
        return frame, errors_frame()
    first_row = frame.groupby(list(key), dropna=False)["_row"].transform("first")
    reason = "same key as row " + first_row.astype("str")
    errors = pd.DataFrame({"file": frame["_file"], "sheet": frame["_sheet"], "row": frame["_row"],
                           "column": "/".join(key), "value": frame[list(key)].astype("str").agg(" / ".join, axis=1),
                           "reason": reason})[repeat]
    return frame[~repeat], errors
