"""Streamlit pieces shared by the Overview, Tiers and Settings pages: KPI cards, account tables that open
Account 360 on a click, tier labels in the page language, and the drill-down read from a chart click.

Clicks are kept in session state (DRILL key per page) so the accounts behind the last clicked bar stay listed
while the user reads them; a click on a row of any account table opens Account 360 for that account.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from kam.i18n import fmt_money, fmt_number, fmt_pct
from kam.kpi_card import Kpi
from kam.tiers import display_label
from ui import tables
from ui.shell import PageContext

ACCOUNT_360 = "pages/account_360.py"


def tier_names(ctx: PageContext) -> list[str]:
    """Tier labels as shown in this language (best first)."""
    labels = ctx.settings.tiers.labels
    return [display_label(label, ctx.lang, labels) for label in labels]


def formatter(kind: str, lang: str) -> Callable[[float | None], str]:
    """How a KPI of this kind is written on a card."""
    return {"money": lambda v: fmt_money(v, lang), "pct": lambda v: fmt_pct(v, lang),
            "count": lambda v: fmt_number(v, lang), "score": lambda v: fmt_number(v, lang, 1),
            "nps": lambda v: fmt_number(v, lang)}[kind]


def delta_text(kpi: Kpi, lang: str) -> str | None:
    """The delta with its sign (st.metric colours by the leading '-'); percentages move in points. A change too
    small to show at the card's precision reads "+0.0 pp" or "+0", never "-0.0 pp"."""
    if kpi.delta is None:
        return None
    shown = f"{abs(kpi.delta) * 100:.1f} pp" if kpi.kind == "pct" else formatter(kpi.kind, lang)(abs(kpi.delta))
    return ("-" if kpi.delta < 0 and _nonzero(shown) else "+") + shown


def _nonzero(text: str) -> bool:
    return any(ch in "123456789" for ch in text)


def _flat(kpi: Kpi, lang: str) -> bool:
    """No change to show (none known, or too small for the card's precision): neither green nor red, no arrow."""
    text = delta_text(kpi, lang)
    return text is None or not _nonzero(text)


# Cards whose help says more than the period: what they leave out, or why they have no trend (kam.kpis).
_OWN_HELP = {"accounts_at_risk": "kpi.help.at_risk", "revenue_at_risk": "kpi.help.at_risk",
             "contracts_expiring": "kpi.help.contracts_expiring"}


def kpi_card(ctx: PageContext, kpi: Kpi) -> None:
    """One big KPI: value, delta against the previous period (coloured by good/bad), sparkline."""
    ends = kpi.period_ends
    help_text = ctx.t(_OWN_HELP.get(kpi.key, "kpi.help"), end=str(ends[-1]),
                      previous=str(ends[-2]) if len(ends) > 1 else "—", n=len(ends))
    label = ctx.t(f"kpi.{kpi.key}", label=_label(ctx, kpi.label)) if kpi.label else ctx.t(f"kpi.{kpi.key}")
    points = [v for v in kpi.series if v is not None]
    flat = _flat(kpi, ctx.lang)
    st.metric(label, formatter(kpi.kind, ctx.lang)(kpi.value), delta_text(kpi, ctx.lang),
              delta_color="off" if flat else "normal" if kpi.higher_is_better else "inverse",
              delta_arrow="off" if flat else "auto", help=help_text, border=True,
              chart_data=points if len(points) > 1 else None, chart_type="area")


def kpi_rows(ctx: PageContext, cards: Sequence[Kpi], per_row: int) -> None:
    """KPI cards in rows of `per_row` equal columns (readable from the back of a meeting room)."""
    for start in range(0, len(cards), per_row):
        for column, kpi in zip(st.columns(per_row), cards[start:start + per_row]):
            with column:
                kpi_card(ctx, kpi)


def _label(ctx: PageContext, label: str) -> str:
    labels = ctx.settings.tiers.labels
    return display_label(label, ctx.lang, labels) if label in labels else label


