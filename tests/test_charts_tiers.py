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
