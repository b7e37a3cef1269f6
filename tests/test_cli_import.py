"""`python -m kam import`: the JSON contract, dry run, re-import, and exit 2 with the database unchanged."""
import json

import pytest

from kam import db
from kam.__main__ import main
from tests.conftest import build_db
from tests.ingest_samples import messy_workbook, orders_csv


@pytest.fixture
def tiny_db(tmp_path):
    path = tmp_path / "tiny.duckdb"
    build_db("tiny", path).close()
    return path


def _write(tmp_path, sample):
    name, data = sample
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _count(path, sql):
    con = db.connect(path)
    try:
        return db.scalar(con, sql)
    finally:
        con.close()


def test_import_json_prints_the_documented_summary_and_writes_the_rows(tiny_db, tmp_path, capsys):
    csv = _write(tmp_path, orders_csv("gb18030"))
    assert main(["import", csv, "--db", str(tiny_db), "--json", "--user", "batch"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary == {"ok": True, "tables": {"orders": {"read": 2, "created": 2, "updated": 0, "unchanged": 0,
                                                         "rejected": 0, "skipped": 1}}, "errors": []}
    assert _count(tiny_db, "SELECT imported_by FROM import_batches") == "batch"
    assert _count(tiny_db, "SELECT sum(amount) FROM orders WHERE batch_id = 1") == 3001.5 - 2000


def test_a_dry_run_reports_the_same_counts_and_writes_nothing(tiny_db, tmp_path, capsys):
    book = _write(tmp_path, messy_workbook())
    assert main(["import", book, "--db", str(tiny_db), "--dry-run", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["tables"]["orders"] == {"read": 4, "created": 3, "updated": 0, "unchanged": 0, "rejected": 1,
                                           "skipped": 5}
    assert {"file": "客户导出.xlsx", "sheet": "销售订单", "row": 8, "column": "订单日期", "value": "not a date",
            "reason": "not a date"} in summary["errors"]
    assert _count(tiny_db, "SELECT count(*) FROM import_batches") == 0


def test_importing_the_same_files_twice_reports_everything_unchanged(tiny_db, tmp_path, capsys):
    book = _write(tmp_path, messy_workbook())
    main(["import", book, "--db", str(tiny_db), "--json"])
    capsys.readouterr()
    assert main(["import", book, "--db", str(tiny_db), "--json"]) == 0
    tables = json.loads(capsys.readouterr().out)["tables"]
    assert sum(t["created"] + t["updated"] for t in tables.values()) == 0
    assert tables["orders"]["unchanged"] == 3


def test_an_unreadable_file_exits_2_and_leaves_the_database_unchanged(tiny_db, tmp_path, capsys):
    good = _write(tmp_path, orders_csv())
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    assert main(["import", good, str(bad), "--db", str(tiny_db), "--json"]) == 2
    summary = json.loads(capsys.readouterr().out)
    assert summary["ok"] is False
    assert summary["errors"][0]["file"] == "broken.xlsx"
    assert _count(tiny_db, "SELECT count(*) FROM orders") == 6


def test_a_missing_file_exits_2(tiny_db, tmp_path, capsys):
    assert main(["import", str(tmp_path / "nope.csv"), "--db", str(tiny_db)]) == 2
    assert "cannot open the file" in capsys.readouterr().err
