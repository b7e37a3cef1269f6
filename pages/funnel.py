"""Funnel: pipeline by stage, conversion, win rates, stalled deals, forecast and loss reasons.

Every funnel bar and aggregate table row drills down to the deals behind it (kept in session state under
DRILL, so the latest click wins); every deal row opens Account 360.
"""
import streamlit as st

from kam import funnel
from kam.charts.funnel import forecast_figure, funnel_figure
from kam.errors import KamError
from kam.i18n import fmt_date, fmt_money, fmt_number, fmt_pct, label
from ui import choices, shell, tables

ctx = shell.context()
DRILL = "funnel_drill"
st.title(ctx.t("page.funnel"))


def money_col(key: str) -> st.column_config.NumberColumn:
    return tables.money_column(ctx.t(key))


DEAL_CONFIG = {
    "opportunity_id": None, "account_id": None, "region": None, "created_date": None,
    "name": ctx.t("funnel.col.opportunity"), "account_name": ctx.t("funnel.col.account"),
    "owner": ctx.t("funnel.col.owner"), "stage": ctx.t("funnel.col.stage"), "status": ctx.t("funnel.col.status"),
    "amount": money_col("funnel.col.amount"),
    "probability": tables.percent_column(ctx.t("funnel.col.probability")),
    "expected_close_date": tables.date_column(ctx.t("funnel.col.expected_close"), ctx.lang),
    "closed_date": tables.date_column(ctx.t("funnel.col.closed"), ctx.lang),
    "loss_reason": ctx.t("funnel.col.loss_reason"), "entered_date": None,
    "days_in_stage": ctx.t("funnel.col.days_in_stage"), "days_to_rot": ctx.t("funnel.col.days_to_rot"),
    "days_overdue": ctx.t("funnel.col.days_overdue"),
}


def with_stage_labels(frame):
    """Stage (and status, where shown) in the page's language."""
    labelled = frame.assign(stage=[funnel.stage_label(s, ctx.lang) for s in frame["stage"]])
    if "status" in frame:
        labelled["status"] = [label("funnel.status", s, ctx.lang) for s in frame["status"]]
    return labelled


def drill_on_select(key: str, frame, by: str, column: str, describe=str):
    """A selection callback: the picked row of `frame` becomes the drill-down (by, its `column` value)."""
    def callback() -> None:
        rows = st.session_state[key].selection.rows
        if rows:
            value = funnel.plain_value(frame.iloc[rows[0]][column])
            st.session_state[DRILL] = {"by": by, "value": value, "what": describe(value)}
    return callback


def deal_table(frame, key: str) -> None:
    """A table of deals; picking a row opens the deal's account in Account 360."""
    picked = tables.dataframe(with_stage_labels(frame), hide_index=True, key=key, on_select="rerun",
                              selection_mode="single-row", column_config=DEAL_CONFIG)
    if len(frame) == ctx.settings.funnel.list_rows:
        st.caption(ctx.t("funnel.list_cut", n=len(frame)))
    if picked.selection.rows:
        account = frame.iloc[picked.selection.rows[0]]["account_id"]
        if isinstance(account, str):
            st.switch_page("pages/account_360.py", query_params={"account": account})
        st.info(ctx.t("funnel.no_account"))


# --- filters: period (created date) and tier, on top of the shared sidebar scope
left, right = st.columns(2)
period = choices.lasting(left.selectbox, ctx.t("funnel.period"), funnel.PERIODS, key="funnel_period", lang=ctx.lang,
                         format_func=lambda p: ctx.t(f"funnel.period.{p}"))
tiers = tuple(right.multiselect(ctx.t("funnel.tiers"), ctx.settings.tiers.labels, key="funnel_tiers",
                                persist_state="session", placeholder=ctx.t("ui.all")))
date_from, date_to = funnel.period_range(period, ctx.as_of)
filt = funnel.FunnelFilter(scope=ctx.scope, date_from=date_from, date_to=date_to, tiers=tiers)
args = (ctx.con, ctx.settings, ctx.as_of, filt)

try:
    table = funnel.stage_table(*args)
    wins, totals = funnel.win_stats(*args), funnel.pipeline_totals(*args)
except KamError as exc:
    shell.show_error(exc)
    st.stop()

