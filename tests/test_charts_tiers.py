"""The tier score history chart of Account 360 (kam.charts.tiers.score_history)."""
import datetime as dt

import pandas as pd

from kam.charts.tiers import score_history


def test_the_tier_is_written_where_it_changes_and_a_top_score_keeps_room_for_its_label():
    history = pd.DataFrame({"as_of": [dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30),
                                      dt.date(2026, 11, 19)],
                            "score": [100.0, 62.5, 64.0, 66.0], "tier_rank": [0, 1, 1, 1]})
    fig = score_history(history, {"score": "Tier score"}, [70.0, 40.0], ["A", "B", "C"])
    trace = fig.data[0]
    # first point, the change to B, nothing on the unchanged third, and the last point again
    assert list(trace.text) == ["A", "B", "", "B"] and list(trace.y) == [100.0, 62.5, 64.0, 66.0]
    assert list(trace.customdata) == ["A", "B", "B", "B"]     # hover still names every point's tier
    low, high = fig.layout.yaxis.range
    assert low == 0 and high > 100 + 10                       # the "A" over 100 is inside the plot
    assert list(fig.layout.yaxis.tickvals) == [0, 20, 40, 60, 80, 100]  # no tick above the scale
    assert sorted(shape.y0 for shape in fig.layout.shapes) == [40.0, 70.0]


def test_money_axes_count_in_the_units_of_the_page_language():
    from kam.charts import money_ticks
    # 672M: steps of 200M (672 / 5 = 134 -> the next round step is 200), up to 800M
    assert money_ticks(672e6, "en") == ([0, 200e6, 400e6, 600e6, 800e6], ["0", "¥200M", "¥400M", "¥600M", "¥800M"])
    assert money_ticks(672e6, "zh")[1] == ["0", "¥2亿", "¥4亿", "¥6亿", "¥8亿"]
    assert money_ticks(31.3e6, "zh")[1] == ["0", "¥1,000万", "¥2,000万", "¥3,000万", "¥4,000万"]
    assert money_ticks(9_000, "en")[1] == ["0", "¥2K", "¥4K", "¥6K", "¥8K", "¥10K"]
    assert money_ticks(0, "zh") == ([0.0], ["0"])


def test_date_axes_write_months_in_the_page_language():
    from kam.charts import date_axis
    import plotly.graph_objects as go
    zh = date_axis(go.Figure(go.Scatter(x=[dt.date(2026, 1, 31)], y=[1])), "zh").layout.xaxis
    assert [stop.value for stop in zh.tickformatstops] == ["%-m月%-d日", "%Y年%-m月", "%Y年"]
    assert [tuple(stop.dtickrange) for stop in zh.tickformatstops] == [(None, "M1"), ("M1", "M12"), ("M12", None)]
    assert zh.hoverformat == "%Y年%-m月%-d日"
    assert date_axis(go.Figure(), "en").layout.xaxis.hoverformat == "%-d %b %Y"


def test_revenue_by_tier_labels_quarter_ends_as_quarters_and_the_as_of_date_as_a_day():
    from kam.charts.overview import revenue_by_tier
    frame = pd.DataFrame({"as_of": [dt.date(2025, 12, 31), dt.date(2026, 3, 31), dt.date(2026, 5, 19)] * 2,
                          "tier_rank": [0, 0, 0, 1, 1, 1], "revenue_12m": [5e6, 6e6, 7e6, 1e6, 1e6, 1e6]})
    zh = revenue_by_tier(frame, ["战略级", "重点级"], {"revenue": "收入", "settings_changed": ""}, lang="zh")
    # the year under the first bar and where it changes, not under every bar
    assert list(zh.layout.xaxis.ticktext) == ["Q4<br>2025年", "Q1<br>2026年", "5月19日"]
    assert list(zh.layout.xaxis.tickvals) == ["2025-12-31", "2026-03-31", "2026-05-19"]
    en = revenue_by_tier(frame, ["A", "B"], {"revenue": "Revenue", "settings_changed": ""}, lang="en")
    assert list(en.layout.xaxis.ticktext) == ["Q4<br>2025", "Q1<br>2026", "19 May"]
    # a clicked bar still says which date and tier it stands for (the drill-down), then how it is written
    assert list(en.data[0].customdata[2]) == ["2026-05-19", 0, "19 May 2026"]
    assert list(en.data[0].customdata[0]) == ["2025-12-31", 0, "2025 Q4"]
