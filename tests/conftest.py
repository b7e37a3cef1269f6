"""Shared fixtures: tiny visible databases built from the CSV files under tests/fixtures/<name>/.

Each CSV is named after the table it fills; columns are matched by name, values cast by DuckDB on insert.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import streamlit as st

from kam import db, derived

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parents[1]


def load_fixture(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Fill the tables of `con` from tests/fixtures/<name>/<table>.csv, in one transaction."""
    with db.transaction(con):
        for path in sorted((FIXTURES / name).glob("*.csv")):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None)
            db.insert_frame(con, path.stem, frame)


def build_db(name: str, path: str | Path = ":memory:") -> duckdb.DuckDBPyConnection:
    con = db.connect(path)
    load_fixture(con, name)
    with db.transaction(con):  # as kam's writers do: derived tables follow the data
        derived.refresh(con, db.query(con, "SELECT table_name FROM duckdb_tables()")["table_name"])
    return con


@pytest.fixture
def tiny() -> duckdb.DuckDBPyConnection:
    """The tiny fixture: 3 accounts (one without orders), 6 order lines (one return), see tests/fixtures/tiny."""
    con = build_db("tiny")
    yield con
    con.close()


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """Factory: build fixture `name` into a file, point the app at it (KAM_DB) and clear Streamlit's caches."""
    def make(name: str = "tiny") -> Path:
        path = tmp_path / f"{name}.duckdb"
        build_db(name, path).close()
        monkeypatch.setenv("KAM_DB", str(path))
        st.cache_resource.clear()
        st.cache_data.clear()
        return path
    yield make
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app_test(app_db):
    """Factory: an AppTest of app.py on fixture `name` in language `lang`, already run once."""
    from streamlit.testing.v1 import AppTest

    def make(name: str = "tiny", lang: str = "en", **state) -> AppTest:
        app_db(name)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        at.session_state["lang"] = lang
        for key, value in state.items():
            at.session_state[key] = value
        return at.run()
    return make


def database_fixture(name: str, scope: str = "module"):
    """A `con` fixture on tests/fixtures/<name>, closed afterwards: `con = database_fixture("funnel")`.
    Use scope="function" where tests write."""
    @pytest.fixture(scope=scope)
    def con():
        connection = build_db(name)
        yield connection
        connection.close()
    return con
