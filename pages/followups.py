"""Follow-ups: my follow-ups (editable, counts overdue / due this week, outcomes, Excel export), every overdue
follow-up and account, and contact-cadence compliance by owner and tier."""
import streamlit as st

from kam import accounts, cadence, followups
from kam.i18n import fmt_number
from ui import followups as widgets, tables
from ui import insights
from ui import shell

ctx = shell.context()
st.title(ctx.t("page.followups"))
widgets.need_user(ctx)
widgets.show_messages("fu_mine")
owners = accounts.filter_options(ctx.con)["owners"]
mine, overdue_tab, cadence_tab = st.tabs([ctx.t("followups.tab.mine"), ctx.t("followups.tab.overdue"),
                                          ctx.t("followups.tab.cadence")])

with mine:
    choices = [None, *owners]
    with st.container(horizontal=True, vertical_alignment="bottom"):
        owner = st.selectbox(ctx.t("followups.owner"), choices, key="fu_owner", persist_state="session",
                             index=choices.index(ctx.user) if ctx.user in choices else 0,
                             format_func=lambda o: ctx.t("followups.all_owners") if o is None else o)
        include_closed = st.toggle(ctx.t("followups.include_closed"), key="fu_closed", persist_state="session")
    frame, counts = followups.my_follow_ups(ctx.con, ctx.settings, ctx.as_of, owner, include_closed=include_closed,
                                            scope=ctx.scope)
    with st.container(horizontal=True):
        st.metric(ctx.t("followups.metric.open"), fmt_number(counts.open, ctx.lang), border=True)
        st.metric(ctx.t("followups.metric.overdue"), fmt_number(counts.overdue, ctx.lang), border=True)
        st.metric(ctx.t("followups.metric.due_soon"), fmt_number(counts.due_soon, ctx.lang), border=True)
    widgets.follow_up_table(ctx, frame, "fu_mine", owners)
    widgets.outcome_form(ctx, frame, "fu_mine")
    if not frame.empty:
        widgets.export_button(ctx, frame, "fu_export")

with overdue_tab:
    late = followups.overdue(ctx.con, ctx.as_of, ctx.scope)
    st.subheader(ctx.t("followups.overdue.title", n=len(late)))
    if late.empty:
        st.caption(ctx.t("followups.overdue.none"))
    else:
        tables.dataframe(late[list(widgets.TABLE_COLUMNS)], hide_index=True,
                         column_config=widgets.headers(ctx, widgets.TABLE_COLUMNS))

with cadence_tab:
    ranks = insights.cached(ctx, "tier_table")  # shared with the tiers page, recomputed only on change
    status = cadence.contact_status(ctx.con, ctx.settings, ctx.as_of, ranks, ctx.scope)
    days = " · ".join(f"{tier} {d}" for tier, d in zip(ctx.settings.tiers.labels, ctx.settings.cadence.days_by_tier))
    st.caption(ctx.t("followups.cadence.help", days=days))
    behind = cadence.overdue_contacts(status)
    st.subheader(ctx.t("followups.cadence.overdue", n=len(behind)))
    if behind.empty:
        st.success(ctx.t("followups.cadence.all_on_time"))
    else:
        tables.dataframe(behind, hide_index=True, column_config=widgets.headers(ctx, behind.columns) | {
            "tier_rank": None, "overdue": None, "account_id": None})
    left, right = st.columns(2)
    for column, by, title in ((left, "owner", "followups.cadence.by_owner"),
                              (right, "tier", "followups.cadence.by_tier")):
        table = cadence.compliance(status, by)
        column.subheader(ctx.t(title))
        column.dataframe(table, hide_index=True, column_config=widgets.headers(ctx, table.columns) | {
            "share": st.column_config.ProgressColumn(ctx.t("followups.col.share"), format="percent",
                                                     min_value=0.0, max_value=1.0)})
