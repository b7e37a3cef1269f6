"""Delimited text: the header sets the width; a wider row is refused by its row number, early or late alike."""
import pytest

from kam.errors import InputError
from kam.ingest import delimited

HEADER = "客户名称,下单日期,订单编号,金额,备注\n"
GOOD = "华为,2025-03-01,W1,100,ok\n"
WIDE = "腾讯,2025-03-03,W3,1,234.50,ok\n"     # an unquoted thousands separator: 6 fields


@pytest.mark.parametrize("good_rows_before, row", [(1, 3), (300, 302)])  # inside and past the 200-line sample
def test_a_row_with_more_fields_than_the_header_is_refused_with_its_row_wherever_it_is(good_rows_before, row):
    data = (HEADER + GOOD * good_rows_before + WIDE + GOOD).encode()
    with pytest.raises(InputError) as caught:
        delimited.read_csv("x.csv", data)
    assert caught.value.row == row
    assert caught.value.reason.startswith("6 fields where the header has 5: an unquoted comma inside a value")


def test_a_wide_row_in_a_gbk_file_with_a_title_line_is_refused_too():
    data = ("2025年订单\n" + HEADER + WIDE).encode("gbk")
    with pytest.raises(InputError) as caught:
        delimited.read_csv("x.csv", data)
    assert caught.value.row == 3


def test_with_a_single_data_row_the_header_still_sets_the_width():
    with pytest.raises(InputError) as caught:
        delimited.read_csv("x.csv", b"Customer,Amount\nAcme,1,234.50\n")
    assert caught.value.row == 2
    assert "3 fields where the header has 2" in caught.value.reason


def test_the_message_names_the_delimiter_in_use():
    with pytest.raises(InputError, match="an unquoted semicolon"):
        delimited.read_csv("x.csv", b"A;B\n1;2\n3;4;5\n6;7\n")


def test_rows_whose_empty_trailing_fields_were_left_out_are_padded_to_the_header():
    grid = delimited.read_csv("x.csv", b"A,B,C\n1,2\n3,4\n5,6\n")
    assert grid.shape == (4, 3)
    assert list(grid.iloc[0]) == ["A", "B", "C"]
    assert grid[2].iloc[1:].isna().all()


@pytest.mark.parametrize("counts, width", [
    ([1, 3, 2, 2], 3),      # title, header, rows without their empty last field
    ([2, 3, 2], 2),         # header, a wide row, a row: the header comes first on a tie
    ([3, 3, 3, 4, 3], 3),   # one wide row among many
    ([4, 3, 3, 3], 4),      # a header with a trailing delimiter: its rows are padded
    ([1], 1),
    ([], 0),
])
def test_the_width_is_that_of_the_first_row_at_least_as_wide_as_most(counts, width):
    assert delimited.table_width([["x"] * n for n in counts]) == width


def test_a_quoted_value_with_the_delimiter_is_one_field():
    grid = delimited.read_csv("x.csv", b'Customer,Amount\nAcme,"1,234.50"\n')
    assert grid.values.tolist() == [["Customer", "Amount"], ["Acme", "1,234.50"]]
