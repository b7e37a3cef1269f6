"""kam.arrays: frame columns as the float arrays the scores compute on."""
import datetime as dt

import numpy as np
import pandas as pd

from kam.arrays import day_numbers_of, floats


def test_floats_keeps_numbers_and_makes_missing_nan():
    out = floats(pd.Series([3, None, 5], dtype="Int64"))
    assert out.dtype == float
    assert out[0] == 3.0 and np.isnan(out[1]) and out[2] == 5.0


def test_floats_parses_text_and_makes_non_numbers_nan():
    out = floats(pd.Series(["12.5", "n/a", None], dtype=object))
    assert out[0] == 12.5 and np.isnan(out[1]) and np.isnan(out[2])


def test_day_numbers_of_dates_and_missing():
    out = day_numbers_of(pd.Series([dt.date(1970, 1, 11), None, dt.date(2025, 3, 1)], dtype=object))
    assert out[0] == 10.0 and np.isnan(out[1])
    assert out[2] == (dt.date(2025, 3, 1) - dt.date(1970, 1, 1)).days


def test_floats_of_numpy_arrays_numbers_as_they_are_and_text_parsed():
    assert floats(np.array([2, 7])).tolist() == [2.0, 7.0]
    assert floats(np.array([True, False])).tolist() == [1.0, 0.0]
    out = floats(np.array(["4.5", None, "x"], dtype=object))
    assert out[0] == 4.5 and np.isnan(out[1]) and np.isnan(out[2])


def test_day_numbers_of_a_datetime64_array_with_nat():
    out = day_numbers_of(np.array(["1970-01-03T05:00", "NaT"], dtype="datetime64[us]"))
    assert out[0] == 2.0 and np.isnan(out[1])
