"""Settings widgets: any settings section drawn from its dataclass fields (type -> widget, metadata help ->
tooltip), and the tier section drawn by hand (weights per measure, cut-offs as lists).

Each function returns the candidate section built from the widgets' current values; nothing is saved here.
Widget keys carry the settings version, so after a save every widget starts again from the saved values.
Lists are typed as comma-separated text; text that cannot be read keeps the value in force and says so.
"""
from __future__ import annotations

import dataclasses
import typing
from typing import Any

import pandas as pd
import streamlit as st

from kam import tiers
from kam.settings.tiers import TierSettings
from ui import choices
from ui.shell import PageContext


def _split(text: str, kind: type) -> tuple:
    return tuple(kind(part.strip()) for part in text.split(",") if part.strip())


def list_input(ctx: PageContext, label: str, value: tuple, kind: type, key: str, help: str = "",
               scale: float = 1.0) -> tuple:
    """A comma-separated list in a text box; `scale` shows shares as percentages."""
    shown = ", ".join(f"{v * scale:g}" if kind is not str else str(v) for v in value)
    text = st.text_input(label, shown, key=key, help=help or None)
    try:
        parsed = _split(text, kind)
    except ValueError:
        st.error(ctx.t("settingspage.bad_list", value=text))
        return value
    return tuple(v / scale for v in parsed) if kind is not str else parsed


def _table_input(value: tuple, inner: tuple, key: str, help: str, label: str, headers: str) -> tuple:
    """A tuple of tuples as an editable table (rows can be added) under comma-separated `headers`; the source
    frame is never written back."""
    named = [h.strip() for h in headers.split(",")]
    columns = named if len(named) == len(inner) else [f"{i + 1}" for i in range(len(inner))]
    source = pd.DataFrame(list(value), columns=columns) if value else pd.DataFrame(columns=columns)
    st.caption(f"**{label}** · {help}")
    edited = st.data_editor(source, key=key, num_rows="dynamic", hide_index=True)
    rows = edited.dropna(how="any").itertuples(index=False)
    return tuple(tuple(kind(v) for kind, v in zip(inner, row)) for row in rows)


def field_input(ctx: PageContext, section: str, field: dataclasses.Field, hint: Any, value: Any, key: str) -> Any:
    """One settings field of `section` as the widget its type calls for, labelled in the page's language."""
    label, help_text = ctx.t(f"setting.{section}.{field.name}"), ctx.t(f"setting.{section}.{field.name}.help")
    if hint is bool:
        return st.checkbox(label, value, key=key, help=help_text)
    if hint is int:
        return int(st.number_input(label, value=int(value), step=1, key=key, help=help_text))
    if hint is float:
        return float(st.number_input(label, value=float(value), key=key, help=help_text))
    if hint is str:
        return st.text_input(label, value, key=key, help=help_text)
    args = typing.get_args(hint)
    inner = typing.get_args(args[0]) if args else ()
    if inner:
        return _table_input(value, inner, key, help_text, label, ctx.t(f"setting.{section}.{field.name}.columns"))
    return list_input(ctx, label, value, args[0] if args else str, key, help_text)


def section_form(ctx: PageContext, name: str, section: Any, prefix: str) -> Any:
    """Every field of the settings section `name` (health, risk, cadence...), in two columns; returns the
    candidate."""
    hints = typing.get_type_hints(type(section))
    values, columns = {}, st.columns(2)
    for index, field in enumerate(dataclasses.fields(section)):
        with columns[index % 2]:
            values[field.name] = field_input(ctx, name, field, hints[field.name], getattr(section, field.name),
                                             f"{prefix}_{field.name}")
    return dataclasses.replace(section, **values)


def tier_form(ctx: PageContext, ts: TierSettings, prefix: str) -> TierSettings:
    """The tier section: method, labels, a weight per measure, cut-offs, and the remaining fields generically."""
    help_of = {f.name: ctx.t(f"setting.tiers.{f.name}.help") for f in dataclasses.fields(ts)}
    method = choices.lasting(st.segmented_control, ctx.t("settingspage.method"), ["weighted", "pareto"],
                             key=f"{prefix}_method", lang=ctx.lang, default=ts.method, required=True,
                             help=help_of["method"], format_func=lambda m: ctx.t(f"tiers.method.{m}"))
    labels = list_input(ctx, ctx.t("settingspage.labels"), ts.labels, str, f"{prefix}_labels", help_of["labels"])
    st.markdown(f"**{ctx.t('settingspage.weights')}**", help=help_of["weights"])
    current = dict(ts.weights)
    with st.container(horizontal=True):
        weights = tuple((m, float(st.number_input(ctx.t(f"tiers.measure.{m}"), 0.0, 1.0, float(current.get(m, 0.0)),
                                                  0.05, key=f"{prefix}_w_{m}", width=150)))
                        for m in tiers.MEASURES)
    left, right = st.columns(2)
    with left:
        score = list_input(ctx, ctx.t("settingspage.score_cutoffs"), ts.score_cutoffs, float, f"{prefix}_score",
                           help_of["score_cutoffs"])
    with right:
        pareto = list_input(ctx, ctx.t("settingspage.pareto_cutoffs"), ts.pareto_cutoffs, float, f"{prefix}_pareto",
                            help_of["pareto_cutoffs"], scale=100)
    rest = dataclasses.replace(ts, method=method, labels=labels, weights=weights, score_cutoffs=score,
                               pareto_cutoffs=pareto)
    hints = typing.get_type_hints(TierSettings)
    done = {"method", "labels", "weights", "score_cutoffs", "pareto_cutoffs"}
    columns, values = st.columns(4), {}
    for index, field in enumerate(f for f in dataclasses.fields(ts) if f.name not in done):
        with columns[index % 4]:
            values[field.name] = field_input(ctx, "tiers", field, hints[field.name], getattr(ts, field.name),
                                             f"{prefix}_{field.name}")
    return dataclasses.replace(rest, **values)
