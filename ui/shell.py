"""Connection, language, user and shared filters: built once per script run by app.py, read by every page."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from kam import accounts, allocator, db, settings
from kam.errors import KamError
from kam.i18n import t
from kam.scope import Scope

ROOT = Path(__file__).resolve().parents[1]
_CTX_KEY = "_kam_context"


def database_path() -> str:
    """KAM_DB when set (tests, other deployments), else the bundled data/kam.duckdb."""
    return os.environ.get("KAM_DB", str(ROOT / "data" / "kam.duckdb"))


@st.cache_resource
def _keep_freed_memory() -> bool:
    # once per process: scoring reuses freed heap instead of faulting in fresh pages (kam.allocator)
    return allocator.keep_freed_memory()


@st.cache_resource
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    # One connection per process; each script run takes its own cursor (the connection is not thread-safe).
    con = db.connect(path)
    db.lock_down(con)
    return con


@dataclass(frozen=True)
class PageContext:
    con: duckdb.DuckDBPyConnection   # this run's cursor
    lang: str                        # 'zh' | 'en'
    user: str                        # who is editing (recorded on every write)
    as_of: dt.date
    scope: Scope
    settings: settings.Settings

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)


def _default_lang() -> str:
    locale = st.context.locale or "zh"
    return "en" if not locale.lower().startswith("zh") else "zh"


def sidebar() -> PageContext:
    """Draw the shared sidebar (language, user, as-of, filters) and remember the context for this run's page."""
    _keep_freed_memory()
    con = _connection(database_path()).cursor()
    lang = st.sidebar.segmented_control("Language", ["zh", "en"], default=_default_lang(), key="lang",
                                        format_func={"zh": "中文", "en": "English"}.get, required=True,
                                        label_visibility="collapsed", persist_state="session")
    user = st.sidebar.text_input(t("sidebar.user", lang), key="user", persist_state="session",
                                 placeholder=t("sidebar.user_placeholder", lang)).strip()
    as_of = st.sidebar.date_input(t("sidebar.as_of", lang), value=accounts.data_as_of(con), key="as_of",
                                  persist_state="session")
    options = accounts.filter_options(con)
    scope = Scope(*(tuple(st.sidebar.multiselect(t(f"sidebar.{name}", lang), options[name], key=f"filter_{name}",
                                                 persist_state="session", placeholder=t("ui.all", lang)))
                    for name in ("regions", "owners", "industries")))
    ctx = PageContext(con, lang, user, as_of, scope, settings.load(con))
    st.session_state[_CTX_KEY] = ctx
    return ctx


def leave_legacy_pages_mode() -> None:
    """Rerun at once if Streamlit started this run in its legacy pages/ mode.

    A fresh server sees the pages/ folder and runs its first script run the old way: a page URL runs that page
    without app.py, and app.py's own widgets get identities that the next (st.navigation) run does not share, so
    the first click is lost. Leaving the mode and rerunning makes every run, the first included, an st.navigation run.
    """
    if PagesManager.uses_pages_directory is not False:
        PagesManager.uses_pages_directory = False
        st.rerun()


def context() -> PageContext:
    """The context app.py built for this run (pages call this first)."""
    if _CTX_KEY not in st.session_state:
        leave_legacy_pages_mode()
    return st.session_state[_CTX_KEY]


def show_error(exc: KamError) -> None:
    st.error(str(exc))
