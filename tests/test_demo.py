"""The demo company: deterministic for a seed, internally consistent, and each story account shows its story."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from kam import db, demo, vocab
from kam.__main__ import main
from kam.settings.funnel import FunnelSettings

END = demo.DEFAULT_END
SMALL = {"n_accounts": 40, "n_orders": 3_000, "n_opportunities": 200}


def _build(seed: int = 7):
    con = db.connect()
    counts = demo.build(con, seed=seed, **SMALL)
    return con, counts


@pytest.fixture(scope="module")
def built():
    con, counts = _build()
    yield con, counts
    con.close()


@pytest.fixture(scope="module")
def con(built):
    return built[0]


def _table(con, table: str) -> pd.DataFrame:
    frame = db.query(con, f"SELECT * FROM {db.quote_ident(table)}")
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def _value(con, sql: str, params=None):
    return db.query(con, sql, params).iloc[0, 0]


def test_the_same_seed_builds_identical_tables(con):
    again, _ = _build()
    for table in demo.TABLES:
        pd.testing.assert_frame_equal(_table(con, table), _table(again, table), check_exact=True, obj=table)


def test_a_different_seed_builds_a_different_company(con):
    other, _ = _build(seed=8)
    assert not _table(con, "orders").equals(_table(other, "orders"))
    assert not _table(con, "accounts")["name"].equals(_table(other, "accounts")["name"])


def test_row_counts_are_returned_per_table_and_match_the_sizes_asked_for(con, built):
    counts = built[1]
    for table in demo.TABLES:
        assert counts[table] == _value(con, f"SELECT count(*) FROM {db.quote_ident(table)}")
    assert (counts["owners"], counts["accounts"], counts["opportunities"]) == (8, 40, 200)
    assert 2_700 <= counts["orders"] <= 3_300
    assert counts["follow_ups"] == counts["follow_up_events"] > 0


def test_ids_are_stable_and_numbered_from_one(con):
    assert _value(con, "SELECT min(account_id) FROM accounts") == "A0001"
    assert _value(con, "SELECT min(order_id) FROM orders") == "SO-000001"
    assert _value(con, "SELECT min(follow_up_id) FROM follow_ups") == 1


def test_accounts_span_the_regions_industries_and_owners_of_the_company(con):
    assert _value(con, "SELECT count(DISTINCT region) FROM accounts") == 5
    assert _value(con, "SELECT count(DISTINCT industry) FROM accounts") >= 7
    assert _value(con, "SELECT count(*) FROM accounts a LEFT JOIN owners o ON a.owner = o.name "
                       "WHERE o.name IS NULL") == 0


def test_every_order_line_belongs_to_an_account_and_amount_is_quantity_times_price(con):
    assert _value(con, "SELECT count(*) FROM orders o ANTI JOIN accounts a USING (account_id)") == 0
    assert _value(con, "SELECT max(abs(amount - quantity * unit_price)) FROM orders") < 0.01
    assert _value(con, "SELECT max(order_date) <= ? FROM orders", [END])
    assert _value(con, "SELECT count(*) FROM orders WHERE amount < 0 AND quantity < 0") > 0
    missing = _value(con, "SELECT avg((gross_margin IS NULL)::INT) FROM orders")
    assert 0 < missing < 0.5


def test_opportunity_status_matches_the_kind_of_its_stage(con):
    kinds = pd.DataFrame([(s[0], s[2]) for s in FunnelSettings().stages], columns=["stage", "kind"])
    with db.registered(con, "kinds", kinds) as name:
        wrong = _value(con, f"SELECT count(*) FROM opportunities o LEFT JOIN {name} k USING (stage) "
                            "WHERE k.kind IS DISTINCT FROM o.status")
    assert wrong == 0
    assert _value(con, "SELECT count(*) FROM opportunities WHERE (status = 'open') <> (closed_date IS NULL)") == 0
    assert _value(con, "SELECT count(*) FROM opportunities WHERE loss_reason IS NOT NULL AND status <> 'lost'") == 0
    assert _value(con, "SELECT count(*) FROM opportunities WHERE account_id IS NULL") > 0


def test_stage_history_uses_configured_stages_and_ends_at_the_current_stage(con):
    stages = [s[0] for s in FunnelSettings().stages]
    assert set(db.query(con, "SELECT DISTINCT stage FROM opportunity_stage_history")["stage"]) <= set(stages)
    mismatched = _value(con, """
        SELECT count(*) FROM opportunities o JOIN (
            SELECT opportunity_id, arg_max(stage, entered_date) AS last_stage
            FROM opportunity_stage_history GROUP BY 1) h USING (opportunity_id)
        WHERE h.last_stage <> o.stage""")
    assert mismatched == 0
    reopened = _value(con, "SELECT count(DISTINCT opportunity_id) FROM opportunity_stage_history h1 "
                           "WHERE stage = 'lost' AND EXISTS (SELECT 1 FROM opportunity_stage_history h2 WHERE "
                           "h2.opportunity_id = h1.opportunity_id AND h2.entered_date > h1.entered_date)")
    assert reopened == 2


def test_coded_columns_hold_canonical_vocabulary(con):
    channels = set(db.query(con, "SELECT DISTINCT channel FROM interactions")["channel"])
    assert channels <= set(vocab.CHANNEL_SYNONYMS) and {"complaint", "survey"} <= channels
    statuses = set(db.query(con, "SELECT DISTINCT status FROM follow_ups")["status"])
    assert statuses == set(vocab.FOLLOW_UP_STATUS_SYNONYMS)
    assert _value(con, "SELECT count(*) FROM interactions WHERE nps IS NOT NULL AND channel <> 'survey'") == 0
    assert _value(con, "SELECT count(*) FROM interactions WHERE nps NOT BETWEEN 0 AND 10") == 0


def test_follow_up_history_has_overdue_open_items_and_done_ones_with_outcomes(con):
    overdue = _value(con, "SELECT count(*) FROM follow_ups WHERE status IN ('open', 'in_progress') AND due_date < ?",
                     [END])
    assert overdue > 0
    assert _value(con, "SELECT count(*) FROM follow_ups WHERE status = 'done' AND outcome IS NULL") == 0


def test_replaying_the_created_events_reproduces_the_follow_ups(con):
    from kam.demo_activity import EDITABLE
    rows = db.query(con, "SELECT * FROM follow_ups ORDER BY follow_up_id")
    events = db.query(con, "SELECT * FROM follow_up_events ORDER BY follow_up_id")
    assert (events["event_type"] == "created").all() and (events["version"] == 1).all()
    assert events["old_values"].isna().all()
    replayed = pd.DataFrame([json.loads(v) for v in events["new_values"]])
    for column in EDITABLE:
        kept = rows[column].map(lambda v: None if pd.isna(v) else (v.isoformat()[:10] if hasattr(v, "isoformat")
                                                                   else v))
        assert replayed[column].tolist() == kept.tolist(), column


def _story(con, key: str) -> str:
    account = demo.STORIES[key]
    assert _value(con, "SELECT count(*) FROM accounts WHERE account_id = ?", [account]) == 1
    return account


def test_the_slipping_account_has_not_ordered_for_over_three_times_its_usual_interval(con):
    account = _story(con, "slipping")
    median_gap, silent = db.query(con, """
        WITH d AS (SELECT DISTINCT order_date FROM orders WHERE account_id = ?),
             g AS (SELECT order_date - lag(order_date) OVER (ORDER BY order_date) AS gap FROM d)
        SELECT (SELECT median(gap) FROM g), ? - (SELECT max(order_date) FROM d)""", [account, END]).iloc[0]
    assert silent > 3 * median_gap


def test_the_growing_account_sold_over_half_as_much_again_as_the_year_before(con):
    account = _story(con, "growing")
    recent, prior = db.query(con, """
        SELECT sum(amount) FILTER (WHERE order_date > ?::DATE - 365),
               sum(amount) FILTER (WHERE order_date <= ?::DATE - 365 AND order_date > ?::DATE - 730)
        FROM orders WHERE account_id = ?""", [END, END, END, account]).iloc[0]
    assert recent > 1.5 * prior


def test_the_expiring_contract_ends_within_thirty_days(con):
    account = _story(con, "contract_expiring")
    ends = _value(con, "SELECT contract_end_date FROM accounts WHERE account_id = ?", [account])
    assert END < ends.date() <= END + dt.timedelta(days=30)


def test_a_key_contact_of_the_story_account_left_in_the_last_sixty_days(con):
    account = _story(con, "key_contact_left")
    left = _value(con, "SELECT count(*) FROM contacts WHERE account_id = ? AND is_key "
                       "AND active_to BETWEEN ?::DATE - 60 AND ?", [account, END, END])
    assert left == 1


def test_the_big_account_with_rising_complaints_has_falling_nps(con):
    account = _story(con, "rising_complaints")
    rank = _value(con, "SELECT rank FROM (SELECT account_id, rank() OVER (ORDER BY sum(amount) DESC) AS rank "
                       "FROM orders GROUP BY 1) WHERE account_id = ?", [account])
    complaints = _value(con, "SELECT count(*) FROM interactions WHERE account_id = ? AND channel = 'complaint' "
                             "AND interaction_date > ?::DATE - 90", [account, END])
    nps = db.query(con, "SELECT nps FROM interactions WHERE account_id = ? AND channel = 'survey' "
                        "ORDER BY interaction_date", [account])["nps"].tolist()
    assert rank <= 3 and complaints >= 3
    assert nps[-1] < nps[-2] < nps[0]


def test_the_overdue_receivable_is_large_and_over_ninety_days_late(con):
    account = _story(con, "overdue_receivables")
    open_amount, median_invoice = db.query(con, """
        SELECT max(amount - amount_paid) FILTER (WHERE account_id = ? AND paid_date IS NULL
                                                       AND due_date < ?::DATE - 90),
               median(amount) FROM payments""", [account, END]).iloc[0]
    assert open_amount > 3 * median_invoice


def test_the_command_refuses_a_database_with_accounts_unless_forced(tmp_path, capsys):
    path = str(tmp_path / "demo.duckdb")
    args = ["demo", "--db", path, "--accounts", "40", "--orders", "1000", "--opportunities", "50"]
    assert main(args) == 0
    assert "orders" in capsys.readouterr().out
    assert main(args) == 2
    assert "--force" in capsys.readouterr().err
    assert main([*args, "--seed", "9", "--force"]) == 0
    con = db.connect(path)
    assert _value(con, "SELECT count(*) FROM accounts") == 40
    assert _value(con, "SELECT min(follow_up_id) FROM follow_ups") > 1   # ids continue the sequence
    con.close()