# --- headline numbers
cards = st.columns(6)
cards[0].metric(ctx.t("funnel.kpi.pipeline"), fmt_money(totals.pipeline, ctx.lang))
cards[1].metric(ctx.t("funnel.kpi.weighted"), fmt_money(totals.weighted_pipeline, ctx.lang))
cards[2].metric(ctx.t("funnel.kpi.won"), fmt_money(totals.won_amount, ctx.lang))
cards[3].metric(ctx.t("funnel.kpi.win_rate"), fmt_pct(wins.win_rate, ctx.lang))
cards[4].metric(ctx.t("funnel.kpi.win_rate_amount"), fmt_pct(wins.win_rate_amount, ctx.lang))
median_cycle = fmt_number(wins.median_cycle_days, ctx.lang, 1)
cards[5].metric(ctx.t("funnel.kpi.cycle"),
                "—" if wins.median_cycle_days is None else ctx.t("funnel.days", n=median_cycle),
                help=ctx.t("funnel.kpi.cycle_help", avg=fmt_number(wins.avg_cycle_days, ctx.lang, 1)))

unknown = funnel.unknown_stages(table)
if len(unknown):
    st.warning(ctx.t("funnel.unknown_stages", stages=", ".join(unknown["stage"])))

# --- the funnel chart: a click on a bar drills down to its deals
bars = table[table["kind"] != "unknown"].reset_index(drop=True)
figure = funnel_figure(bars, [funnel.stage_label(s, ctx.lang) for s in bars["stage"]], ctx.lang,
                       ctx.t("funnel.chart.deals"))


def on_bar() -> None:
    points = st.session_state["funnel_chart"].selection.points
    if points:
        stage = bars.iloc[points[0]["point_index"]]["stage"]
        st.session_state[DRILL] = {"by": "stage", "value": stage, "what": funnel.stage_label(stage, ctx.lang)}


st.subheader(ctx.t("funnel.chart.title"))
st.plotly_chart(figure, key="funnel_chart", on_select=on_bar, selection_mode="points",
                config={"displayModeBar": False})
st.caption(ctx.t("funnel.chart.hint"))
drill_box = st.container()

tab_stages, tab_stalled, tab_forecast, tab_changes, tab_losses = st.tabs(
    [ctx.t(f"funnel.tab.{name}") for name in ("stages", "stalled", "forecast", "changes", "losses")])

with tab_stages:
    tables.dataframe(with_stage_labels(table), hide_index=True, key="funnel_stages_table", selection_mode="single-row",
                     on_select=drill_on_select("funnel_stages_table", table, "stage", "stage",
                                               lambda s: funnel.stage_label(s, ctx.lang)),
                     column_config={"position": None, "kind": None, "stage": ctx.t("funnel.col.stage"),
                                    "deals": ctx.t("funnel.col.deals"), "amount": money_col("funnel.col.amount"),
                                    "conversion_to_next": tables.percent_column(ctx.t("funnel.col.conversion")),
                                    "current_deals": ctx.t("funnel.col.current_deals"),
                                    "current_amount": money_col("funnel.col.current_amount")})
    st.subheader(ctx.t("funnel.time_in_stage"))
    stage_times = funnel.time_in_stage(*args)
    if stage_times is None:
        st.info(ctx.t("funnel.needs_history"))
    else:
        tables.dataframe(with_stage_labels(stage_times), hide_index=True, column_config={
            "stage": ctx.t("funnel.col.stage"), "deals": ctx.t("funnel.col.deals"),
            "avg_days": st.column_config.NumberColumn(ctx.t("funnel.col.avg_days"), format="%.1f"),
            "median_days": st.column_config.NumberColumn(ctx.t("funnel.col.median_days"), format="%.1f")})

with tab_stalled:
    st.subheader(ctx.t("funnel.stalled"))
    stalled = funnel.stalled_deals(*args, limit=ctx.settings.funnel.list_rows)
    if stalled is None:
        st.info(ctx.t("funnel.needs_history"))
    elif stalled.empty:
        st.caption(ctx.t("funnel.stalled_none"))
    else:
        deal_table(stalled, "funnel_stalled_table")
    st.subheader(ctx.t("funnel.overdue"))
    overdue = funnel.overdue_deals(*args, limit=ctx.settings.funnel.list_rows)
    if overdue.empty:
        st.caption(ctx.t("funnel.overdue_none"))
    else:
        deal_table(overdue, "funnel_overdue_table")

