"""Health & risk: health distribution by tier (click a segment for its accounts), and the risk list with reasons,
filtered by rule and severity; selecting a row opens Account 360."""
import streamlit as st

from kam import health_views, risk
from kam.charts import health as charts
from kam.i18n import fmt_money, fmt_number
from kam.settings.risk import RULES
from ui import choices, shell, tables
from ui.insights import cached

ctx = shell.context()
st.title(ctx.t("page.health_risk"))
# Scores come through the shared cache (recomputed only when data, settings, date or filters change).
table = health_views.with_tiers(cached(ctx, "health_table"), cached(ctx, "tier_table"))
counts = health_views.band_counts(table)
tiers = health_views.tier_names(table, ctx.settings, ctx.lang)
bands = {b: ctx.t(f"health.band.{b}") for b in health_views.BANDS}

with st.container(horizontal=True):
    st.metric(ctx.t("health.average"), fmt_number(table["score"].mean(), ctx.lang), border=True)
    for band in health_views.BANDS:
        st.metric(bands[band], fmt_number(int((table["band"] == band).sum()), ctx.lang), border=True)

picked = st.plotly_chart(charts.distribution(counts, tiers, bands, ctx.t("health.distribution")),
                         on_select="rerun", selection_mode="points", key="health_distribution")
points = picked.selection.points if picked else []
if points:
    tier_rank, band = points[0]["customdata"]
    segment = health_views.accounts_in(table, int(tier_rank), band)
    st.caption(ctx.t("health.segment", tier=tiers[int(tier_rank)], band=bands[band], n=len(segment)))
    tables.dataframe(segment[["account_id", "name", "owner", "score", "coverage"]], hide_index=True, column_config={
        "account_id": ctx.t("col.account_id"), "name": ctx.t("col.name"), "owner": ctx.t("col.owner"),
        "score": st.column_config.NumberColumn(ctx.t("health.score"), format="%.0f"),
        "coverage": st.column_config.ProgressColumn(ctx.t("health.coverage"), min_value=0, max_value=1)})
else:
    st.caption(ctx.t("health.segment_hint"))

st.subheader(ctx.t("risk.list"))
left, right = st.columns(2)
rules = choices.lasting(left.multiselect, ctx.t("risk.filter_rule"), list(RULES), key="risk_rules", lang=ctx.lang,
                        format_func=lambda r: ctx.t(f"risk.rule.{r}"), placeholder=ctx.t("ui.all"))
severities = choices.lasting(right.multiselect, ctx.t("risk.filter_severity"), list(risk.SEVERITIES),
                             key="risk_severities", lang=ctx.lang, format_func=lambda s: ctx.t(f"risk.severity.{s}"),
                             placeholder=ctx.t("ui.all"))
active = cached(ctx, "warning_list")  # unfiltered: the follow-ups below judge "cleared" against it
warnings = risk.filter_warnings(active, rules, severities)
if warnings.empty:
    st.info(ctx.t("risk.none"))
else:
    st.caption(ctx.t("risk.count", n=len(warnings),
                     money=fmt_money(warnings.drop_duplicates("account_id")["revenue_at_risk"].sum(), ctx.lang)))
    shown = risk.with_reasons(warnings, ctx.lang).assign(
        severity=lambda f: f["severity"].map(lambda s: ctx.t(f"risk.severity.{s}")),
        rule=lambda f: f["rule"].map(lambda r: ctx.t(f"risk.rule.{r}")))
    selected = tables.dataframe(
        shown[["severity", "name", "rule", "reason", "revenue_at_risk", "active_since", "owner"]], hide_index=True,
        key="risk_table", on_select="rerun", selection_mode="single-row", column_config={
            "severity": ctx.t("risk.col.severity"), "name": ctx.t("col.name"), "rule": ctx.t("risk.col.rule"),
            "reason": st.column_config.TextColumn(ctx.t("risk.col.reason"), width="large"),
            "revenue_at_risk": tables.money_column(ctx.t("risk.col.revenue_at_risk")),
            "active_since": tables.date_column(ctx.t("risk.col.active_since"), ctx.lang),
            "owner": ctx.t("col.owner")})
    st.caption(ctx.t("risk.pick_hint"))
    if selected.selection.rows:
        st.switch_page("pages/account_360.py",
                       query_params={"account": warnings.iloc[selected.selection.rows[0]]["account_id"]})
# followups: risk actions
from ui.sections.followups import risk_actions; risk_actions(ctx, warnings, active)  # noqa: E702
