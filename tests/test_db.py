"""kam.db: the one place SQL runs."""
import duckdb
import pytest

from kam import db
from kam.errors import DatabaseError


def test_quote_ident_doubles_embedded_quotes():
    assert db.quote_ident('we"ird') == '"we""ird"'


def test_migrations_are_applied_once_and_recorded():
    con = db.connect()
    assert db.migrate(con) == []
    assert db.scalar(con, "SELECT min(version) FROM schema_migrations") == 1
    assert "order_date" in db.table_columns(con, "orders")


def test_a_failed_transaction_leaves_nothing_behind():
    con = db.connect()
    with pytest.raises(DatabaseError):
        with db.transaction(con):
            db.execute(con, "INSERT INTO owners (name) VALUES (?)", ["甲"])
            db.execute(con, "INSERT INTO owners (name) VALUES (?)", ["甲"])  # duplicate key
    assert db.scalar(con, "SELECT count(*) FROM owners") == 0


def test_values_are_bound_not_spliced():
    con = db.connect()
    db.execute(con, "INSERT INTO owners (name) VALUES (?)", ["x'); DROP TABLE owners; --"])
    assert db.scalar(con, "SELECT name FROM owners") == "x'); DROP TABLE owners; --"


def test_a_locked_down_connection_cannot_read_files_through_sql():
    con = db.connect()
    db.lock_down(con)
    with pytest.raises(DatabaseError, match="PermissionException"):
        db.query(con, "SELECT * FROM read_csv('/etc/passwd')")
    with pytest.raises(DatabaseError):
        db.execute(con, "SET enable_external_access = true")


def test_insert_frame_matches_columns_by_name(tiny):
    assert db.scalar(tiny, "SELECT sum(amount) FROM orders") == 550_000
    assert db.scalar(tiny, "SELECT count(*) FROM orders WHERE amount < 0") == 1


def test_duckdb_errors_become_our_error_type():
    with pytest.raises(DatabaseError):
        db.query(duckdb.connect(), "SELECT * FROM no_such_table")


def test_a_scalar_read_leaves_the_connection_free_for_the_next_insert(tiny):
    assert db.scalar(tiny, "SELECT count(*) FROM owners") == 2
    import pandas as pd
    assert db.insert_frame(tiny, "owners", pd.DataFrame({"name": ["王五"]})) == 1