with tab_forecast:
    left, right = st.columns(2)
    grain = choices.lasting(left.segmented_control, ctx.t("funnel.grain"), funnel.GRAINS, key="funnel_grain",
                            lang=ctx.lang, default="quarter", required=True,
                            format_func=lambda g: ctx.t(f"funnel.grain.{g}"))
    dimension = choices.lasting(right.segmented_control, ctx.t("funnel.dimension"), funnel.DIMENSIONS,
                                key="funnel_dimension", lang=ctx.lang, default="owner", required=True,
                                format_func=lambda d: ctx.t(f"funnel.dimension.{d}"))
    by_period = funnel.forecast_by_period(*args, grain=grain)
    labels = [funnel.period_label(p, grain, ctx.lang) for p in by_period["period"]]
    st.plotly_chart(forecast_figure(by_period, labels, {"won": ctx.t("funnel.col.won"),
                                                        "weighted": ctx.t("funnel.col.weighted")}, ctx.lang))
    forecast_cols = {"period": ctx.t("funnel.col.period"), "key": ctx.t("funnel.col.key"),
                     "won": money_col("funnel.col.won"), "pipeline": money_col("funnel.col.pipeline"),
                     "weighted": money_col("funnel.col.weighted"), "open_deals": ctx.t("funnel.col.deals")}
    tables.dataframe(by_period.assign(period=labels), hide_index=True, key="funnel_period_table",
                     selection_mode="single-row", column_config=forecast_cols,
                     on_select=drill_on_select("funnel_period_table", by_period, f"close_{grain}", "period",
                                               lambda p: funnel.period_label(p, grain, ctx.lang)))
    by_key = funnel.forecast_by(*args, dimension=dimension)
    tables.dataframe(by_key, hide_index=True, key="funnel_dimension_table", selection_mode="single-row",
                     column_config=forecast_cols,
                     on_select=drill_on_select("funnel_dimension_table", by_key, dimension, "key",
                                               lambda k: "—" if k is None else str(k)))

with tab_changes:
    if date_from is None:
        st.info(ctx.t("funnel.changes_pick"))
    else:
        changes = funnel.period_changes(*args, date_from, date_to)
        st.caption(ctx.t("funnel.changes_caption", start=fmt_date(date_from, ctx.lang), end=fmt_date(date_to, ctx.lang),
                         prev_start=fmt_date(changes.previous_from, ctx.lang),
                         prev_end=fmt_date(changes.previous_to, ctx.lang)))
        change_table = changes.table()
        tables.dataframe(change_table.assign(measure=[ctx.t(f"funnel.measure.{m}") for m in change_table["measure"]]),
                         hide_index=True, key="funnel_changes_table", column_config={
                             "measure": ctx.t("funnel.col.measure"), "deals": ctx.t("funnel.col.current"),
                             "previous_deals": ctx.t("funnel.col.previous"), "deals_change": ctx.t("funnel.col.change"),
                             "amount": money_col("funnel.col.current"),
                             "previous_amount": money_col("funnel.col.previous"),
                             "amount_change": money_col("funnel.col.change")})
        st.caption(ctx.t("funnel.changes_snapshots"))

with tab_losses:
    losses = funnel.loss_reasons(*args)
    if losses is None:
        st.info(ctx.t("funnel.losses_none"))
    else:
        shown = losses.assign(loss_reason=losses["loss_reason"].fillna(ctx.t("funnel.loss_unknown")))
        tables.dataframe(shown, hide_index=True, key="funnel_losses_table", selection_mode="single-row",
                         column_config={"loss_reason": ctx.t("funnel.col.loss_reason"),
                                        "deals": ctx.t("funnel.col.deals"), "amount": money_col("funnel.col.amount")},
                         on_select=drill_on_select("funnel_losses_table", losses, "loss_reason", "loss_reason",
                                                   lambda r: ctx.t("funnel.loss_unknown") if r is None else r))

# --- the deals behind the latest click, each opening Account 360
drill = st.session_state.get(DRILL)
if drill:
    with drill_box:
        st.subheader(ctx.t("funnel.deals_behind", what=drill["what"]))
        st.caption(ctx.t("funnel.deals_pick"))
        deal_table(funnel.deals_behind(*args, drill["by"], drill["value"], limit=ctx.settings.funnel.list_rows),
                   "funnel_deals_table")
