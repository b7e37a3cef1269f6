"""Overview: the executive glance. KPI cards, revenue by tier over quarters, health by tier, tier migration since
last quarter, top risks. Clicking a bar lists the accounts behind it; clicking a row opens Account 360."""
import streamlit as st

from kam import kpis, overview_views, settings as settings_store, tier_history
from kam.charts import overview as charts
from kam.charts.tiers import migration_heatmap
from kam.i18n import fmt_date
from ui import insights, shell, tables

ctx = shell.context()
DRILL = "overview_drill"
TOP_RISKS = 10  # rows of the risk list that fit a meeting-room screen
st.title(ctx.t("page.overview"))
names = insights.tier_names(ctx)
labels = ctx.settings.tiers.labels

cards = insights.cached(ctx, "kpi_cards")
health_mod, risk_mod = kpis.optional_module("kam.health"), kpis.optional_module("kam.risk")
CARDS_PER_ROW = 4  # wide enough for a number read from the back of a meeting room
insights.kpi_rows(ctx, cards, CARDS_PER_ROW)
if health_mod is None or risk_mod is None:
    st.caption(ctx.t("kpi.no_health"))

table = insights.cached(ctx, "tier_table")
start = overview_views.previous_quarter_end(ctx.as_of)
quarters = tier_history.quarter_ends(ctx.con, ctx.as_of)[-ctx.settings.tiers.kpi_periods:]
history = insights.cached(ctx, "tier_history", tuple(sorted({*quarters, start, ctx.as_of})))
health = insights.cached(ctx, "health_table") if health_mod else None
st.caption(ctx.t("overview.drill_hint"))

left, right = st.columns(2)
with left:
    st.subheader(ctx.t("overview.revenue_by_tier"))
    shown = history[history["as_of"].isin(quarters) | (history["as_of"] == ctx.as_of)]
    fig = charts.revenue_by_tier(tier_history.revenue_by_tier(shown, labels), names,
                                 {"revenue": ctx.t("tiers.revenue"), "settings_changed": ctx.t("overview.settings_changed")},
                                 settings_store.history(ctx.con)["saved_at"], ctx.lang)
    st.plotly_chart(fig, key="overview_revenue", on_select=insights.on_click("overview_revenue", DRILL, "tier"),
                    selection_mode="points")
with right:
    st.subheader(ctx.t("overview.health_by_tier"))
    if health is not None:
        band_names = {b: ctx.t(f"health.band.{b}") for b in charts.BAND_ORDER}
        fig = charts.health_distribution(overview_views.health_by_tier(table, health), band_names, names,
                                         {"accounts": ctx.t("overview.accounts")})
        st.plotly_chart(fig, key="overview_health", on_select=insights.on_click("overview_health", DRILL, "band"),
                        selection_mode="points")
    else:
        st.caption(ctx.t("kpi.no_health"))

drill = st.session_state.get(DRILL)
if drill:
    if drill["kind"] == "tier":
        when, rank = drill["data"][0], int(drill["data"][1])
        rows = tier_history.accounts_at(history, when, rank)
        what = f"{names[rank]} · {when}"
    elif drill["kind"] == "move":
        rank_from, rank_to = int(drill["data"][0]), int(drill["data"][1])
        rows = tier_history.cell(insights.cached(ctx, "migration", (start, ctx.as_of))[0], start, ctx.as_of,
                                 rank_from, rank_to).rename(columns={"score_to": "score", "revenue_12m_to": "revenue_12m"})
        what = f"{ctx.t('tiers.new') if rank_from < 0 else names[rank_from]} → {names[rank_to]}"
    else:
        band, rank = drill["data"][0], int(drill["data"][1])
        rows = overview_views.accounts_in_band(table, health, band, rank)
        what = f"{names[rank]} · {ctx.t(f'health.band.{band}')}"
    st.subheader(ctx.t("overview.drill_title", what=what))
    insights.account_table(ctx, rows[["account_id", "name", "owner", "revenue_12m", "score"]], "overview_drill_table",
                           {"name": ctx.t("col.name"), "owner": ctx.t("col.owner"),
                            "revenue_12m": insights.money_column(ctx, "col.revenue_12m"),
                            "score": st.column_config.NumberColumn(ctx.t("tiers.col.score"), format="%.1f")})

st.subheader(ctx.t("overview.migration", start=fmt_date(start, ctx.lang), end=fmt_date(ctx.as_of, ctx.lang)))
left, right = st.columns(2)
with left:
    _, matrix, moved = insights.cached(ctx, "migration", (start, ctx.as_of))
    pivot = tier_history.matrix_pivot(matrix, labels).rename(
        index=dict(zip([tier_history.NEW, *labels], [ctx.t("tiers.new"), *names])), columns=dict(zip(labels, names)))
    ranks_from = [-1] * (len(pivot.index) - len(labels)) + list(range(len(labels)))
    st.plotly_chart(migration_heatmap(pivot, {"from": ctx.t("tiers.col.tier_from"), "to": ctx.t("tiers.col.tier_to")},
                                      ranks_from),
                    key="overview_migration", on_select=insights.on_click("overview_migration", DRILL, "move"),
                    selection_mode="points")
with right:
    shown_label = dict(zip([tier_history.NEW, *labels], [ctx.t("tiers.new"), *names]))
    moved = moved.assign(tier_from=moved["tier_from"].map(shown_label), tier_to=moved["tier_to"].map(shown_label),
                         direction=[ctx.t(f"tiers.direction.{d}") for d in moved["direction"]])
    insights.account_table(ctx, moved[["account_id", "name", "tier_from", "tier_to", "direction", "revenue_12m_to"]],
                           "overview_movers", {"name": ctx.t("col.name"), "tier_from": ctx.t("tiers.col.tier_from"),
                                               "tier_to": ctx.t("tiers.col.tier_to"),
                                               "direction": ctx.t("tiers.col.direction"),
                                               "revenue_12m_to": insights.money_column(ctx, "tiers.col.revenue_to")})
# Full width: the reasons are the point of this table, and half a screen cut them off
st.subheader(ctx.t("overview.top_risks"))
warnings = insights.cached(ctx, "warning_list") if risk_mod else None
if warnings is None or warnings.empty:
    st.caption(ctx.t("overview.no_risks"))
else:
    top = overview_views.top_risks(warnings, TOP_RISKS)
    top = top.assign(reason=[risk_mod.reason(row, ctx.lang) + (ctx.t("overview.more_warnings", n=row["more"])
                                                               if row["more"] else "")
                             for _, row in top.iterrows()])
    insights.account_table(ctx, top[["account_id", "name", "owner", "reason", "revenue_at_risk", "active_since"]],
                           "overview_risks", {
                               "name": ctx.t("col.name"), "owner": ctx.t("col.owner"),
                               "reason": ctx.t("overview.col.reason"),
                               "revenue_at_risk": insights.money_column(ctx, "overview.col.revenue_at_risk"),
                               "active_since": tables.date_column(ctx.t("overview.col.active_since"), ctx.lang)})
