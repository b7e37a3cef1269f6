"""Value cleaning: exported text -> typed values, bad cells flagged (never blanked)."""
import datetime as dt

import pandas as pd
import pytest

from kam.ingest import dates, values
from kam.vocab import canonical_stage


def _dates(*cells):
    parsed, bad = dates.parse_date(pd.Series(list(cells), dtype=object))
    return [None if pd.isna(v) else v.date() for v in parsed], list(bad)


def test_every_common_date_spelling_reads_as_the_same_day():
    spellings = ["2025-03-01", "2025/3/1", "2025.03.01", "2025年3月1日", "45717", "45717.5", "20250301",
                 "2025-03-01 10:30:00", "2025/3/1 8:05", "1 Mar 2025", "２０２５－０３－０１",
                 20250301.0, "3/1/2025 10:30 AM", "3/1/2025 4:05 PM"]
    parsed, bad = _dates(*spellings)
    assert parsed == [dt.date(2025, 3, 1)] * len(spellings)
    assert bad == [False] * len(spellings)


def test_year_last_dates_read_in_the_order_the_column_proves():
    us = _dates("03/15/2025", "12/01/2024 14:30", "01/02/2025")        # 15 can only be a day: month first
    assert us == ([dt.date(2025, 3, 15), dt.date(2024, 12, 1), dt.date(2025, 1, 2)], [False] * 3)
    european = _dates("15.03.2025", "01.02.2025", "28-02-2025")       # day first
    assert european == ([dt.date(2025, 3, 15), dt.date(2025, 2, 1), dt.date(2025, 2, 28)], [False] * 3)


def test_an_ambiguous_year_last_column_reads_slashes_month_first_and_dots_day_first():
    assert _dates("01/02/2025")[0] == [dt.date(2025, 1, 2)]
    assert _dates("01.02.2025")[0] == [dt.date(2025, 2, 1)]


def test_a_year_last_date_contradicting_its_column_is_flagged_not_guessed():
    assert _dates("15/03/2025", "16/03/2025", "03/17/2025") == \
        ([dt.date(2025, 3, 15), dt.date(2025, 3, 16), None], [False, False, True])


def test_a_month_without_a_day_reads_as_its_first_day_and_six_digits_are_a_month_not_a_serial():
    parsed, bad = _dates("2025年3月", "2025-03", "2025/3", "202503")
    assert parsed == [dt.date(2025, 3, 1)] * 4 and bad == [False] * 4
    assert _dates("300000") == ([None], [True])  # no Excel serial: that would be a day in 2721


def test_two_digit_years_read_as_this_century_below_70_in_the_order_the_column_proves():
    assert _dates("3/1/25", "12/31/85 10:30 AM") == ([dt.date(2025, 3, 1), dt.date(1985, 12, 31)], [False, False])
    assert _dates("01.03.25", "15.03.69") == ([dt.date(2025, 3, 1), dt.date(2069, 3, 15)], [False, False])
    assert _dates("15/03/25", "01/04/25") == ([dt.date(2025, 3, 15), dt.date(2025, 4, 1)], [False, False])
    assert _dates("01-03-25") == ([None], [True])  # with dashes as often 2001-03-25: flagged, not guessed


def test_cells_that_say_no_value_or_hold_a_dash_are_missing_in_a_date_column():
    placeholders = ["-", "--", "—", "无", "空", "NULL", "null", "N/A", "n/a", "NA", "/", "#N/A", "None"]
    parsed, bad = _dates("2025/3/1", *placeholders)
    assert parsed == [dt.date(2025, 3, 1)] + [None] * len(placeholders)
    assert bad == [False] * (1 + len(placeholders))
    assert _dates("2025-03-01", "-") == ([dt.date(2025, 3, 1), None], [False, False])  # the ISO shortcut too


def test_an_unreadable_date_is_flagged_while_an_empty_cell_is_simply_missing():
    parsed, bad = _dates("next week", None, "", "2025-13-01")
    assert parsed == [None, None, None, None]
    assert bad == [True, False, False, True]


def test_numbers_lose_separators_and_currency_signs_and_keep_their_sign():
    parsed, bad = values.parse_number(pd.Series(["1,234.5", "¥-12", "￥１２", "(100)", "$3,000", "-5", "abc"]))
    assert list(parsed[:6]) == [1234.5, -12.0, 12.0, -100.0, 3000.0, -5.0]
    assert list(bad) == [False] * 6 + [True]


def test_a_dash_alone_is_the_zero_of_excels_accounting_format():
    parsed, bad = values.parse_number(pd.Series(["1,000", "-", " - ", "—", "¥ -", "-5"]))
    assert list(parsed) == [1000.0, 0.0, 0.0, 0.0, 0.0, -5.0] and not bad.any()


def test_cells_that_say_no_value_are_missing_in_a_number_column_while_a_dash_stays_the_accounting_zero():
    parsed, bad = values.parse_number(pd.Series(["1,5", "无", "空", "NULL", "null", "N/A", "n/a", "NA", "/", "#N/A",
                                                 "None", "-", "--", "—"]))
    assert parsed.isna().tolist() == [False] + [True] * 10 + [False] * 3
    assert parsed[0] == 1.5 and list(parsed[11:]) == [0.0, 0.0, 0.0]
    assert not bad.any()
    plain, bad = values.parse_number(pd.Series(["1.5", "N/A", "-"]), factor=10)  # otherwise clean: the fast cast
    assert plain.tolist()[::2] == [15.0, 0.0] and plain.isna().tolist() == [False, True, False] and not bad.any()


