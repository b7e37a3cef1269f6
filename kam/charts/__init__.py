"""Plotly figure builders: pure functions, data in, figure out. One module per area; the shared look is here.

The look is for a meeting-room screen: large fonts, few gridlines, a fixed colour per tier and per band so the
same thing has the same colour on every page.
"""
from __future__ import annotations

import datetime as dt
import math

import plotly.graph_objects as go

from kam.i18n import MONEY_UNITS, period_parts

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


MONEY_TICKS = 5   # about this many gridlines on a money axis


def money_ticks(top: float, lang: str) -> tuple[list[float], list[str]]:
    """Round tick values from 0 to at least `top`, and their labels in one unit of `lang` (¥2亿, ¥200M)."""
    if not top or not math.isfinite(top) or top <= 0:
        return [0.0], ["0"]
    raw = top / MONEY_TICKS
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    values = [i * step for i in range(math.ceil(top / step) + 1)]
    units = MONEY_UNITS["zh" if lang == "zh" else "en"]   # the units fmt_money writes cards and texts in
    unit, suffix = next(((u, s) for u, s in units if top >= u), (1.0, ""))
    return values, ["0" if v == 0 else f"¥{v / unit:,.4g}{suffix}" for v in values]


def money_axis(fig: go.Figure, top: float, lang: str, axis: str = "yaxis") -> go.Figure:
    """Label a money axis of `fig` in the units of `lang` (plotly's own SI ticks print 700M on a Chinese page)."""
    values, labels = money_ticks(top, lang)
    fig.update_layout({axis: {"tickvals": values, "ticktext": labels}})
    return fig


# d3 formats of a date axis by zoom (tick spacing): plotly's own print English month names on the Chinese page
_DATE_TICKS = {"zh": (("%-m月%-d日", None, "M1"), ("%Y年%-m月", "M1", "M12"), ("%Y年", "M12", None)),
               "en": (("%-d %b", None, "M1"), ("%b %Y", "M1", "M12"), ("%Y", "M12", None))}
_DATE_HOVER = {"zh": "%Y年%-m月%-d日", "en": "%-d %b %Y"}   # as kam.i18n.fmt_date writes a date


def date_axis(fig: go.Figure, lang: str) -> go.Figure:
    """Write the dates of a date x-axis, its ticks and its hover labels, in the words of `lang`."""
    key = "zh" if lang == "zh" else "en"
    fig.update_xaxes(tickformatstops=[{"dtickrange": [low, high], "value": value}
                                      for value, low, high in _DATE_TICKS[key]],
                     hoverformat=_DATE_HOVER[key])
    return fig


def period_axis(fig: go.Figure, ends: list[str], lang: str) -> go.Figure:
    """Label a category x-axis of period ends (ISO dates) level, on two lines: the quarter (Q4) or, for the as-of
    date, the day, and under it the year where it changes (kam.i18n.period_parts). Rotated ISO dates were hard to
    read across a room, and a year on every bar did not fit."""
    text, year_before = [], None
    for end in ends:
        period, year = period_parts(dt.date.fromisoformat(end), lang)
        text.append(period if year == year_before else f"{period}<br>{year}")
        year_before = year
    fig.update_xaxes(tickvals=list(ends), ticktext=text, tickangle=0)
    return fig
