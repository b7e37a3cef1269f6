"""Follow-up widgets shared by the follow-ups page, Account 360 and the risk page: the editable table, the outcome
and create forms, the export button, and the save messages.

No lost edits (streamlit#7749): the table's source frame is never written back. An on_change callback reads
st.session_state[key]["edited_rows"] and saves each edited row at once through kam.followups.update with the
version the row was shown at (kept beside the widget as `<key>_rows`). After saving, the editor gets a fresh key
so the grid shows exactly what is stored (a re-sorted list would otherwise carry stale edits onto other rows).
Messages (saved, or a conflict naming the other person's change) are queued in session state and shown on the
next run, where the table is drawn.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from kam import followups, followups_export
from kam.errors import ConflictError, KamError
from kam.i18n import catalogue, label
from ui import tables
from ui.shell import PageContext

EDITABLE_IN_TABLE = ("owner", "due_date", "status", "action")
TABLE_COLUMNS = ("follow_up_id", "account_name", "owner", "due_date", "status", "action", "channel", "overdue",
                 "days_overdue", "outcome", "next_step", "next_step_date", "warning_rule", "updated_by", "version")


def need_user(ctx: PageContext) -> bool:
    """Say on the page that writes need a name; True when it is missing."""
    if not ctx.user:
        st.warning(ctx.t("followups.need_user"), icon=":material/badge:")
    return not ctx.user


def headers(ctx: PageContext, columns) -> dict[str, str]:
    """Column -> its translated header (for st column_config and the Excel export)."""
    return {c: ctx.t(f"followups.col.{c}") for c in columns if f"followups.col.{c}" in catalogue()}


def _say(prefix: str, kind: str, text: str) -> None:
    st.session_state.setdefault(f"_fu_messages_{prefix}", []).append((kind, text))


def show_messages(prefix: str) -> None:
    for kind, text in st.session_state.pop(f"_fu_messages_{prefix}", []):
        (st.error if kind == "error" else st.success)(text)


def _shown_value(ctx: PageContext, column: str, value: Any) -> str:
    if value is None:
        return "—"
    return label("followups.status", value, ctx.lang) if column == "status" else str(value)


def conflict_text(ctx: PageContext, follow_up_id: int, err: ConflictError) -> str:
    current = err.current
    changes = "; ".join(f"{ctx.t('followups.col.' + c)}: {_shown_value(ctx, c, v)}"
                        for c, v in current.get("changes", {}).items())
    return ctx.t("followups.conflict", id=follow_up_id, who=current.get("updated_by") or "—",
                 version=current.get("version"), changes=changes or "—")


def save(ctx: PageContext, prefix: str, follow_up_id: int, version: int, changes: Mapping[str, Any]) -> None:
    """Save one follow-up's changes and queue the message (saved / conflict / refused)."""
    try:
        new_version = followups.update(ctx.con, follow_up_id, changes, version=version, user=ctx.user)
        _say(prefix, "success", ctx.t("followups.saved", id=follow_up_id, version=new_version))
    except ConflictError as err:
        _say(prefix, "error", conflict_text(ctx, follow_up_id, err))
    except KamError as err:
        _say(prefix, "error", ctx.t("followups.not_saved", error=str(err)))


def create(ctx: PageContext, prefix: str, values: Mapping[str, Any]) -> None:
    try:
        new_id = followups.create(ctx.con, values, user=ctx.user)
        _say(prefix, "success", ctx.t("followups.created", id=new_id))
    except KamError as err:
        _say(prefix, "error", ctx.t("followups.not_saved", error=str(err)))


# ---- the editable table ------------------------------------------------------------------------------------

def editor_key(prefix: str) -> str:
    return f"{prefix}_editor_{st.session_state.get(f'{prefix}_generation', 0)}"


def _save_edits(ctx: PageContext, prefix: str, key: str) -> bool:
    """Save every edited row of editor `key` with the version it was shown at; True when there were edits."""
    edits = (st.session_state.get(key) or {}).get("edited_rows") or {}
    shown = st.session_state.get(f"{key}_rows", [])
    for index, changes in edits.items():
        follow_up_id, version = shown[int(index)]
        save(ctx, prefix, follow_up_id, version, changes)
    if edits:
        st.session_state[f"{prefix}_generation"] = st.session_state.get(f"{prefix}_generation", 0) + 1
        st.session_state.pop(f"{key}_rows", None)  # that grid is gone
    return bool(edits)


