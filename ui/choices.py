"""Choice widgets (selectbox, radio, multiselect, segmented control) whose choice survives a language switch.

Why: Streamlit keeps a choice as the label it shows (the formatted option), so after a switch the browser sends back
a label the translated widget no longer has, and the choice is dropped or falls back to the default (a risk filter
set to "High" showed every warning again after switching to 中文). Here the widget is keyed per language and
seeded with the choice last made in either language, kept as the option itself under the plain session key
`key` (so a test or a caller can preset it as before).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

# Arguments that set a first value: left out when the choice is seeded (Streamlit warns when a widget gets both).
_FIRST_VALUE = ("index", "default")
_GONE = object()              # a single choice no longer offered


def lasting(widget: Callable[..., Any], label: str, options: Sequence[Any], *, key: str, lang: str,
            **kwargs: Any) -> Any:
    """`widget(label, options, key=..., **kwargs)` drawn under a per-language key, showing the choice last made in
    any language (see the module docstring); returns its value, which is also left in st.session_state[key]."""
    state, widget_key = st.session_state, f"{key}.{lang}"
    if key in state and state.get(widget_key) != state[key]:
        seeded = _still_offered(state[key], options)
        if seeded is _GONE:
            state.pop(widget_key, None)     # the widget's own first value then
        else:
            state[widget_key] = seeded
    if widget_key in state:
        kwargs = {name: value for name, value in kwargs.items() if name not in _FIRST_VALUE}
    value = widget(label, options, key=widget_key, on_change=_remember, args=(key, widget_key), **kwargs)
    state[key] = value
    return value


def _remember(key: str, widget_key: str) -> None:
    # runs before the script: the choice just made becomes the one every language shows
    st.session_state[key] = st.session_state[widget_key]


def _still_offered(choice: Any, options: Sequence[Any]) -> Any:
    """The remembered choice without what the options no longer offer (a list keeps its offered items; a single
    choice no longer offered is _GONE)."""
    offered = list(options)
    if isinstance(choice, list | tuple):
        return [item for item in choice if item in offered]
    return choice if choice is None or choice in offered else _GONE
