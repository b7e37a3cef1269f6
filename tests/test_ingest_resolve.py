"""Resolve: account ids by id or normalised name, generated ids, line numbers, duplicate keys."""
import numpy as np
import pandas as pd

from kam.ingest import plan, resolve

DIRECTORY = pd.DataFrame({"account_id": ["A001", "A002"], "name": ["华为技术有限公司", "Acme Corp"]})


def _rows(**columns):
    n = len(next(iter(columns.values())))
    return pd.DataFrame({**columns, "_file": "f", "_sheet": "s", "_row": range(2, 2 + n)})


def test_account_names_match_ignoring_company_suffixes_width_case_and_brackets():
    keys = resolve.name_key(pd.Series(["华为技术有限公司", "华为技术（中国）", "ACME Corp.", "acme co., ltd", "Ａｃｍｅ"]))
    assert keys.tolist() == ["华为技术", "华为技术", "acme", "acme", "acme"]


def test_rows_find_their_account_by_id_first_then_by_name():
    frame = _rows(account_id=["A002", None], _account_name=["华为技术", "华为技术股份有限公司"])
    linked, new, errors = resolve.link_accounts(frame, "orders", DIRECTORY, "create")
    assert linked["account_id"].tolist() == ["A002", "A001"]
    assert new.empty and errors.empty


def test_an_unknown_account_name_creates_an_account_when_the_user_chose_create():
    frame = _rows(_account_name=["宁德时代", "宁德时代有限公司"])
    linked, new, _ = resolve.link_accounts(frame, "orders", DIRECTORY, "create")
    assert linked["account_id"].nunique() == 1
    assert new[["name"]].values.tolist() == [["宁德时代"]]
    assert new["account_id"].iloc[0].startswith("ACC-")


def test_names_create_accounts_in_a_database_that_has_none_yet():
    frame = _rows(_account_name=["北京华信科技有限公司", "上海明远贸易", "北京华信科技"])
    empty = pd.DataFrame({"account_id": pd.Series([], dtype="str"), "name": pd.Series([], dtype="str")})
    linked, new, errors = resolve.link_accounts(frame, "orders", empty, "create")
    assert new["name"].tolist() == ["北京华信科技有限公司", "上海明远贸易"]
    assert linked["account_id"].tolist() == new["account_id"].iloc[[0, 1, 0]].tolist()
    assert errors.empty
    accounts = resolve.prepare_accounts(_rows(name=["New Co"]), empty)
    assert accounts["account_id"].str.startswith("ACC-").tolist() == [True]


def test_an_unknown_account_is_a_rejected_row_when_the_user_chose_reject():
    frame = _rows(_account_name=["宁德时代", "Acme"])
    linked, new, errors = resolve.link_accounts(frame, "orders", DIRECTORY, "reject")
    assert linked["account_id"].tolist() == ["A002"]
    assert errors[["row", "value", "reason"]].values.tolist() == [[2, "宁德时代", "unknown account (not imported)"]]


def test_an_accounts_sheet_without_ids_reuses_the_id_of_an_existing_account_of_that_name():
    frame = _rows(name=["华为技术", "New Co"])
    prepared = resolve.prepare_accounts(frame, DIRECTORY)
    assert prepared["account_id"].iloc[0] == "A001"
    assert prepared["account_id"].iloc[1].startswith("ACC-")


def test_generated_ids_are_the_same_on_every_import_of_the_same_rows():
    frame = _rows(account_id=["A1", "A1", "A2"], order_date=["d", "d", "e"], amount=[1.0, 1.0, 2.0])
    first = resolve.assign_keys(frame, "orders")["order_id"].tolist()
    again = resolve.assign_keys(frame, "orders")["order_id"].tolist()
    assert first == again
    assert first[1] == first[0] + "-2"


def test_lines_of_one_order_are_numbered_in_file_order():
    frame = _rows(order_id=["SO1", "SO1", "SO2"])
    assert resolve.assign_keys(frame, "orders")["line_no"].tolist() == [1, 2, 1]


