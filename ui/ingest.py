"""Import page widgets: table choice per database file, the mapping editor, the preview, and the history rows.

The page keeps its state in st.session_state: the plans read from the uploaded files (read only when the user
presses the button, never on every rerun), a generation number that gives every mapping widget a fresh key when
new files are read, and the last preview with the signature of the mapping it was made for.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from kam import ingest
from kam.errors import KamError
from kam.i18n import catalogue, fmt_pct
from kam.ingest.mapping import map_columns
from kam.ingest.report import errors_workbook
from kam.ingest import templates
from kam.ingest.schema import TABLES
from kam.ingest.validate import ERROR_COLUMNS
from ui import tables
from ui.shell import PageContext, show_error

SAMPLE_VALUES = 3   # first values of a column shown as a hint beside its mapping
GRID_COLUMNS = 4    # mapping selectboxes per line


def say(kind: str, text: str) -> None:
    st.session_state.setdefault("_imp_messages", []).append((kind, text))


def show_messages() -> None:
    for kind, text in st.session_state.pop("_imp_messages", []):
        (st.error if kind == "error" else st.success)(text)


def column_label(ctx: PageContext, column: str | None) -> str:
    if column is None:
        return ctx.t("ingest.skip_column")
    key = f"ingest.col.{column}"
    return ctx.t(key) + f" ({column})" if key in catalogue() else column


def table_label(ctx: PageContext, table: str | None) -> str:
    return ctx.t("ingest.skip_table") if table is None else ctx.t(f"ingest.table.{table}")


def database_tables(ctx: PageContext, files: Sequence) -> dict[str, tuple[str, ...]]:
    """For each uploaded database file, the tables the user picks (all by default)."""
    chosen, known = {}, st.session_state.setdefault("_imp_tables", {})
    for index, upload in enumerate(files):
        if upload.file_id not in known:  # listed once per upload, not on every rerun (a DuckDB file is copied)
            try:
                known[upload.file_id] = ingest.list_tables(upload.name, upload.getvalue())
            except KamError as exc:
                show_error(exc)
                continue
        names = known[upload.file_id]
        if names:
            chosen[upload.name] = tuple(st.multiselect(ctx.t("ingest.db_tables", file=upload.name), names,
                                                       default=names, key=f"imp_db_{index}_{upload.file_id}"))
    return chosen


def _column_editor(ctx: PageContext, plan: ingest.SheetPlan, table: str, key: str) -> dict[str, str | None]:
    proposed, confidence = ((plan.proposal.mapping, plan.proposal.confidence) if table == plan.table
                            else map_columns(plan.headers, table))
    options = [None, *TABLES[table].names]
    mapping = {}
    grid = st.columns(GRID_COLUMNS)
    for j, header in enumerate(plan.headers):
        current = proposed.get(header)
        sample = plan.layout.body[header].dropna().head(SAMPLE_VALUES).astype(str).tolist()
        mapping[header] = grid[j % GRID_COLUMNS].selectbox(
            f"{header} · {fmt_pct(confidence.get(header, 0.0), ctx.lang, 0)}", options,
            index=options.index(current) if current in options else 0,
            format_func=lambda c: column_label(ctx, c), help=" | ".join(sample) or None, key=f"{key}_{j}")
    return mapping


def mapping_editor(ctx: PageContext, plans: Sequence[ingest.SheetPlan], generation: int) -> list[ingest.SheetPlan]:
    """One expander per sheet: target table and a selectbox per column; returns the plans as the user set them."""
    st.subheader(ctx.t("ingest.mapping"))
    st.caption(ctx.t("ingest.mapping_help"))
    chosen = []
    for i, plan in enumerate(plans):
        with st.expander(plan.label, expanded=plan.table is not None):
            if plan.layout is None:
                st.caption(ctx.t("ingest.skipped_sheet", reason=plan.proposal.reason))
                chosen.append(plan)
                continue
            st.caption(ctx.t("ingest.sheet_title", sheet=plan.sheet or plan.file, rows=len(plan.layout.body),
                             header=plan.layout.header_row))
            if plan.proposal.reason == "remembered":
                st.caption(ctx.t("ingest.remembered"))
            elif plan.proposal.reason:
                st.caption(ctx.t("ingest.skipped_sheet", reason=plan.proposal.reason))
            options = [None, *TABLES]
            table = st.selectbox(ctx.t("ingest.target"), options, index=options.index(plan.table),
                                 format_func=lambda t: table_label(ctx, t), key=f"imp_t_{generation}_{i}")
            mapping = _column_editor(ctx, plan, table, f"imp_c_{generation}_{i}_{table}") if table else {}
            chosen.append(ingest.with_mapping(plan, table, mapping) if (table, mapping) != (
                plan.table, plan.proposal.mapping) else plan)
    return chosen


def signature(plans: Sequence[ingest.SheetPlan], policy: str) -> tuple:
    return policy, tuple((p.label, p.table, tuple(sorted(p.proposal.mapping.items(), key=str))) for p in plans)


def reason_text(reason: object, lang: str) -> object:
    """An error reason in the page's language: each English phrase kam writes replaced by its Chinese."""
    if lang != "zh" or not isinstance(reason, str):
        return reason
    phrases = sorted((pair for key, pair in catalogue().items() if key.startswith("ingest.reason.")),
                     key=lambda pair: -len(pair[1]))
    for zh, en in phrases:
        reason = reason.replace(en, zh)
    return reason


