"""Tiers: the Pareto chart, tiers at a glance, the tier table, the migration matrix between two chosen dates and
the movers. Clicking a bar or a row opens Account 360."""
import streamlit as st

from kam import tier_history, tiers
from kam.charts.tiers import migration_heatmap, pareto
from kam.i18n import fmt_date, fmt_money, fmt_pct, fmt_period_end
from ui import choices, insights, shell, tables

ctx = shell.context()
OPEN = "tiers_open"
insights.follow_open(OPEN)
st.title(ctx.t("page.tiers"))
ts = ctx.settings.tiers
names = insights.tier_names(ctx)
st.caption(ctx.t("tiers.method_caption", method=ctx.t(f"tiers.method.{ts.method}")))

table = insights.cached(ctx, "tier_table")
summary = tiers.tier_summary(table, ts)
with st.container(horizontal=True):
    for row in summary.itertuples():
        st.metric(names[row.tier_rank], ctx.t("tiers.summary_card", n=row.accounts, revenue=fmt_money(row.revenue_12m, ctx.lang)),
                  ctx.t("tiers.share_of_revenue", share=fmt_pct(row.revenue_share, ctx.lang)), delta_color="off",
                  delta_arrow="off", border=True)

st.subheader(ctx.t("tiers.pareto_title"))
top = tiers.pareto_head(table, ts.pareto_cutoffs[0])
st.caption(ctx.t("tiers.pareto_caption", n=top, share=fmt_pct(ts.pareto_cutoffs[0], ctx.lang), total=len(table)))
fig = pareto(table, {"revenue": ctx.t("tiers.revenue"), "cumulative": ctx.t("tiers.cumulative")}, names,
             ts.pareto_cutoffs[0], ctx.lang)
st.plotly_chart(fig, key="tiers_pareto", on_select=insights.open_on_click("tiers_pareto", OPEN), selection_mode="points")

st.subheader(ctx.t("tiers.table_title"))
st.caption(ctx.t("tiers.pick_row"))
shown = table.assign(tier=[names[r] for r in table["tier_rank"]])
measure_config = {m: ctx.t(f"tiers.measure.{m}") for m in tiers.MEASURES}
insights.account_table(ctx, shown[["account_id", "name", "tier", "score", "revenue_12m", "revenue_share",
                                   "gross_margin", "growth", "relationship", "breadth", "pipeline", "coverage", "owner",
                                   "region", "industry"]], "tiers_table", {
    **measure_config, "name": ctx.t("col.name"), "tier": ctx.t("tiers.col.tier"), "owner": ctx.t("col.owner"),
    "region": ctx.t("col.region"), "industry": ctx.t("col.industry"),
    "score": st.column_config.ProgressColumn(ctx.t("tiers.col.score"), format="%.1f", min_value=0, max_value=100),
    "revenue_12m": insights.money_column(ctx, "tiers.measure.revenue_12m"),
    "revenue_share": tables.percent_column(ctx.t("tiers.col.revenue_share")),
    "gross_margin": tables.percent_column(ctx.t("tiers.measure.gross_margin")),
    "growth": tables.percent_column(ctx.t("tiers.measure.growth")),
    "relationship": st.column_config.NumberColumn(ctx.t("tiers.measure.relationship"), format="%.1f"),
    "pipeline": insights.money_column(ctx, "tiers.measure.pipeline"),
    "coverage": tables.percent_column(ctx.t("tiers.col.coverage"))})

st.subheader(ctx.t("tiers.migration_title"))
dates = tier_history.quarter_ends(ctx.con, ctx.as_of)
dates = dates + [ctx.as_of] if ctx.as_of not in dates else dates
if len(dates) < 2:
    st.info(ctx.t("tiers.no_history"))
    st.stop()
left, middle, right = st.columns(3)
start = choices.lasting(left.selectbox, ctx.t("tiers.from_date"), dates[:-1], key="tiers_from", lang=ctx.lang,
                        index=len(dates) - 2, format_func=lambda d: fmt_period_end(d, ctx.lang))
end = choices.lasting(middle.selectbox, ctx.t("tiers.to_date"), [d for d in dates if d > start], key="tiers_to",
                      lang=ctx.lang, index=None, format_func=lambda d: fmt_period_end(d, ctx.lang),
                      placeholder=fmt_date(ctx.as_of, ctx.lang)) or ctx.as_of
value = choices.lasting(right.segmented_control, ctx.t("tiers.matrix_value"), ["accounts", "revenue_12m_to"],
                        key="tiers_matrix_value", lang=ctx.lang, default="accounts", required=True,
                        format_func=lambda v: ctx.t("tiers.matrix_" + ("accounts" if v == "accounts" else "revenue")))
_, matrix, moved = insights.cached(ctx, "migration", (start, end))
pivot = tier_history.matrix_pivot(matrix, ts.labels, value)
pivot = pivot.rename(index=dict(zip([tier_history.NEW, *ts.labels], [ctx.t("tiers.new"), *names])),
                     columns=dict(zip(ts.labels, names)))
st.plotly_chart(migration_heatmap(pivot, {"from": ctx.t("tiers.col.tier_from"), "to": ctx.t("tiers.col.tier_to")}),
                key="tiers_migration")

st.subheader(ctx.t("tiers.movers_title"))
if moved.empty:
    st.caption(ctx.t("tiers.no_movers"))
else:
    label = dict(zip([tier_history.NEW, *ts.labels], [ctx.t("tiers.new"), *names]))
    moved = moved.assign(tier_from=moved["tier_from"].map(label), tier_to=moved["tier_to"].map(label),
                         direction=[ctx.t(f"tiers.direction.{d}") for d in moved["direction"]])
    insights.account_table(ctx, moved, "tiers_movers", {
        "name": ctx.t("col.name"), "owner": ctx.t("col.owner"), "tier_from": ctx.t("tiers.col.tier_from"),
        "tier_to": ctx.t("tiers.col.tier_to"), "direction": ctx.t("tiers.col.direction"),
        "score_from": st.column_config.NumberColumn(ctx.t("tiers.col.score_from"), format="%.1f"),
        "score_to": st.column_config.NumberColumn(ctx.t("tiers.col.score_to"), format="%.1f"),
        "revenue_12m_from": insights.money_column(ctx, "tiers.col.revenue_from"),
        "revenue_12m_to": insights.money_column(ctx, "tiers.col.revenue_to")})
