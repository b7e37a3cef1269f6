"""Import: upload exports -> mapping -> preview with errors -> commit -> history with undo."""
import streamlit as st

from kam import ingest
from kam.errors import KamError
from ui import ingest as widgets
from ui import choices, shell

UPLOAD_TYPES = ["xlsx", "xlsm", "xls", "csv", "txt", "tsv", "parquet", "db", "sqlite", "sqlite3", "duckdb"]

ctx = shell.context()
st.title(ctx.t("page.import"))
st.caption(ctx.t("ingest.intro"))
widgets.show_messages()
widgets.template_downloads(ctx)

files = st.file_uploader(ctx.t("ingest.upload"), type=UPLOAD_TYPES, accept_multiple_files=True, key="imp_files")
tables = widgets.database_tables(ctx, files or [])
current = tuple((f.name, f.size, f.file_id) for f in files or [])
if st.button(ctx.t("ingest.read"), disabled=not files, icon=":material/table_view:", key="imp_read"):
    try:  # the name is only shown and matched, never used as a path: the bytes are read in memory
        plans = ingest.read_sources(ctx.con, [(f.name, f.getvalue()) for f in files], tables)
        st.session_state.update(imp_plans=plans, imp_sig=current, imp_preview=None,
                                imp_gen=st.session_state.get("imp_gen", 0) + 1)
    except KamError as exc:
        shell.show_error(exc)

plans = st.session_state.get("imp_plans")
if plans:
    if st.session_state.get("imp_sig") != current:
        st.info(ctx.t("ingest.reread"))
    chosen = widgets.mapping_editor(ctx, plans, st.session_state.get("imp_gen", 0))
    policy = choices.lasting(st.radio, ctx.t("ingest.policy"), ["create", "reject"], key="imp_policy", lang=ctx.lang,
                             horizontal=True, format_func=lambda p: ctx.t(f"ingest.policy.{p}"))
    signature = widgets.signature(chosen, policy)
    if st.button(ctx.t("ingest.preview"), icon=":material/preview:", key="imp_do_preview"):
        try:
            st.session_state["imp_preview"] = (signature, ingest.preview(ctx.con, chosen, ctx.settings,
                                                                         unknown_accounts=policy))
        except KamError as exc:
            shell.show_error(exc)
    stored = st.session_state.get("imp_preview")
    if stored and stored[0] != signature:
        st.info(ctx.t("ingest.preview_stale"))
    elif stored:
        preview = stored[1]
        widgets.show_preview(ctx, preview)
        writes = int(preview.counts[["created", "updated"]].to_numpy().sum())
        if not ctx.user:
            st.warning(ctx.t("ingest.need_user"), icon=":material/badge:")
        if st.button(ctx.t("ingest.commit"), type="primary", disabled=not ctx.user or writes == 0,
                     icon=":material/upload:", key="imp_commit"):
            bar = st.progress(0.0)
            try:
                batch, done = ingest.commit(ctx.con, chosen, ctx.settings, user=ctx.user, unknown_accounts=policy,
                                            shown=preview,
                                            progress=lambda share, table: bar.progress(
                                                share, text=ctx.t("ingest.committing", table=table)))
                widgets.say("success", ctx.t("ingest.committed", batch=batch,
                                             created=int(done.counts["created"].sum()),
                                             updated=int(done.counts["updated"].sum())))
                st.session_state.update(imp_plans=None, imp_preview=None)
                st.rerun()
            except KamError as exc:
                shell.show_error(exc)
        elif writes == 0:
            st.caption(ctx.t("ingest.nothing"))

widgets.history(ctx, ingest.history(ctx.con))
