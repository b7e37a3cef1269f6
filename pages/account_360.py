"""Account 360: profile, key contacts, revenue by month, payments, interactions, opportunities."""
import streamlit as st

from ui import shell

ctx = shell.context()
st.title(ctx.t("page.account_360"))
account_id = st.query_params.get("account")
# sections: one import+call per area below this line (ui/sections/<area>.py: account_section(ctx, account_id))