def error_titles(ctx: PageContext) -> list[str]:
    return [ctx.t(f"ingest.err.{c}") for c in ERROR_COLUMNS]


def show_preview(ctx: PageContext, preview: ingest.Preview) -> None:
    st.subheader(ctx.t("ingest.counts"))
    counts = preview.counts.rename(index=lambda t: table_label(ctx, t))
    tables.dataframe(counts, column_config={c: ctx.t(f"ingest.count.{c}") for c in counts.columns} | {
        "_index": ctx.t("ingest.count.table")}, key="imp_counts")
    errors = preview.errors.assign(reason=preview.errors["reason"].map(lambda r: reason_text(r, ctx.lang)))
    st.subheader(ctx.t("ingest.errors", n=len(errors)))
    if errors.empty:
        st.caption(ctx.t("ingest.no_errors"))
        return
    tables.dataframe(errors, hide_index=True, key="imp_errors",
                     column_config=dict(zip(ERROR_COLUMNS, error_titles(ctx))))
    st.download_button(ctx.t("ingest.download_errors"), data=errors_workbook(errors, error_titles(ctx)),
                       file_name="import_errors.xlsx", icon=":material/download:", key="imp_download",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _undo(ctx: PageContext, batch_id: int) -> None:
    try:
        ingest.undo(ctx.con, batch_id, user=ctx.user)
        say("success", ctx.t("ingest.undone", batch=batch_id))
    except KamError as exc:
        say("error", str(exc))


def history(ctx: PageContext, frame: pd.DataFrame) -> None:
    """The import history, newest first, with an undo button on every batch still in force."""
    st.subheader(ctx.t("ingest.history"))
    if frame.empty:
        st.caption(ctx.t("ingest.history_empty"))
        return
    for row in frame.itertuples(index=False):
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(ctx.t("ingest.batch_line", batch=row.batch_id, when=f"{row.imported_at:%Y-%m-%d %H:%M}",
                              user=row.imported_by or "—", files=row.source_file, created=row.created,
                              updated=row.updated, rejected=row.rejected))
            st.badge(ctx.t(f"ingest.status.{row.status}"), color="green" if row.status == "committed" else "gray")
            if row.status == "committed":
                st.button(ctx.t("ingest.undo"), key=f"imp_undo_{row.batch_id}", icon=":material/undo:",
                          on_click=_undo, args=(ctx, int(row.batch_id)), disabled=not ctx.user)


def template_downloads(ctx: PageContext) -> None:
    """An empty .xlsx per table (a Chinese and an English sheet) whose headers map back at 100%."""
    with st.expander(ctx.t("ingest.templates"), icon=":material/download:"):
        with st.container(horizontal=True):
            for table in TABLES:
                st.download_button(table_label(ctx, table), data=lambda t=table: templates.workbook(t),
                                   file_name=f"{table}.xlsx", key=f"imp_template_{table}",
                                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
