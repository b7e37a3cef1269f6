"""Follow-up sections drawn inside other areas' pages.

`account_section(ctx, account_id)`: on Account 360, the account's follow-ups (editable), a create form pre-filled
with the account owner, an outcome form, and the audit trail.
`risk_actions(ctx, warnings)`: on the risk page, which warnings have an open follow-up, none, or only closed ones
(the warning still active), the warnings that cleared after a follow-up, and one-click creation of a follow-up
pre-filled with the warning's reason and the account owner.
"""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kam import accounts, followups, followups_history, followups_risk
from kam.risk import reason
from kam.i18n import label
from ui import followups as widgets, tables
from ui.shell import PageContext

AUDIT_COLUMNS = ("changed_at", "follow_up_id", "event_type", "version", "changed_by", "change")


def account_section(ctx: PageContext, account_id: str) -> None:
    prefix = "fu_account"
    st.subheader(ctx.t("followups.account.title"))
    widgets.need_user(ctx)
    widgets.show_messages(prefix)
    owners = accounts.filter_options(ctx.con)["owners"]
    frame = followups.follow_up_list(ctx.con, ctx.as_of, account_id=account_id)
    widgets.follow_up_table(ctx, frame, prefix, owners)
    left, right = st.columns(2)
    with left:
        widgets.create_form(ctx, prefix, account_id, followups.account_owner(ctx.con, account_id), owners)
    with right:
        widgets.outcome_form(ctx, frame, prefix)
    with st.expander(ctx.t("followups.audit"), icon=":material/history:"):
        audit_trail(ctx, followups_history.audit_trail(ctx.con, account_id=account_id))


def audit_trail(ctx: PageContext, trail: pd.DataFrame) -> None:
    if trail.empty:
        st.caption(ctx.t("followups.no_events"))
        return
    shown = trail[list(AUDIT_COLUMNS)].assign(
        event_type=[label("followups.event", e, ctx.lang) for e in trail["event_type"]])
    tables.dataframe(shown, hide_index=True, column_config=widgets.headers(ctx, AUDIT_COLUMNS))


def _create_from_warning(ctx: PageContext, warning: dict[str, Any]) -> None:
    values = followups_risk.from_warning(warning, reason(warning, ctx.lang), ctx.settings, ctx.as_of)
    widgets.create(ctx, "fu_risk", values)


def risk_actions(ctx: PageContext, warnings: pd.DataFrame, active: pd.DataFrame | None = None) -> None:
    """Follow-up state of each warning in `warnings` (kam.risk.warning_list, maybe filtered), and one-click
    follow-ups. `active`: the unfiltered warning list, which 'cleared' is judged against (a warning filtered out
    of view has not cleared); `warnings` when not given."""
    st.subheader(ctx.t("followups.risk.title"))
    widgets.need_user(ctx)
    widgets.show_messages("fu_risk")
    states = followups_risk.warning_states(ctx.con, warnings, ctx.scope)
    count = states["follow_up_state"].value_counts()
    st.caption(ctx.t("followups.risk.counts", **{s: int(count.get(s, 0)) for s in ("open", "none", "closed")}))
    shown = states.assign(reason=[reason(w, ctx.lang) for w in states.to_dict("records")],
                          follow_up_state=[label("followups.state", s, ctx.lang) for s in states["follow_up_state"]])
    columns = [c for c in ("name", "owner", "rule", "reason", "follow_up_state", "follow_up_id") if c in shown]
    tables.dataframe(shown[columns], hide_index=True, column_config=widgets.headers(ctx, columns))
    _create_picker(ctx, states[states["follow_up_state"] == "none"])
    done = followups_risk.cleared(ctx.con, warnings if active is None else active, ctx.scope)
    with st.expander(ctx.t("followups.risk.cleared", n=len(done)), icon=":material/task_alt:"):
        tables.dataframe(done.assign(status=[label("followups.status", s, ctx.lang) for s in done["status"]]),
                         hide_index=True, column_config=widgets.headers(ctx, done.columns))


def _create_picker(ctx: PageContext, uncovered: pd.DataFrame) -> None:
    if uncovered.empty:
        st.success(ctx.t("followups.risk.all_covered"))
        return
    records = uncovered.drop(columns=["follow_up_id", "follow_up_status", "follow_up_state"]).to_dict("records")
    names = [f"{w.get('name') or w['account_id']} · {reason(w, ctx.lang)}" for w in records]
    with st.container(horizontal=True, vertical_alignment="bottom"):
        index = st.selectbox(ctx.t("followups.risk.pick"), range(len(records)), format_func=names.__getitem__,
                             key="fu_risk_pick")
        st.button(ctx.t("followups.risk.create"), key="fu_risk_create", icon=":material/add_task:",
                  on_click=_create_from_warning, args=(ctx, records[index or 0]), disabled=not ctx.user)
