"""Health figures: what a reader sees on them (colours, marks), from tiny hand-made frames."""
import datetime as dt

import pandas as pd

from kam.charts import BAND_COLOURS
from kam.charts.health import breakdown, history, waterfall


def test_the_history_chart_marks_settings_saved_within_its_range():
    points = pd.DataFrame({"date": [dt.date(2026, 1, 31), dt.date(2026, 2, 28)], "score": [50.0, 60.0]})
    fig = history(points, 50, 75, "Health", [(pd.Timestamp("2026-02-10 10:00"), "settings v2"),
                                              (pd.Timestamp("2025-01-01"), "settings v1")])
    assert [a.text for a in fig.layout.annotations] == ["settings v2"]  # v1 predates the chart


def test_the_breakdown_leaves_unknown_measures_out_and_colours_by_band():
    measures = pd.DataFrame({"label": ["Recency", "NPS"], "points": [20.0, None], "band": ["red", "unknown"]})
    bar = breakdown(measures, "Breakdown").data[0]
    assert list(bar.y) == ["Recency"] and list(bar.marker.color) == [BAND_COLOURS["red"]]


def test_the_waterfall_starts_at_the_previous_score_and_ends_at_the_total():
    changes = pd.DataFrame({"label": ["Recency", "Complaints", "NPS", "Visits"], "change": [-26.0, -8.0, 0.0, -0.3]})
    fall = waterfall(100.0, changes, {"previous": "Previous", "now": "Now"}).data[0]
    assert list(fall.x) == ["Previous", "Recency", "Complaints", "Visits", "Now"]
    assert list(fall.y)[:3] == [100.0, -26.0, -8.0] and list(fall.measure)[-1] == "total"
    assert list(fall.text) == ["100", "-26", "-8", "-0.3", "66"]  # scores as they are, changes signed
