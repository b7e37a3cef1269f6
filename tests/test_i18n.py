"""kam.i18n: every string in both languages, and locale formatting."""
import datetime as dt
import importlib

import pandas as pd

from kam import i18n


def test_every_string_has_chinese_and_english_text():
    empty = [key for key, (zh, en) in i18n.catalogue().items() if not zh.strip() or not en.strip()]
    assert empty == []


def test_no_two_catalogues_define_the_same_key():
    seen: dict[str, str] = {}
    clashes = []
    for name in i18n.CATALOGUES:
        for key in importlib.import_module(f"kam.i18n.{name}").STRINGS:
            if key in seen:
                clashes.append((key, seen[key], name))
            seen[key] = name
    assert clashes == []


def test_placeholders_are_the_same_in_both_languages():
    import string
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}
    mismatched = [key for key, (zh, en) in i18n.catalogue().items() if fields(zh) != fields(en)]
    assert mismatched == []


def test_money_is_compact_in_wan_for_chinese_and_in_millions_for_english():
    assert i18n.fmt_money(1_234_567, "zh") == "¥123万"
    assert i18n.fmt_money(430_000, "zh") == "¥43.0万"
    assert i18n.fmt_money(250_000_000, "zh") == "¥2.50亿"
    assert i18n.fmt_money(1_234_567, "en") == "¥1.23M"
    assert i18n.fmt_money(-4_500, "en") == "-¥4.50K"
    assert i18n.fmt_money(999, "en") == "¥999"
    assert i18n.fmt_money(None, "en") == "—"


def test_dates_follow_the_locale():
    assert i18n.fmt_date(dt.date(2025, 3, 1), "zh") == "2025年3月1日"
    assert i18n.fmt_date(dt.date(2025, 3, 1), "en") == "1 Mar 2025"
    assert i18n.fmt_date(pd.Timestamp("2026-08-15"), "zh") == "2026年8月15日"
    assert i18n.fmt_date(pd.NaT, "zh") == "—"


def test_period_ends_read_as_quarters_and_other_dates_as_dates():
    assert i18n.fmt_period_end(dt.date(2024, 12, 31), "zh") == "2024年Q4"
    assert i18n.fmt_period_end(dt.date(2025, 3, 31), "en") == "2025 Q1"     # as kam.funnel.period_label
    assert i18n.fmt_period_end(pd.Timestamp("2025-06-30"), "en") == "2025 Q2"
    assert i18n.fmt_period_end(dt.date(2025, 6, 29), "en") == "29 Jun 2025"   # not the quarter's last day
    assert i18n.fmt_period_end(dt.date(2025, 4, 30), "zh") == "2025年4月30日"  # a month end, not a quarter end
    assert i18n.fmt_period_end(None, "zh") == "—"


def test_numbers_and_percentages():
    assert i18n.fmt_number(1234567.8, "en") == "1,234,568"
    assert i18n.fmt_pct(0.118, "zh") == "11.8%"
    assert i18n.fmt_pct(float("nan"), "en") == "—"


def test_a_coded_value_is_labelled_in_the_language_or_shown_as_typed():
    assert i18n.label("channel", "visit", "zh") == "拜访"
    assert i18n.label("channel", "visit", "en") == "Visit"
    assert i18n.label("channel", "飞书", "en") == "飞书"


def test_every_settings_field_has_a_label_and_a_help_in_both_languages():
    import dataclasses

    from kam.settings import Settings
    defaults, strings = Settings(), i18n.catalogue()
    keys = [f"setting.{s.name}.{f.name}{end}" for s in dataclasses.fields(defaults)
            for f in dataclasses.fields(getattr(defaults, s.name)) for end in ("", ".help")]
    assert [k for k in keys if k not in strings] == []
    assert i18n.t("setting.risk.nps_below", "zh") == "NPS 低于"
    assert i18n.t("setting.risk.severities.columns", "en") == "Rule,Severity"
    assert i18n.t("setting.risk.nps_below.help", "en").startswith("nps_low: warn when the latest NPS answer")


def test_every_settings_field_edited_as_a_table_has_one_header_per_value():
    import dataclasses
    import typing

    from kam.settings import Settings
    defaults, strings, missing = Settings(), i18n.catalogue(), []
    for section in dataclasses.fields(defaults):
        hints = typing.get_type_hints(type(getattr(defaults, section.name)))
        for name, hint in hints.items():
            inner = typing.get_args((typing.get_args(hint) or (None,))[0])
            key = f"setting.{section.name}.{name}.columns"
            if inner and not all(len(text.split(",")) == len(inner) for text in strings.get(key, ("", ""))):
                missing.append(key)
    assert missing == []
