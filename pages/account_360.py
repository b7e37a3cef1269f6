"""Account 360: profile, key contacts, revenue by month, receivables, interactions, opportunities."""
import streamlit as st

from kam import account360
from kam.charts import account as charts
from kam.i18n import fmt_date, fmt_money, label
from ui import shell, tables
from ui.sections import followups as followups_section
from ui.sections import health as health_section
from ui.sections import tiers as tiers_section

ctx = shell.context()
choices = account360.choices(ctx.con)
names = dict(zip(choices["account_id"], choices["name"]))
# The URL (?account=ID) names the account, so links from other pages and shared links open it; the picker's key
# follows the URL so a new link always wins over the picker's previous choice.
requested = st.query_params.get("account")
ids = list(names)
heading = st.empty()  # the page's name until an account is picked; then the account's name heads its profile
account_id = st.selectbox(ctx.t("a360.pick"), ids, format_func=lambda i: f"{names[i]} · {i}",
                          index=ids.index(requested) if requested in names else None, key=f"account_{requested}",
                          placeholder=ctx.t("a360.pick_placeholder"))
if account_id and account_id != requested:
    st.query_params["account"] = account_id
profile = account360.profile(ctx.con, account_id) if account_id else None
if profile is None:
    heading.title(ctx.t("page.account_360"))
    st.info(ctx.t("a360.none_selected"))
    st.stop()

st.title(profile["name"])
owner = ctx.t("a360.owner_line", owner=profile["owner"]) if profile["owner"] else None
st.caption(" · ".join(str(v) for v in (profile["account_id"], profile["industry"], profile["region"], owner) if v))

revenue = account360.monthly_revenue(ctx.con, account_id, ctx.as_of)
bills = account360.receivables(ctx.con, account_id, ctx.as_of)
deals = account360.opportunities(ctx.con, account_id)
cards = account360.headline(ctx.con, account_id, ctx.as_of)
with st.container(horizontal=True):
    st.metric(ctx.t("col.revenue_12m"), fmt_money(cards["revenue_12m"], ctx.lang), border=True)
    st.metric(ctx.t("col.last_order_date"), fmt_date(cards["last_order_date"], ctx.lang), border=True)
    st.metric(ctx.t("a360.overdue"), fmt_money(cards["overdue"], ctx.lang), border=True)
    st.metric(ctx.t("col.open_pipeline"), fmt_money(cards["open_pipeline"], ctx.lang), border=True)
    st.metric(ctx.t("col.contract_end_date"), fmt_date(profile["contract_end_date"], ctx.lang), border=True)

scores, business, people_tab, deals_tab, actions = st.tabs(
    [ctx.t("a360.tab_scores"), ctx.t("a360.tab_business"), ctx.t("a360.tab_people"), ctx.t("a360.opportunities"),
     ctx.t("a360.tab_followups")])
with scores:
    tiers_section.account_section(ctx, account_id)
    health_section.account_section(ctx, account_id)

with business:
    st.subheader(ctx.t("a360.revenue_by_month"))
    st.plotly_chart(charts.revenue_by_month(revenue, {"revenue": ctx.t("a360.revenue"),
                                                      "gross_margin": ctx.t("a360.gross_margin")}, ctx.lang))
    st.subheader(ctx.t("a360.receivables"))
    tables.dataframe(bills, hide_index=True, column_config={
        "amount": tables.money_column(ctx.t("a360.amount"), exact=True),
        "outstanding": tables.money_column(ctx.t("a360.outstanding"), exact=True),
        "days_overdue": st.column_config.NumberColumn(ctx.t("a360.days_overdue"))})

with people_tab:
    st.subheader(ctx.t("a360.contacts"))
    people = account360.contacts(ctx.con, account_id, ctx.as_of)
    for _, person in people[people["changed_recently"]].iterrows():
        left = person["status"] == "left"
        st.warning(ctx.t("a360.contact_left" if left else "a360.contact_joined", name=person["name"],
                         role=person["role"] or "",
                         date=fmt_date(person["active_to"] if left else person["active_from"], ctx.lang)))
    tables.dataframe(people.drop(columns=["changed_recently"]), hide_index=True, column_config={
        "name": ctx.t("a360.contact_name"), "role": ctx.t("a360.role"), "is_key": ctx.t("a360.is_key"),
        "status": ctx.t("a360.status")})
    st.subheader(ctx.t("a360.interactions"))
    timeline = account360.interactions(ctx.con, account_id, ctx.as_of)
    if timeline.empty:
        st.caption(ctx.t("a360.no_interactions"))
    else:
        channels = {c: label("channel", c, ctx.lang) for c in timeline["channel"].unique()}
        st.plotly_chart(charts.interaction_timeline(timeline, channels, ctx.lang))
        tables.dataframe(timeline.assign(channel=timeline["channel"].map(channels)), hide_index=True, column_config={
            "interaction_date": ctx.t("a360.date"), "channel": ctx.t("a360.channel"), "owner": ctx.t("col.owner"),
            "summary": ctx.t("a360.summary"), "satisfaction": ctx.t("a360.satisfaction"), "nps": "NPS"})

with deals_tab:
    tables.dataframe(deals, hide_index=True, column_config={
        "amount": tables.money_column(ctx.t("a360.amount"))})

with actions:
    followups_section.account_section(ctx, account_id)
