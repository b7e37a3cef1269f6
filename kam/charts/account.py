"""Account 360 figures: revenue by month and the interaction timeline."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kam.charts import date_axis, money_axis, styled

CHANNEL_SYMBOLS = {"visit": "circle", "call": "diamond", "email": "square", "meeting": "star",
                   "wechat": "triangle-up", "complaint": "x", "survey": "hexagon", "other": "circle-open"}


def revenue_by_month(frame: pd.DataFrame, labels: dict[str, str], lang: str = "en") -> go.Figure:
    """Bars of revenue per month, with gross margin as a line where it is known.
    `labels` names the traces: {'revenue': ..., 'gross_margin': ...}."""
    fig = go.Figure(go.Bar(x=frame["month"], y=frame["revenue"], name=labels["revenue"]))
    if frame["gross_margin"].notna().any():
        fig.add_trace(go.Scatter(x=frame["month"], y=frame["gross_margin"], name=labels["gross_margin"],
                                 mode="lines+markers"))
    top = frame[["revenue", "gross_margin"]].max().max() if len(frame) else 0
    return date_axis(money_axis(styled(fig, height=320), top, lang), lang)


def interaction_timeline(frame: pd.DataFrame, channel_names: dict[str, str], lang: str = "en") -> go.Figure:
    """One marker per interaction on a date axis, one row per channel; hovering shows the summary."""
    fig = go.Figure()
    for channel, rows in frame.groupby("channel", sort=True):
        fig.add_trace(go.Scatter(
            x=rows["interaction_date"], y=[channel_names.get(channel, channel)] * len(rows), mode="markers",
            name=channel_names.get(channel, channel), text=rows["summary"], hovertemplate="%{x}<br>%{text}",
            marker={"size": 14, "symbol": CHANNEL_SYMBOLS.get(channel, "circle")}))
    fig.update_layout(showlegend=False)
    return date_axis(styled(fig, height=260), lang)
