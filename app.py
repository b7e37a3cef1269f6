"""The app frame: page config, the shared sidebar, and st.navigation over every page. Nothing else."""
from __future__ import annotations

import streamlit as st

from ui import shell

# (file, title key in kam.i18n, icon, section key). Every page is listed here: st.navigation ignores pages/ otherwise.
PAGES = (
    ("pages/overview.py", "page.overview", ":material/dashboard:", "section.insights"),
    ("pages/accounts.py", "page.accounts", ":material/groups:", "section.accounts"),
    ("pages/account_360.py", "page.account_360", ":material/person_search:", "section.accounts"),
    ("pages/followups.py", "page.followups", ":material/task_alt:", "section.accounts"),
    ("pages/funnel.py", "page.funnel", ":material/filter_alt:", "section.insights"),
    ("pages/health_risk.py", "page.health_risk", ":material/monitor_heart:", "section.insights"),
    ("pages/tiers.py", "page.tiers", ":material/stacked_bar_chart:", "section.insights"),
    ("pages/settings.py", "page.settings", ":material/tune:", "section.data"),
    ("pages/import_data.py", "page.import", ":material/upload_file:", "section.data"),
)


def navigation(ctx: shell.PageContext) -> st.navigation:
    sections: dict[str, list[st.Page]] = {}
    for index, (path, title, icon, section) in enumerate(PAGES):
        page = st.Page(path, title=ctx.t(title), icon=icon, default=index == 0)
        sections.setdefault(ctx.t(section), []).append(page)
    return st.navigation(sections)


def main() -> None:
    shell.leave_legacy_pages_mode()
    st.set_page_config(page_title="kam", page_icon=":material/handshake:", layout="wide")
    ctx = shell.sidebar()
    navigation(ctx).run()


main()
