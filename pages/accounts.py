"""Accounts list: search, sort, filter; pick a row to open Account 360."""
import streamlit as st

from kam import accounts
from ui import shell, tables

ctx = shell.context()
st.title(ctx.t("page.accounts"))
search = st.text_input(ctx.t("accounts.search"), key="accounts_search", persist_state="session")
frame = accounts.account_list(ctx.con, ctx.scope, ctx.as_of, search)
st.caption(ctx.t("accounts.count", n=len(frame)))
picked = tables.dataframe(
    frame, hide_index=True, key="accounts_table", on_select="rerun", selection_mode="single-row",
    column_config={
        "account_id": ctx.t("col.account_id"), "name": ctx.t("col.name"), "industry": ctx.t("col.industry"),
        "region": ctx.t("col.region"), "owner": ctx.t("col.owner"),
        "revenue_12m": tables.money_column(ctx.t("col.revenue_12m")),
        "last_order_date": tables.date_column(ctx.t("col.last_order_date"), ctx.lang),
        "open_pipeline": tables.money_column(ctx.t("col.open_pipeline")),
        "contract_end_date": tables.date_column(ctx.t("col.contract_end_date"), ctx.lang),
    })
if picked.selection.rows:
    account_id = frame.iloc[picked.selection.rows[0]]["account_id"]
    st.switch_page("pages/account_360.py", query_params={"account": account_id})
