"""Account 360 section of the tier area: the account's tier, what its tier score is made of (points per measure,
summing to the score), and its tier history at each quarter end."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from kam import measure_text, tier_history, tiers
from kam.charts.tiers import score_history
from kam.i18n import fmt_number, fmt_pct
from ui import tables
from ui.insights import tier_names
from ui.shell import PageContext


def breakdown(ctx: PageContext, row: pd.Series) -> pd.DataFrame:
    """One row per measure: its value, percentile score, weight and points (unknown measures say so)."""
    weights = tiers.weights(ctx.settings.tiers)
    return pd.DataFrame({
        "measure": [ctx.t(f"tiers.measure.{m}") for m in tiers.MEASURES],
        # a measure left out of the score (no such data) reads "unknown", not its stand-in 0
        "value": [measure_text.tier_value(m, row[m] if pd.notna(row[f"scaled_{m}"]) else None, ctx.lang)
                  for m in tiers.MEASURES],
        "scaled": [row[f"scaled_{m}"] for m in tiers.MEASURES],
        "weight": [weights.get(m, 0.0) for m in tiers.MEASURES],
        "points": [row[f"pts_{m}"] for m in tiers.MEASURES]})


def account_section(ctx: PageContext, account_id: str) -> None:
    st.subheader(ctx.t("tiers.section_title"))
    table = tiers.tier_table(ctx.con, ctx.settings, ctx.as_of)
    match = table[table["account_id"] == account_id]
    if match.empty:
        st.caption(ctx.t("tiers.section_missing"))
        return
    row, names = match.iloc[0], tier_names(ctx)
    st.metric(ctx.t("tiers.col.tier"), names[int(row["tier_rank"])], border=True)
    st.caption(ctx.t("tiers.section_caption", score=fmt_number(row["score"], ctx.lang, 1),
                     coverage=fmt_pct(row["coverage"], ctx.lang, 0)))
    left, right = st.columns(2)
    with left:
        tables.dataframe(breakdown(ctx, row), hide_index=True, key="tiers_breakdown", column_config={
            "measure": ctx.t("tiers.col.measure"), "value": ctx.t("tiers.col.value"),
            "scaled": st.column_config.NumberColumn(ctx.t("tiers.col.scaled"), format="%.0f"),
            "weight": tables.percent_column(ctx.t("tiers.col.weight")),
            "points": st.column_config.NumberColumn(ctx.t("tiers.col.points"), format="%.1f")})
    with right:
        st.markdown(f"**{ctx.t('tiers.section_history')}**")
        dates = tier_history.quarter_ends(ctx.con, ctx.as_of)[-ctx.settings.tiers.kpi_periods:]
        history = tier_history.tier_history(ctx.con, ctx.settings, dates)
        mine = history[history["account_id"] == account_id]
        cutoffs = ctx.settings.tiers.score_cutoffs if ctx.settings.tiers.method == "weighted" else ()
        st.plotly_chart(score_history(mine, {"score": ctx.t("tiers.col.score")}, cutoffs, names, ctx.lang),
                        key="tiers_score_history")
