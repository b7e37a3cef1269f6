"""Storage: connect, migrate, and run SQL. The one place in kam where SQL is executed.

Every statement goes through `query` / `execute` with values bound as parameters; identifiers (table and column
names that come from data, never from users' free text) go through `quote_ident`. Migrations are the numbered
files in kam/migrations, applied once each, in order, and recorded in schema_migrations.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from kam.errors import DatabaseError

# Extensions cannot be downloaded here, and a failed auto-install costs seconds per try.
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

Params = Sequence[Any] | Mapping[str, Any] | None


def connect(path: str | Path = ":memory:", *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and migrate, unless read-only) the database at `path`."""
    con = duckdb.connect(str(path), read_only=read_only, config=dict(_CONFIG))
    if not read_only:
        migrate(con)
    return con


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse file and network access through SQL (read_csv('/etc/passwd') and friends) for a serving app.

    Python-side DataFrames still reach SQL through `register`, which is how imports hand data over.
    """
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def quote_ident(name: str) -> str:
    """Quote an identifier for SQL: wrap in double quotes, double any inside."""
    return '"' + str(name).replace('"', '""') + '"'


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> duckdb.DuckDBPyConnection:
    """Run one statement with bound parameters; turn duckdb's errors into our own."""
    try:
        return con.execute(sql, params) if params is not None else con.execute(sql)
    except duckdb.Error as exc:
        raise DatabaseError(f"{type(exc).__name__}: {exc}") from exc


def query(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> pd.DataFrame:
    """Run a SELECT and return a DataFrame."""
    return execute(con, sql, params).df()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> Any:
    """Run a SELECT that yields one value (None when there is no row)."""
    # fetchall, not fetchone: a half-read result keeps the connection busy (the next register() fails).
    rows = execute(con, sql, params).fetchall()
    return rows[0][0] if rows else None


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT, rolled back on any exception: every write in kam is one of these."""
    execute(con, "BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    execute(con, "COMMIT")


@contextlib.contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> Iterator[str]:
    """Expose a DataFrame to SQL under `name` for the duration of the block; yields the quoted name."""
    con.register(name, frame)
    try:
        yield quote_ident(name)
    finally:
        con.unregister(name)


def _migration_files() -> list[tuple[int, str, str]]:
    folder = resources.files("kam") / "migrations"
    found = []
    for item in folder.iterdir():
        if item.name.endswith(".sql"):
            number = int(item.name.split("_", 1)[0])
            found.append((number, item.name, item.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet applied, each in its own transaction; return the names applied."""
    execute(con, "CREATE TABLE IF NOT EXISTS schema_migrations "
                 "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)")
    done = set(query(con, "SELECT version FROM schema_migrations")["version"])
    applied = []
    for number, name, sql in _migration_files():
        if number in done:
            continue
        with transaction(con):
            execute(con, sql)
            execute(con, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
        applied.append(name)
    return applied


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Column names of a table, in order."""
    frame = query(con, "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                       "ORDER BY ordinal_position", [table])
    return list(frame["column_name"])


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Insert a DataFrame's rows into `table`, matching columns by name; return the row count."""
    with registered(con, "_kam_insert_frame", frame) as source:
        execute(con, f"INSERT INTO {quote_ident(table)} BY NAME SELECT * FROM {source}")
    return len(frame)
