"""`python -m kam funnel` on tests/fixtures/funnel (values hand-computed in tests/test_funnel*.py)."""
import json

import pytest

from kam.__main__ import main
from tests.conftest import build_db


@pytest.fixture
def funnel_db(tmp_path):
    path = tmp_path / "funnel.duckdb"
    build_db("funnel", path).close()
    return path


def test_funnel_json_prints_the_contract(funnel_db, capsys):
    assert main(["funnel", "--db", str(funnel_db), "--as-of", "2026-06-30", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [(s["stage"], s["deals"]) for s in result["stages"]] == [
        ("lead", 10), ("qualified", 8), ("proposal", 7), ("negotiation", 5), ("won", 2), ("lost", 2)]
    assert set(result["stages"][0]) == {"stage", "deals", "amount", "conversion_to_next"}
    assert (result["win_rate"], result["win_rate_amount"], result["median_cycle_days"]) == (0.5, 0.8125, 39.5)
    assert result["weighted_pipeline"] == 296_500
    assert [s["opportunity_id"] for s in result["stalled"]] == ["D1", "D2"]


def test_from_and_to_keep_deals_created_in_the_window(funnel_db, capsys):
    assert main(["funnel", "--db", str(funnel_db), "--as-of", "2026-06-30", "--from", "2026-04-01",
                 "--to", "2026-06-30", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    # D5-D10: weighted D7 4k + D8 0 + D9 45k + D10 52.5k; D5 won 80k against D6 lost 30k
    assert result["stages"][0]["deals"] == 6
    assert result["weighted_pipeline"] == 101_500
    assert result["win_rate_amount"] == pytest.approx(80 / 110)
    assert result["stalled"] == []


def test_the_default_as_of_is_the_datas_own_date_not_today(funnel_db, capsys):
    # no orders or interactions in this fixture: data_as_of falls back to today, when D10 is won and D11 exists
    assert main(["funnel", "--db", str(funnel_db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["stages"][0]["deals"] == 11


def test_a_missing_database_or_a_bad_date_exits_with_2(tmp_path, capsys):
    assert main(["funnel", "--db", str(tmp_path / "none.duckdb"), "--json"]) == 2
    assert "no database" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["funnel", "--as-of", "30/06/2026"])
    assert exit_info.value.code == 2


def test_without_json_a_short_table_is_printed(funnel_db, capsys):
    assert main(["funnel", "--db", str(funnel_db), "--as-of", "2026-06-30"]) == 0
    out = capsys.readouterr().out
    assert "lead                  10         640,000     80.0%" in out
    assert "win rate 50.0% (by amount 81.2%), median cycle 39.5 days, weighted pipeline 296,500" in out
