"""kam.measure_text: measure values with their units, in both languages."""
import math

import pytest

from kam.measure_text import health_value, tier_value


@pytest.mark.parametrize(("measure", "value", "en", "zh"), [
    ("order_recency", 40.0, "40 days", "40 天"),
    ("order_frequency", -0.8236, "-82.4%", "-82.4%"),
    ("revenue_trend", 0.125, "+12.5%", "+12.5%"),
    ("revenue_trend", -0.0004, "+0.0%", "+0.0%"),
    ("receivables", 35.0, "35 days overdue", "逾期 35 天"),
    ("engagement", 32.0, "32 days ago", "32 天前"),
    ("complaints", 2.0, "2", "2 次"),
    ("nps", 7.0, "7 / 10", "7 / 10"),
    ("key_contacts", 1.0, "1 left", "离任 1 人"),
    ("nps", math.nan, "—", "—"),
])
def test_a_health_measure_value_reads_with_its_unit(measure, value, en, zh):
    assert (health_value(measure, value, "en"), health_value(measure, value, "zh")) == (en, zh)


def test_order_recency_reads_against_the_accounts_own_usual_interval():
    assert health_value("order_recency", 94.0, "en", 30.0) == "94 days, 3.1x its usual 30-day interval"
    assert health_value("order_recency", 15.0, "zh", 7.5) == "15 天（常规间隔 7.5 天的 2.0 倍）"


@pytest.mark.parametrize(("measure", "value", "en", "zh"), [
    ("revenue_12m", 31_301_978.0, "¥31.3M", "¥3,130万"),
    ("pipeline", 10_060_000.0, "¥10.1M", "¥1,006万"),
    ("gross_margin", 0.278, "27.8%", "27.8%"),
    ("growth", -0.41, "-41.0%", "-41.0%"),
    ("relationship", 4.44, "4.4 years", "4.4 年"),
    ("breadth", 14.0, "14", "14"),
    ("strategic", 1.0, "yes", "是"),
    ("strategic", 0.0, "no", "否"),
    ("gross_margin", None, "unknown", "未知"),
])
def test_a_tier_measure_value_reads_with_its_unit(measure, value, en, zh):
    assert (tier_value(measure, value, "en"), tier_value(measure, value, "zh")) == (en, zh)
