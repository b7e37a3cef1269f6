"""Account 360: profile, key contacts, revenue by month, payments, interactions, opportunities."""
import streamlit as st

from ui import shell

ctx = shell.context()
st.title(ctx.t("page.account_360"))