def test_a_repeated_key_keeps_the_first_row_and_rejects_the_others():
    frame = _rows(invoice_id=["INV-1", "INV-1"], amount=[1.0, 2.0])
    kept, errors = resolve.drop_duplicates(frame, ("invoice_id",))
    assert kept["amount"].tolist() == [1.0]
    assert errors[["row", "reason"]].values.tolist() == [[3, "same key as row 2"]]


def test_line_numbers_count_each_orders_rows_in_row_order():
    ids = pd.Series(["SO-1", "SO-2", "SO-1", "SO-3", "SO-1", "SO-2"], dtype="str")
    assert resolve.line_numbers(ids).tolist() == [1, 1, 2, 1, 3, 2]
    assert resolve.line_numbers(pd.Series(["a", "b"], dtype="str")).tolist() == [1, 1]


def test_line_numbers_from_duckdb_hashes_match_numbering_from_the_ids(tiny):
    ids = pd.Series(["SO-1", "SO-2", "SO-1", "SO-1"], dtype="str")
    assert resolve.line_numbers(ids, plan.hashes(tiny, ids)).tolist() == [1, 1, 2, 3]
    unique = pd.Series(["SO-1", "SO-2", "SO-3"], dtype="str")
    assert resolve.line_numbers(unique, plan.hashes(tiny, unique)).tolist() == [1, 1, 1]


def test_two_different_ids_whose_hashes_collide_are_still_numbered_as_two_orders():
    ids = pd.Series(["SO-1", "SO-2"], dtype="str")
    assert resolve.line_numbers(ids, np.array([7, 7], dtype=np.uint64)).tolist() == [1, 1]


def test_a_row_counter_is_no_line_key_but_each_orders_own_line_numbers_are():
    counted = pd.DataFrame({"order_id": ["A", "A", "B", "C"], "line_no": [1, 2, 3, 4], "_file": "f", "_sheet": "s"})
    assert resolve.assign_keys(counted, "orders")["line_no"].tolist() == [1, 2, 1, 1]
    per_order = pd.DataFrame({"order_id": ["A", "A", "B"], "line_no": [10, 20, 10], "_file": "f", "_sheet": "s"})
    assert resolve.assign_keys(per_order, "orders")["line_no"].tolist() == [10, 20, 10]
    one_order = pd.DataFrame({"order_id": ["A", "A", "A"], "line_no": [1, 2, 3], "_file": "f", "_sheet": "s"})
    assert resolve.assign_keys(one_order, "orders")["line_no"].tolist() == [1, 2, 3]
    # judged per sheet: a second sheet counting from 1 again is a counter too
    two = pd.DataFrame({"order_id": ["A", "B", "C", "D"], "line_no": [1, 2, 1, 2], "_file": "f",
                        "_sheet": ["s1", "s1", "s2", "s2"]})
    assert resolve.assign_keys(two, "orders")["line_no"].tolist() == [1, 1, 1, 1]


def test_an_unknown_account_code_goes_to_the_one_account_of_that_name_not_to_a_new_one():
    directory = pd.DataFrame({"account_id": ["ACC-1", "ACC-2", "ACC-3"], "name": ["华为技术有限公司", "中兴", "中兴通讯"]},
                             dtype="str")
    directory.loc[2, "name"] = "中兴"  # two accounts of one name: ambiguous, so not matched by it
    orders = pd.DataFrame({"account_id": ["C001", "C002", "ACC-2"], "_account_name": ["华为技术", "中兴", "中兴"],
                           "_file": "f", "_sheet": "s", "_row": [2, 3, 4]}, dtype="object")
    frame, new, errors = resolve.link_accounts(orders, "orders", directory, "create")
    assert frame["account_id"].tolist() == ["ACC-1", "C002", "ACC-2"]
    assert new["account_id"].tolist() == ["C002"]
    assert errors.empty
