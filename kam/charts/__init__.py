"""Plotly figure builders: pure functions, data in, figure out. One module per area; the shared look is here.

The look is for a meeting-room screen: large fonts, few gridlines, a fixed colour per tier and per band so the
same thing has the same colour on every page.
"""
from __future__ import annotations

import plotly.graph_objects as go

FONT_SIZE = 16
BAND_COLOURS = {"green": "#2a9d8f", "yellow": "#e9c46a", "red": "#c0392b", "unknown": "#bdc3c7"}
TIER_COLOURS = ("#1f5fbf", "#5d9cec", "#a4c8f0", "#d5e4f5")  # best tier first


def tier_colour(position: int) -> str:
    """Colour of the tier at `position` (0 = best)."""
    return TIER_COLOURS[min(position, len(TIER_COLOURS) - 1)]


def styled(fig: go.Figure, *, height: int = 380) -> go.Figure:
    """Apply the shared layout: big type, compact margins, legend on top, transparent background."""
    fig.update_layout(font={"size": FONT_SIZE}, height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend={"orientation": "h", "y": 1.08, "x": 0}, paper_bgcolor="rgba(0,0,0,0)",
                      plot_bgcolor="rgba(0,0,0,0)")
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(gridcolor="#e6e6e6")
    return fig
