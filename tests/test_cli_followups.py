"""`python -m kam followups` on tests/fixtures/followups built into a file."""
import json

from kam.__main__ import main
from tests.conftest import build_db


def test_the_json_lists_one_owners_follow_ups_by_due_date_with_the_contract_fields(tmp_path, capsys):
    path = tmp_path / "f.duckdb"
    build_db("followups", path).close()
    assert main(["followups", "--db", str(path), "--owner", "张伟", "--as-of", "2026-06-30", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"id": 1, "account_id": "F1", "owner": "张伟", "due": "2026-06-25", "status": "open", "version": 1,
         "overdue": True},
        {"id": 5, "account_id": "F2", "owner": "张伟", "due": "2026-06-30", "status": "open", "version": 1,
         "overdue": False},
        {"id": 2, "account_id": "F2", "owner": "张伟", "due": "2026-07-03", "status": "in_progress", "version": 1,
         "overdue": False}]


def test_without_an_owner_every_follow_up_is_listed_and_undated_ones_last(tmp_path, capsys):
    path = tmp_path / "f.duckdb"
    build_db("followups", path).close()
    assert main(["followups", "--db", str(path), "--as-of", "2026-06-30", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [3, 1, 5, 2, 4, 6] and rows[-1]["due"] is None


def test_the_text_table_and_a_missing_database(tmp_path, capsys):
    path = tmp_path / "f.duckdb"
    build_db("followups", path).close()
    assert main(["followups", "--db", str(path), "--owner", "Amy Chen", "--as-of", "2026-07-21"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and lines[2].split() == ["4", "F4", "Amy", "Chen", "2026-07-20", "open", "1", "yes"]
    assert main(["followups", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no database" in capsys.readouterr().err
