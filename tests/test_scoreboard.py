"""kam.scoreboard gives exactly what the tier table, health table, warning list and KPI cards give one by one."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kam import db, demo, health, kpis, risk, scoreboard, tiers
from kam.scope import Scope
from kam.settings import Settings


@pytest.fixture(scope="module")
def con():
    con = db.connect()
    demo.build(con, n_accounts=60, n_orders=6_000, n_opportunities=100)
    yield con
    con.close()


def _same_cards(left: tuple, right: tuple) -> None:
    assert [(k.key, k.label, k.period_ends) for k in left] == [(k.key, k.label, k.period_ends) for k in right]
    for a, b in zip(left, right):  # sums of floats may differ in the last bit with the order DuckDB adds them in
        assert a.series == pytest.approx(b.series, rel=1e-12, nan_ok=True), a.key


@pytest.mark.parametrize("scope", [Scope(), Scope(regions=("华东",))])
def test_the_scoreboard_equals_the_four_tables_computed_one_by_one(con, scope):
    settings, as_of = Settings(), demo.DEFAULT_END
    board = scoreboard.scoreboard(con, settings, as_of, scope)
    pd.testing.assert_frame_equal(board.tier_table, tiers.tier_table(con, settings, as_of, scope))
    pd.testing.assert_frame_equal(board.health_table, health.health_table(con, settings, as_of, scope))
    pd.testing.assert_frame_equal(board.warnings, risk.warning_list(con, settings, as_of, scope))
    _same_cards(board.kpis, kpis.kpi_cards(con, settings, as_of, scope))
    assert len(board.warnings) > 0 and board.warnings["active_since"].notna().all()


def test_the_scoreboard_of_the_tiny_fixture_tiers_the_accounts_existing_at_as_of(tiny):
    board = scoreboard.scoreboard(tiny, Settings(), dt.date(2026, 3, 31))
    revenue = dict(zip(board.tier_table["account_id"], board.tier_table["revenue_12m"]))
    assert revenue == {"A001": 430000.0, "A002": 120000.0}  # A003 is created on 1 May 2026
    assert sorted(board.health_table["account_id"]) == ["A001", "A002", "A003"]
