"""The tier score history chart of Account 360 (kam.charts.tiers.score_history)."""
import datetime as dt

import pandas as pd

from kam.charts.tiers import score_history


def test_the_tier_is_written_on_each_point_and_a_top_score_keeps_room_for_its_label():
    history = pd.DataFrame({"as_of": [dt.date(2026, 3, 31), dt.date(2026, 6, 30)], "score": [100.0, 62.5],
                            "tier_rank": [0, 1]})
    fig = score_history(history, {"score": "Tier score"}, [70.0, 40.0], ["A", "B", "C"])
    trace = fig.data[0]
    assert list(trace.text) == ["A", "B"] and list(trace.y) == [100.0, 62.5]
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
