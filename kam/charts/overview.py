"""Overview figures: revenue by tier over quarters, and the health distribution (by tier when given).

Pure: DataFrames in, plotly figures out. Each bar carries what it stands for in `customdata` ([as_of, tier_rank,
the date as written] or [band]) so the Overview can list the accounts behind a clicked bar.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from kam.charts import BAND_COLOURS, money_axis, period_axis, styled, tier_colour
from kam.i18n import fmt_period_end

BAND_ORDER = ("red", "yellow", "green", "unknown")


def revenue_by_tier(frame: pd.DataFrame, tier_names: Sequence[str], names: dict[str, str],
                    changes: Sequence = (), lang: str = "en") -> go.Figure:
    """Stacked bars of 12-month revenue per tier at each quarter end (kam.tier_history.revenue_by_tier).
    `names` = {'revenue': ..., 'settings_changed': ...}; `changes` are dates settings were saved (marked)."""
    fig = go.Figure()
    for rank, rows in frame.groupby("tier_rank", sort=True):
        when = rows["as_of"].astype(str)
        fig.add_trace(go.Bar(x=when, y=rows["revenue_12m"], name=tier_names[rank],
                             marker_color=tier_colour(rank),
                             customdata=list(zip(when, rows["tier_rank"],
                                                 [fmt_period_end(dt.date.fromisoformat(w), lang) for w in when])),
                             hovertemplate="%{customdata[2]}<br>¥%{y:,.0f}<extra>" + tier_names[rank] + "</extra>"))
    dates = sorted(frame["as_of"].astype(str).unique())
    for when in changes:  # a settings change inside the range: tiers before and after used different rules
        label = str(pd.Timestamp(when).date())
        if dates and dates[0] <= label <= dates[-1]:
            fig.add_vline(x=label, line_dash="dot", annotation_text=names["settings_changed"])
    fig.update_layout(barmode="stack", yaxis={"title": names["revenue"]}, xaxis={"type": "category"},
                      legend={"traceorder": "normal"})
    return money_axis(period_axis(styled(fig), dates, lang),
                      frame.groupby("as_of")["revenue_12m"].sum().max() if len(frame) else 0, lang)


def health_distribution(frame: pd.DataFrame, band_names: dict[str, str], tier_names: Sequence[str],
                        names: dict[str, str]) -> go.Figure:
    """Accounts per health band, one bar group per tier. `frame`: tier_rank, band, accounts (every band present
    gets a trace coloured by its band colour; unknown is grey, never red or green). `names` = {'accounts': ...}."""
    fig = go.Figure()
    for band in BAND_ORDER:
        rows = frame[frame["band"] == band]
        if rows.empty:
            continue
        fig.add_trace(go.Bar(x=[tier_names[int(r)] for r in rows["tier_rank"]], y=rows["accounts"],
                             name=band_names[band], marker_color=BAND_COLOURS[band],
                             customdata=[[band, int(r)] for r in rows["tier_rank"]]))
    fig.update_layout(barmode="stack", yaxis={"title": names["accounts"]},
                      xaxis={"type": "category", "categoryorder": "array", "categoryarray": list(tier_names)})
    return styled(fig)
