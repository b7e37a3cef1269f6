"""Scoring settings: tier weights and cut-offs, health bands, warning thresholds, contact cadence. Every change is
previewed (which accounts change tier or health band) before it is saved as a new version; nothing is edited in
place, so history can say which settings produced which score."""
import dataclasses

import streamlit as st

from kam import settings as store, tiers, what_if
from kam.errors import KamError
from kam.i18n import fmt_date
from ui import insights, settings_form, shell, tables

ctx = shell.context()
st.title(ctx.t("page.settings"))
st.caption(ctx.t("settingspage.intro"))
versions = store.history(ctx.con)
version = int(versions["version"].max()) if len(versions) else 0
current = ctx.settings
prefix = f"set{version}"  # a new version starts every widget from the saved values

tabs = st.tabs([ctx.t(f"settingspage.section.{s}") for s in ("tiers", "health", "risk", "cadence")])
with tabs[0]:
    tier_section = settings_form.tier_form(ctx, current.tiers, f"{prefix}_tiers")
sections = {"tiers": tier_section}
for tab, name in zip(tabs[1:], ("health", "risk", "cadence")):
    with tab:
        sections[name] = settings_form.section_form(ctx, name, getattr(current, name), f"{prefix}_{name}")
candidate = dataclasses.replace(current, **sections)

st.subheader(ctx.t("settingspage.preview"))
problems = tiers.problems(candidate.tiers)
for problem in problems:
    st.error(ctx.t(problem))
if not problems:
    changes = what_if.changes(ctx.con, current, candidate, ctx.as_of)
    total = len(tiers.tier_table(ctx.con, current, ctx.as_of))
    counts = changes["what"].value_counts()
    st.caption(ctx.t("settingspage.preview_caption", as_of=fmt_date(ctx.as_of, ctx.lang), tiers=int(counts.get("tier", 0)),
                     bands=int(counts.get("band", 0)), n=total))
    if changes.empty:
        st.info(ctx.t("settingspage.no_change"))
    else:
        shown = changes.assign(what=[ctx.t(f"settingspage.what.{w}") for w in changes["what"]])
        insights.account_table(ctx, shown, "settings_preview", {
            "name": ctx.t("col.name"), "what": ctx.t("settingspage.col.what"),
            "before": ctx.t("settingspage.col.before"), "after": ctx.t("settingspage.col.after")})

note = st.text_input(ctx.t("settingspage.note"), key=f"{prefix}_note")
if st.button(ctx.t("settingspage.save"), type="primary", disabled=bool(problems), key=f"{prefix}_save"):
    if not ctx.user:
        st.warning(ctx.t("settingspage.need_name"))
    elif not note.strip():
        st.warning(ctx.t("settingspage.need_note"))
    elif candidate == current:
        st.info(ctx.t("settingspage.unchanged"))
    else:
        try:
            saved = store.save(ctx.con, candidate, saved_by=ctx.user, note=note.strip())
        except KamError as exc:
            shell.show_error(exc)
        else:
            st.session_state["settings_saved"] = saved
            st.rerun()
if "settings_saved" in st.session_state:
    st.success(ctx.t("settingspage.saved", version=st.session_state.pop("settings_saved")))

with st.expander(ctx.t("settingspage.history"), icon=":material/history:"):
    tables.dataframe(versions, hide_index=True, column_config={
        "version": ctx.t("settingspage.col.version"), "saved_at": ctx.t("settingspage.col.saved_at"),
        "saved_by": ctx.t("settingspage.col.saved_by"), "note": ctx.t("settingspage.col.note")})
