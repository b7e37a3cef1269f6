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


def test_migration_6_keeps_every_order_line_and_drops_only_the_key_index():
    con = duckdb.connect()
    db.execute(con, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, "
                    "applied_at TIMESTAMP DEFAULT current_timestamp)")
    for number, name, sql in db._migration_files():
        if number < 6:
            db.execute(con, sql)
            db.execute(con, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
    db.execute(con, "INSERT INTO orders (order_id, line_no, account_id, order_date, amount, gross_margin, batch_id) "
                    "VALUES ('SO-1', 1, 'A1', DATE '2025-03-01', 5.5, NULL, 7), ('SO-1', 2, 'A1', DATE '2025-03-01', "
                    "-2, 1, NULL)")
    assert db.migrate(con) == ["006_orders_unindexed.sql", "007_order_product_runs.sql"]
    rows = db.query(con, "SELECT order_id, line_no, amount, gross_margin, batch_id FROM orders ORDER BY line_no")
    assert rows.astype(object).where(rows.notna(), None).values.tolist() == [["SO-1", 1, 5.5, None, 7],
                                                                            ["SO-1", 2, -2.0, 1.0, None]]
    assert db.scalar(con, "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'orders' "
                          "AND constraint_type = 'PRIMARY KEY'") == 0
    assert db.scalar(con, "SELECT count(*) FROM import_lock") == 1
