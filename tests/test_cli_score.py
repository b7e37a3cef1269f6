"""`python -m kam score` on tests/fixtures/scoring_health as of 30 Jun 2026."""
import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, build_db
from kam.__main__ import main


@pytest.fixture
def db_file(tmp_path):
    path = tmp_path / "scoring.duckdb"
    build_db("scoring_health", path).close()
    return path


def test_score_json_gives_health_components_and_warnings_per_account(db_file, capsys):
    assert main(["score", "--db", str(db_file), "--as-of", "2026-06-30", "--json"]) == 0
    report = {r["account_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(report) == {"H1", "H2", "H3", "H4", "H5"}
    h4 = report["H4"]
    assert h4["health"] == pytest.approx(55 / 0.95, abs=1e-4) and h4["health_band"] == "yellow"
    assert h4["coverage"] == pytest.approx(0.95) and h4["components"]["nps"] is None
    assert sum(v for v in h4["components"].values() if v is not None) == pytest.approx(h4["health"], abs=1e-3)
    assert h4["warnings"][0] == {"rule": "no_order", "severity": "high", "active_since": "2026-05-28",
                                 "reason": "No order for 94 days, 3.1x its usual 30-day interval"}
    assert h4["revenue_12m"] == 30000.0
    assert report["H5"]["health"] is None and report["H5"]["health_band"] == "unknown"


def test_score_reasons_can_be_printed_in_chinese(db_file, capsys):
    assert main(["score", "--db", str(db_file), "--as-of", "2026-06-30", "--json", "--lang", "zh"]) == 0
    report = {r["account_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert [w["reason"] for w in report["H3"]["warnings"]][0] == "关键联系人王磊已于 29 天前离任"


def test_score_without_a_database_exits_2(tmp_path, capsys):
    assert main(["score", "--db", str(tmp_path / "missing.duckdb")]) == 2
    assert "no database" in capsys.readouterr().err


def test_a_reader_that_stops_early_gets_no_traceback(db_file):
    # like `python -m kam score --json | head -c 100`: here the reader is gone before anything is written
    command = [sys.executable, "-m", "kam", "score", "--db", str(db_file), "--as-of", "2026-06-30", "--json"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()
    assert process.wait(timeout=120) == 141
    assert process.stderr.read().decode() == ""
