"""Account 360 section: the account's health with its points per measure and coverage, what changed since the
previous period (a waterfall and one sentence), its health history, and its active warnings."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from kam import health, health_views, measure_text, risk, settings
from kam.charts import health as charts
from kam.i18n import fmt_date, fmt_number, fmt_pct
from ui import tables
from ui.shell import PageContext


def _measures(ctx: PageContext, row: pd.Series) -> pd.DataFrame:
    weights = dict(ctx.settings.health.weights)
    return pd.DataFrame([{
        "label": ctx.t(f"health.measure.{m}"),
        "value": measure_text.health_value(m, row[f"value_{m}"], ctx.lang, row["usual_interval"]),
        "score": row[f"score_{m}"],
        "weight": float(weights[m]), "points": row[f"points_{m}"], "band": row[f"band_{m}"],
        "known": pd.notna(row[f"score_{m}"])} for m in health.health_measures(ctx.settings)])


def _score(ctx: PageContext, row: pd.Series, measures: pd.DataFrame) -> None:
    band = row["band"]
    with st.container(horizontal=True):
        st.metric(ctx.t("health.score"), fmt_number(row["score"], ctx.lang), border=True)
        st.metric(ctx.t("health.coverage"), fmt_pct(row["coverage"], ctx.lang, 0), border=True,
                  help=ctx.t("health.coverage_help"))
    st.badge(ctx.t(f"health.band.{band}"), color={"green": "green", "yellow": "orange", "red": "red"}.get(band, "gray"))
    unknown = measures.loc[~measures["known"], "label"]
    if len(unknown):
        st.caption(ctx.t("health.unknown_measures", names=", ".join(unknown)))


def _breakdown(ctx: PageContext, measures: pd.DataFrame) -> None:
    st.plotly_chart(charts.breakdown(measures, ctx.t("health.breakdown")), key="health_breakdown_chart")
    tables.dataframe(measures.drop(columns=["band"]), hide_index=True, key="health_breakdown", column_config={
        "label": ctx.t("health.measure"), "value": st.column_config.TextColumn(ctx.t("health.value"), width="large"),
        "score": st.column_config.NumberColumn(ctx.t("health.measure_score"), format="%.0f"),
        "weight": tables.percent_column(ctx.t("health.weight")),
        "points": st.column_config.NumberColumn(ctx.t("health.points"), format="%.1f"),
        "known": st.column_config.CheckboxColumn(ctx.t("health.known"))})


def _change(ctx: PageContext, account_id: str) -> None:
    previous = ctx.as_of - dt.timedelta(days=ctx.settings.health.compare_days)
    changes = health.health_change(ctx.con, ctx.settings, ctx.as_of, previous, account_id=account_id)
    st.markdown(f"**{ctx.t('health.change.title', date=fmt_date(previous, ctx.lang))}**")
    st.write(health.explain_change(changes, ctx.lang))
    if changes["change"].notna().all():
        labelled = changes.assign(label=changes["measure"].map(lambda m: ctx.t(f"health.measure.{m}")))
        st.plotly_chart(charts.waterfall(changes["previous_points"].sum(), labelled,
                                         {"previous": ctx.t("health.change.previous"),
                                          "now": ctx.t("health.change.now")}), key="health_waterfall")


def _warnings(ctx: PageContext, account_id: str) -> None:
    st.markdown(f"**{ctx.t('risk.active')}**")
    active = risk.warning_list(ctx.con, ctx.settings, ctx.as_of, account_ids=[account_id])
    if active.empty:
        st.caption(ctx.t("risk.none"))
        return
    for row in risk.with_reasons(active, ctx.lang).to_dict("records"):
        since = fmt_date(row["active_since"], ctx.lang)
        st.warning(f"{ctx.t('risk.rule.' + row['rule'])} ({ctx.t('risk.severity.' + row['severity'])}): "
                   f"{row['reason']} · {ctx.t('risk.col.active_since')} {since}", icon=":material/warning:")


def account_section(ctx: PageContext, account_id: str) -> None:
    st.subheader(ctx.t("health.section"))
    table = health.health_table(ctx.con, ctx.settings, ctx.as_of, account_ids=[account_id])
    if table.empty:
        return
    row = table.iloc[0]
    measures = _measures(ctx, row)
    left, right = st.columns(2)
    with left:
        _score(ctx, row, measures)
        _warnings(ctx, account_id)
    with right:
        _change(ctx, account_id)
    _breakdown(ctx, measures)
    hs = ctx.settings.health
    saved = settings.history(ctx.con)
    changes = [(when, ctx.t("health.settings_changed", version=v)) for v, when in zip(saved["version"],
                                                                                      saved["saved_at"])]
    st.plotly_chart(charts.history(health_views.health_history(ctx.con, ctx.settings, ctx.as_of, account_id),
                                   hs.red_below, hs.green_from, ctx.t("health.history"), changes, ctx.lang),
                    key="health_history")