def follow_up_table(ctx: PageContext, frame: pd.DataFrame, prefix: str, owners: list[str]) -> None:
    """The follow-ups in `frame` (a kam.followups.follow_up_list) with owner, due date, status and action
    editable; each edit is saved at once."""
    if _save_edits(ctx, prefix, editor_key(prefix)):
        # Edits present without the callback having run (AppTest sets widget state directly): saved now.
        st.rerun()
    if frame.empty:
        st.caption(ctx.t("followups.none"))
        return
    key = editor_key(prefix)
    shown = frame.reset_index(drop=True)[list(TABLE_COLUMNS)]
    st.session_state[f"{key}_rows"] = list(zip(shown["follow_up_id"].tolist(), shown["version"].tolist()))
    statuses = [label("followups.status", s, ctx.lang) for s in followups.STATUSES]
    display = shown.assign(status=[label("followups.status", s, ctx.lang) for s in shown["status"]],
                           due_date=pd.to_datetime(shown["due_date"]).dt.date,
                           channel=[label("channel", c, ctx.lang) if isinstance(c, str) else None
                                    for c in shown["channel"]])
    names = headers(ctx, TABLE_COLUMNS)
    config = {c: st.column_config.Column(h) for c, h in names.items()} | {
        "owner": st.column_config.SelectboxColumn(names["owner"], options=sorted(set(owners) | set(
            shown["owner"].dropna()))),
        "status": st.column_config.SelectboxColumn(names["status"], options=statuses, required=True),
        "due_date": tables.date_column(names["due_date"], ctx.lang),
        "overdue": st.column_config.CheckboxColumn(names["overdue"])}
    st.caption(ctx.t("followups.editor_help"))
    st.data_editor(display, key=key, num_rows="fixed", hide_index=True, column_config=config,
                   disabled=[c for c in TABLE_COLUMNS if c not in EDITABLE_IN_TABLE or not ctx.user],
                   on_change=_save_edits, args=(ctx, prefix, key))


def export_button(ctx: PageContext, frame: pd.DataFrame, key: str) -> None:
    columns = [c for c in TABLE_COLUMNS if c in frame.columns]
    data = followups_export.to_excel(frame[columns], headers(ctx, columns))
    st.download_button(ctx.t("followups.export"), data, file_name="follow-ups.xlsx", key=key,
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:")


# ---- forms -------------------------------------------------------------------------------------------------

def _submit_outcome(ctx: PageContext, prefix: str, versions: dict[int, int]) -> None:
    picked = st.session_state.get(f"{prefix}_outcome_pick")
    if picked is None:
        return
    changes = {c: st.session_state.get(f"{prefix}_outcome_{c}") for c in ("outcome", "next_step", "next_step_date",
                                                                             "status")}
    save(ctx, prefix, picked, versions[picked], changes)


def outcome_form(ctx: PageContext, frame: pd.DataFrame, prefix: str) -> None:
    """Write what happened on one open follow-up: outcome, next step and date, new status (done by default)."""
    rows = frame[frame["status"].isin(followups.OPEN_STATUSES)]
    if rows.empty:
        return
    versions = dict(zip(rows["follow_up_id"].tolist(), rows["version"].tolist()))
    names = {r.follow_up_id: f"#{r.follow_up_id} · {r.account_name} · {r.action or ''}" for r in rows.itertuples()}
    with st.form(f"{prefix}_outcome", clear_on_submit=True):
        st.markdown(f"**{ctx.t('followups.outcome.title')}**")
        st.selectbox(ctx.t("followups.outcome.pick"), list(names), format_func=names.get, key=f"{prefix}_outcome_pick")
        st.text_area(ctx.t("followups.col.outcome"), key=f"{prefix}_outcome_outcome")
        left, right, status = st.columns(3)
        left.text_input(ctx.t("followups.col.next_step"), key=f"{prefix}_outcome_next_step")
        right.date_input(ctx.t("followups.col.next_step_date"), value=None, key=f"{prefix}_outcome_next_step_date")
        status.selectbox(ctx.t("followups.col.status"), followups.STATUSES, index=followups.STATUSES.index("done"),
                         format_func=lambda s: label("followups.status", s, ctx.lang), key=f"{prefix}_outcome_status")
        st.form_submit_button(ctx.t("followups.save"), on_click=_submit_outcome, args=(ctx, prefix, versions),
                              disabled=not ctx.user)


def _submit_create(ctx: PageContext, prefix: str, account_id: str) -> None:
    values = {c: st.session_state.get(f"{prefix}_new_{c}") for c in ("owner", "due_date", "channel", "action")}
    create(ctx, prefix, {"account_id": account_id, **values})


def create_form(ctx: PageContext, prefix: str, account_id: str, owner: str | None, owners: list[str]) -> None:
    """A new follow-up for one account, owner pre-filled with the account's owner."""
    choices = sorted(set(owners) | ({owner} if owner else set()))
    with st.form(f"{prefix}_new", clear_on_submit=True):
        st.markdown(f"**{ctx.t('followups.create.title')}**")
        st.text_input(ctx.t("followups.col.action"), key=f"{prefix}_new_action")
        left, middle, right = st.columns(3)
        left.selectbox(ctx.t("followups.col.owner"), choices, key=f"{prefix}_new_owner",
                       index=choices.index(owner) if owner in choices else None)
        middle.date_input(ctx.t("followups.col.due_date"), key=f"{prefix}_new_due_date",
                          value=ctx.as_of + dt.timedelta(days=ctx.settings.cadence.new_follow_up_days))
        right.selectbox(ctx.t("followups.col.channel"), ("visit", "call", "email", "meeting", "wechat", "other"),
                        format_func=lambda c: label("channel", c, ctx.lang), key=f"{prefix}_new_channel")
        st.form_submit_button(ctx.t("followups.create"), on_click=_submit_create, args=(ctx, prefix, account_id),
                              disabled=not ctx.user)
