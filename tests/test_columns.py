"""kam.columns: named numpy columns, the frames the scores compute on."""
import numpy as np
import pandas as pd
import pytest

from kam.columns import Columns


def _three() -> Columns:
    return Columns({"account_id": np.array(["A", "B", "C"], dtype=object), "score": np.array([10.0, np.nan, 30.0])})


def test_columns_read_add_and_count_rows():
    table = _three()
    table["flag"] = 1.5                       # a single value fills every row
    table["rank"] = np.array([2, 0, 1])
    assert len(table) == 3 and list(table) == ["account_id", "score", "flag", "rank"]
    assert table["flag"].tolist() == [1.5, 1.5, 1.5] and "rank" in table and "nope" not in table


def test_take_by_positions_mask_and_slice_keeps_row_order_given():
    table = _three()
    assert table.take(np.array([2, 0]))["account_id"].tolist() == ["C", "A"]
    assert table.take(np.array([False, True, True]))["score"][1] == 30.0
    assert table.take(slice(1, 3))["account_id"].tolist() == ["B", "C"]


def test_a_column_of_another_length_is_refused():
    with pytest.raises(ValueError, match="'rank' has 2 rows, not 3"):
        _three()["rank"] = np.array([1, 2])
    with pytest.raises(ValueError, match="different lengths"):
        Columns({"a": np.zeros(2), "b": np.zeros(3)})


def test_to_frame_with_nullable_integers():
    frame = _three().to_frame({"score": "Int64"})
    assert frame["score"].dtype == "Int64" and frame["score"].isna().tolist() == [False, True, False]
    assert frame["score"].iloc[2] == 30 and str(frame["account_id"].dtype) == "str"
    pd.testing.assert_series_equal(frame["account_id"], pd.Series(["A", "B", "C"], name="account_id", dtype="str"))