def test_sap_trailing_minus_marks_a_negative_amount():
    assert list(values.parse_number(pd.Series(["500,00-", "1.234,56-", "7"]))[0]) == [-500.0, -1234.56, 7.0]
    parsed, bad = values.parse_number(pd.Series(["1,234.56-", "(8)", "9-"]), factor=1e3)
    assert list(parsed) == [-1234560.0, -8000.0, -9000.0] and not bad.any()


def test_dotted_whole_numbers_are_thousands_only_in_a_column_that_writes_decimal_commas():
    european, bad = values.parse_number(pd.Series(["1.234,56", "12.500", "1.250"]))
    assert list(european) == [1234.56, 12500.0, 1250.0] and not bad.any()
    assert list(values.parse_number(pd.Series(["12.500", "1.250", "3"]))[0]) == [12.5, 1.25, 3.0]


def test_a_column_with_decimal_commas_reads_as_european_exports_mean_it():
    parsed, bad = values.parse_number(pd.Series(["1.234,50", "99,00", "-3,5", "€ 1.000,00", None]))
    assert list(parsed[:4]) == [1234.5, 99.0, -3.5, 1000.0]
    assert list(bad) == [False] * 5


def test_thousands_commas_stay_thousands_when_the_column_shows_them():
    parsed, _ = values.parse_number(pd.Series(["1,234", "99.00", "1,234,567", "2,5"]))
    assert list(parsed[:3]) == [1234.0, 99.0, 1234567.0]


def test_a_unit_written_in_a_cell_wins_over_the_column_unit():
    parsed, bad = values.parse_number(pd.Series(["12.5万", "3亿元", "¥1.2万", "(1万)", "-2.5万", "5千", "7"]),
                                      factor=10)
    assert list(parsed) == [125000.0, 3e8, 12000.0, -10000.0, -25000.0, 5000.0, 70.0]
    assert not bad.any()


def test_a_unit_factor_scales_amounts_but_not_percentages():
    parsed, _ = values.parse_number(pd.Series(["1.5", "11.8%"]), factor=1e4)
    assert list(parsed) == pytest.approx([15000.0, 0.118])


def test_shares_read_as_fractions_whether_written_as_percent_fraction_or_plain_percent():
    parsed, bad = values.parse_fraction(pd.Series(["60%", "0.6", "60", "150"]))
    assert list(parsed[:3]) == [0.6, 0.6, 0.6]
    assert list(bad) == [False, False, False, True]


def test_yes_no_words_in_chinese_and_english_become_booleans():
    parsed, bad = values.parse_bool(pd.Series(["是", "否", "Y", "n", "TRUE", "false", "maybe"]))
    assert list(parsed[:6]) == [True, False, True, False, True, False]
    assert list(bad) == [False] * 6 + [True]


def test_stage_labels_map_to_configured_stages_and_unknown_ones_are_flagged():
    stages = ("lead", "qualified", "proposal", "negotiation", "won", "lost")
    parsed, bad = values.parse_coded(pd.Series(["方案报价", "Closed Won", "Stage X", None]),
                                     lambda label: canonical_stage(label, stages))
    assert list(parsed[:2]) == ["proposal", "won"]
    assert list(bad) == [False, False, True, False]


def test_ids_that_excel_rounded_into_scientific_notation_are_flagged_not_merged():
    ids, bad = values.parse_id(pd.Series(["1.23457E+17", "1.23457E+17", "SO-E+1", "2e+5", "1001"]))
    assert list(bad) == [True, True, False, True, False]
    assert list(ids) == ["1.23457E+17", "1.23457E+17", "SO-E+1", "2e+5", "1001"]


def test_ids_stored_as_numbers_by_excel_read_back_without_the_decimal():
    parsed, _ = values.parse_id(pd.Series(["1001.0", " A-7 ", "ＡＢ１"]))
    assert list(parsed) == ["1001", "A-7", "AB1"]


def test_clean_text_trims_unicode_spaces_folds_full_width_and_blanks_empty_cells_in_any_column_type():
    for dtype in ("str", object):
        cells = pd.Series(["Ａ１", "甲\u3000", "\xa0z", " b\t", "", None, "ok"], dtype=dtype)
        cleaned = values.clean_text(cells)
        assert cleaned.dropna().tolist() == ["A1", "甲", "z", "b", "ok"]
        assert cleaned.isna().tolist() == [False, False, False, False, True, True, False]


def test_clean_text_undoes_excels_keep_as_text_formula_and_leading_apostrophe():
    cells = pd.Series(['="00123"', "'00456", " '007 ", "＇08", "'", '=""', "=SUM(A1)", "it's", None], dtype=object)
    cleaned = values.clean_text(cells)
    assert cleaned.tolist()[:4] == ["00123", "00456", "007", "08"]
    assert cleaned.isna().tolist() == [False] * 4 + [True, True, False, False, True]
    assert cleaned.tolist()[6:8] == ["=SUM(A1)", "it's"]
    assert values.parse_id(pd.Series(['="00123"']))[0].tolist() == ["00123"]  # the leading zeros survive as an id


def test_a_column_repeating_few_spellings_reads_each_cell_as_when_every_cell_is_parsed():
    cells = ["2025/3/1", "2025年3月2日"] * 10 + [None, "bad", "2025/3/1"]
    parsed, bad = _dates(*cells)  # 3 distinct spellings in 23 cells: parsed once each
    assert parsed == [dt.date(2025, 3, 1), dt.date(2025, 3, 2)] * 10 + [None, None, dt.date(2025, 3, 1)]
    assert bad == [False] * 21 + [True, False]