def account_table(ctx: PageContext, frame: pd.DataFrame, key: str, config: dict | None = None) -> None:
    """A table of accounts (with an account_id column); clicking a row opens that account's Account 360."""
    picked = tables.dataframe(frame, hide_index=True, key=key, on_select="rerun", selection_mode="single-row",
                              column_config={"account_id": None, **(config or {})})
    if picked.selection.rows:
        account_id = str(frame.iloc[picked.selection.rows[0]]["account_id"])
        st.switch_page(ACCOUNT_360, query_params={"account": account_id})


def on_click(chart_key: str, drill_key: str, kind: str) -> Callable[[], None]:
    """A plotly on_select callback: remember (kind, customdata of the clicked point) under `drill_key`.

    A callback fires only when that chart's selection changes, so the latest click on any chart wins."""
    def callback() -> None:
        points = st.session_state[chart_key].selection.points
        data = points[0].get("customdata") if points else None
        if data is not None:
            st.session_state[drill_key] = {"kind": kind, "data": list(data) if isinstance(data, (list, tuple))
                                           else [data]}
    return callback


def money_column(ctx: PageContext, key: str) -> st.column_config.NumberColumn:
    return tables.money_column(ctx.t(key))


def open_on_click(chart_key: str, open_key: str) -> Callable[[], None]:
    """A plotly on_select callback for charts whose points carry an account id: remember it to open Account 360
    (st.switch_page cannot run inside a callback; `follow_open` does it in the script)."""
    def callback() -> None:
        points = st.session_state[chart_key].selection.points
        if points and points[0].get("customdata") is not None:
            st.session_state[open_key] = str(points[0]["customdata"])
    return callback


def follow_open(open_key: str) -> None:
    """Open Account 360 for the account a chart click remembered under `open_key`, once."""
    account_id = st.session_state.pop(open_key, None)
    if account_id:
        st.switch_page(ACCOUNT_360, query_params={"account": account_id})


# Scores are recomputed only when the data, the settings, the date or the filters change (freshness.stamp):
# a page rerun for a click then costs a cache lookup instead of a pass over every order. The tier table, KPI
# cards, health table and warning list come from one kam.scoreboard (computed together at a fraction of the cost
# of four separate calls; the Overview, the default page, needs all four anyway).
_SCOREBOARD_PARTS = {"tier_table": "tier_table", "kpi_cards": "kpis", "health_table": "health_table",
                     "warning_list": "warnings"}


def _computations() -> dict[str, Callable]:
    from kam import scoreboard, tier_history
    return {
        "scoreboard": lambda con, s, as_of, scope, *a: scoreboard.scoreboard(con, s, as_of, scope),
        "tier_history": lambda con, s, as_of, scope, dates: tier_history.tier_history(con, s, list(dates), scope),
        "migration": lambda con, s, as_of, scope, dates: _migration(
            tier_history.tier_history(con, s, list(dates), scope), *dates),
    }


def _migration(history, start, end) -> tuple:
    from kam import tier_history
    return (history, tier_history.migration_matrix(history, start, end), tier_history.movers(history, start, end))


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def _cached(name: str, _con, db_path: str, stamp: tuple, settings, as_of, scope, extra: tuple):
    return _computations()[name](_con, settings, as_of, scope, *extra)


def cached(ctx: PageContext, name: str, *extra) -> object:
    """The result of computation `name` (tier_table, tier_history(dates), migration((start, end)) -> (history,
    matrix, movers), kpi_cards, health_table, warning_list)
    for this context, from the cache when nothing it depends on changed."""
    from kam import freshness
    from ui.shell import database_path
    with st.spinner(ctx.t("overview.computing")):
        if name in _SCOREBOARD_PARTS:
            board = _cached("scoreboard", ctx.con, database_path(), freshness.stamp(ctx.con), ctx.settings,
                            ctx.as_of, ctx.scope, ())
            return getattr(board, _SCOREBOARD_PARTS[name])
        return _cached(name, ctx.con, database_path(), freshness.stamp(ctx.con), ctx.settings, ctx.as_of,
                       ctx.scope, tuple(extra))
