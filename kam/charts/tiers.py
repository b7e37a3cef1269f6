"""Tier figures: the Pareto chart, the migration matrix heatmap, and one account's tier score history.

Pure: DataFrames from kam.tiers / kam.tier_history in, plotly figures out. Every clickable mark carries the
account id (or tier rank) in `customdata`, so a page can drill into what was clicked.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from kam.charts import date_axis, money_axis, styled, tier_colour

PARETO_MAX_BARS = 200  # beyond this a bar per account is unreadable; the curve still covers every account
SCORE_AXIS_TOP = 115    # tier scores run 0-100; the headroom keeps the label over a 100 point inside the chart


def pareto(table: pd.DataFrame, names: dict[str, str], tier_names: Sequence[str], line_at: float | None,
           lang: str = "en") -> go.Figure:
    """Bars of revenue per account (largest first, coloured by tier), cumulative share on the right axis.

    `table` is kam.tiers.tier_table; `names` = {'revenue': ..., 'cumulative': ...}; `tier_names[rank]` labels the
    tiers; `line_at` draws the 80/20 line (a share 0-1) when given."""
    ranked = table.sort_values("revenue_12m", ascending=False, kind="stable").reset_index(drop=True)
    bars = ranked.head(PARETO_MAX_BARS)
    fig = go.Figure()
    for rank, rows in bars.groupby("tier_rank", sort=True):
        fig.add_trace(go.Bar(x=rows["name"], y=rows["revenue_12m"], name=tier_names[rank],
                             marker_color=tier_colour(rank), customdata=rows["account_id"],
                             hovertemplate="%{x}<br>%{y:,.0f}<extra>" + tier_names[rank] + "</extra>"))
    fig.add_trace(go.Scatter(x=bars["name"], y=bars["cumulative_share"], name=names["cumulative"], yaxis="y2",
                             mode="lines", line={"color": "#333", "width": 3}, customdata=bars["account_id"],
                             hovertemplate="%{x}<br>%{y:.1%}<extra></extra>"))
    if line_at is not None:
        fig.add_hline(y=line_at, yref="y2", line_dash="dash", line_color="#c0392b",
                      annotation_text=f"{line_at:.0%}", annotation_position="top right")
    fig.update_layout(barmode="overlay", yaxis={"title": names["revenue"]},
                      yaxis2={"overlaying": "y", "side": "right", "range": [0, 1.05], "tickformat": ".0%",
                              "tickvals": [0, 0.2, 0.4, 0.6, 0.8, 1.0], "showgrid": False},
                      xaxis={"categoryorder": "array", "categoryarray": list(bars["name"]), "showticklabels":
                             len(bars) <= 30})
    return money_axis(styled(fig, height=420), bars["revenue_12m"].max() if len(bars) else 0, lang)


def migration_heatmap(pivot: pd.DataFrame, names: dict[str, str], ranks_from: Sequence[int] = ()) -> go.Figure:
    """The migration matrix (rows: from tier, columns: to tier) as a grid of squares shaded by their number.

    Squares rather than a plotly heatmap because a click on a scatter point is a selectable event (a page can list
    the accounts behind a cell). `names` = {'from': ..., 'to': ...}; `ranks_from[i]` is the tier rank of row i
    (-1 for new accounts); each square carries [rank_from, rank_to] in customdata."""
    ranks_from = list(ranks_from) or list(range(len(pivot.index)))
    cells = [(row, column, pivot.iat[i, j], ranks_from[i], j) for i, row in enumerate(pivot.index)
             for j, column in enumerate(pivot.columns)]
    values = [c[2] for c in cells]
    fig = go.Figure(go.Scatter(
        x=[c[1] for c in cells], y=[c[0] for c in cells], mode="markers+text", text=[f"{v:,.0f}" for v in values],
        customdata=[[c[3], c[4]] for c in cells], textfont={"size": 18},
        marker={"symbol": "square", "size": 64, "color": values, "colorscale": "Blues", "cmin": 0,
                "line": {"width": 1, "color": "#ccc"}},
        hovertemplate=names["from"] + " %{y} → " + names["to"] + " %{x}: %{text}<extra></extra>"))
    fig.update_layout(xaxis={"title": names["to"], "side": "top", "type": "category", "categoryorder": "array",
                             "categoryarray": list(pivot.columns)},
                      yaxis={"title": names["from"], "type": "category", "categoryorder": "array",
                             "categoryarray": list(pivot.index)[::-1]})
    return styled(fig, height=80 + 80 * len(pivot.index))


def score_history(history: pd.DataFrame, names: dict[str, str], cutoffs: Sequence[float],
                  tier_names: Sequence[str], lang: str = "en") -> go.Figure:
    """One account's tier score per quarter end, the cut-offs dashed, and the tier written where it changes (and
    at the first and last point: a label on every point ran into the next). Hovering shows the tier of any point.
    `history` rows of kam.tier_history.tier_history for the account; `names` = {'score': ...}."""
    tiers = [tier_names[int(r)] for r in history["tier_rank"]]
    text = [tier if k in (0, len(tiers) - 1) or tier != tiers[k - 1] else "" for k, tier in enumerate(tiers)]
    fig = go.Figure(go.Scatter(x=history["as_of"], y=history["score"], mode="lines+markers+text", text=text,
                               customdata=tiers, textposition="top center", name=names["score"], line={"width": 3},
                               hovertemplate="%{x}<br>%{y:.1f} · %{customdata}<extra></extra>"))
    for cutoff in cutoffs:
        fig.add_hline(y=cutoff, line_dash="dot", line_color="#999")
    fig.update_yaxes(range=[0, SCORE_AXIS_TOP], tickvals=list(range(0, 101, 20)))
    return date_axis(styled(fig, height=300), lang)
