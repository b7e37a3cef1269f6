"""Funnel figures: pure builders, data in, figure out.

`funnel_figure` draws the funnel as horizontal bars (first stage on top) rather than a plotly Funnel trace: bar
points are clickable in Streamlit's plotly selection, so a bar drills down to its deals. Each bar carries its
stage name in customdata, so the page maps a click back to the stage whatever the display language.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kam.charts import BAND_COLOURS, money_axis, styled, tier_colour
from kam.i18n import fmt_money, fmt_pct

KIND_COLOURS = {"open": tier_colour(1), "won": BAND_COLOURS["green"], "lost": BAND_COLOURS["red"]}


def funnel_figure(stages: pd.DataFrame, labels: list[str], lang: str, deals_title: str) -> go.Figure:
    """Bars of deals per stage. `stages`: stage, kind, deals, amount, conversion_to_next (kam.funnel.stage_table
    without unknown stages); `labels`: the display name of each row."""
    text = [f"{int(row.deals)} · {fmt_money(row.amount, lang)}"
            + ("" if pd.isna(row.conversion_to_next) else f" → {fmt_pct(row.conversion_to_next, lang, 0)}")
            for row in stages.itertuples()]
    fig = go.Figure(go.Bar(
        x=stages["deals"].astype(float), y=labels, orientation="h", text=text, textposition="auto",
        customdata=stages["stage"], marker_color=[KIND_COLOURS.get(k, BAND_COLOURS["unknown"]) for k in stages["kind"]],
        hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title=deals_title)
    fig.update_layout(clickmode="event+select", dragmode=False)
    return styled(fig, height=60 * len(stages) + 80)


def forecast_figure(frame: pd.DataFrame, periods: list[str], names: dict[str, str], lang: str = "en") -> go.Figure:
    """Won revenue and weighted pipeline per period, side by side. `frame`: won, weighted (one row per period);
    `periods`: their display labels; `names`: legend text for 'won' and 'weighted'."""
    fig = go.Figure()
    fig.add_bar(x=periods, y=frame["won"], name=names["won"], marker_color=BAND_COLOURS["green"])
    fig.add_bar(x=periods, y=frame["weighted"], name=names["weighted"], marker_color=tier_colour(1))
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    return money_axis(styled(fig), frame[["won", "weighted"]].max().max() if len(frame) else 0, lang)
