"""Health and risk figures: the band distribution by tier, one account's points breakdown, the what-changed
waterfall and the health history.

Pure: DataFrames from kam.health / kam.health_views in, plotly figures out. Colours are the shared BAND_COLOURS,
so an unknown is always grey, never red or green. Clickable marks carry what they stand for in `customdata`.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from kam.charts import BAND_COLOURS, date_axis, styled
from kam.health_views import BANDS


def distribution(counts: pd.DataFrame, tier_names: dict[int, str], band_names: dict[str, str],
                 title: str) -> go.Figure:
    """Stacked bars: accounts per tier (x) and band; `counts` is kam.health_views.band_counts.
    customdata = [tier_rank, band] for drilling into the accounts behind a segment."""
    fig = go.Figure()
    for band in BANDS:
        rows = counts[counts["band"] == band]
        fig.add_trace(go.Bar(x=[tier_names[r] for r in rows["tier_rank"]], y=rows["accounts"],
                             name=band_names[band], marker_color=BAND_COLOURS[band],
                             customdata=list(zip(rows["tier_rank"], rows["band"])),
                             hovertemplate="%{x}: %{y}<extra>" + band_names[band] + "</extra>"))
    fig.update_layout(barmode="stack", title=title, yaxis={"title": None})
    return styled(fig)


def breakdown(measures: pd.DataFrame, title: str) -> go.Figure:
    """Horizontal bars of the points each known measure contributes (they add up to the score).
    `measures`: label, points, band (unknown measures have no bar)."""
    known = measures[measures["points"].notna()].iloc[::-1]
    fig = go.Figure(go.Bar(x=known["points"], y=known["label"], orientation="h",
                           marker_color=[BAND_COLOURS[b] for b in known["band"]],
                           texttemplate="%{x:.0f}", hovertemplate="%{y}: %{x:.1f}<extra></extra>"))
    fig.update_layout(title=title, xaxis={"title": None}, showlegend=False)
    return styled(fig, height=60 + 40 * max(len(known), 1))


def waterfall(previous: float, changes: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Previous score, then each measure's change in points, then the score now.
    `changes`: label, change (from kam.health.health_change); labels: {'previous': ..., 'now': ...}."""
    moved = changes[changes["change"].abs() >= 0.05]
    now = previous + moved["change"].sum()
    # The two scores as they are, the changes signed; "+0" over the score now read as "no health at all".
    text = [f"{previous:.0f}", *(f"{c:+.{0 if abs(c) >= 0.5 else 1}f}" for c in moved["change"]), f"{now:.0f}"]
    fig = go.Figure(go.Waterfall(
        x=[labels["previous"], *moved["label"], labels["now"]],
        y=[previous, *moved["change"], 0], measure=["absolute", *["relative"] * len(moved), "total"],
        text=text, textposition="outside", textangle=0, cliponaxis=False,
        decreasing={"marker": {"color": BAND_COLOURS["red"]}},
        increasing={"marker": {"color": BAND_COLOURS["green"]}}, totals={"marker": {"color": "#1f5fbf"}},
        connector={"line": {"color": "#999"}}))
    fig.update_layout(yaxis={"range": [0, 105]}, showlegend=False)
    return styled(fig)


def history(points: pd.DataFrame, red_below: float, green_from: float, title: str,
            settings_changes: Sequence[tuple[object, str]] = (), lang: str = "en") -> go.Figure:
    """Health over dates on the red / yellow / green bands; `points`: date, score (NaN = unknown: a gap).
    `settings_changes`: (when, label) of settings versions saved, drawn as dotted lines so a jump can be told
    apart from a change of weights (history is computed with the settings in force now)."""
    fig = go.Figure(go.Scatter(x=points["date"], y=points["score"], mode="lines+markers",
                               line={"color": "#1f5fbf", "width": 3}, connectgaps=False,
                               hovertemplate="%{x}: %{y:.0f}<extra></extra>"))
    for low, high, band in ((0, red_below, "red"), (red_below, green_from, "yellow"), (green_from, 100, "green")):
        fig.add_hrect(y0=low, y1=high, fillcolor=BAND_COLOURS[band], opacity=0.12, line_width=0)
    first = points["date"].min() if len(points) else None
    for when, label in settings_changes:
        if first is not None and pd.Timestamp(when) >= pd.Timestamp(first):
            fig.add_vline(x=pd.Timestamp(when).timestamp() * 1000, line_dash="dot", line_color="#666",
                          annotation_text=label, annotation_position="top left")
    fig.update_layout(title=title, yaxis={"range": [0, 100]}, showlegend=False)
    return date_axis(styled(fig, height=300), lang)
