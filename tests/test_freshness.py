"""The data fingerprint the pages cache scores on."""
from kam import db, freshness
from tests.conftest import build_db


def test_the_stamp_stays_while_nothing_changes_and_moves_with_a_new_order():
    con = build_db("scoring_tiers")
    first = freshness.stamp(con)
    assert freshness.stamp(con) == first
    db.execute(con, "INSERT INTO orders (order_id, line_no, account_id, order_date, amount) "
                    "VALUES ('NEW', 1, 'T1', DATE '2026-06-20', 10)")
    assert freshness.stamp(con) != first
    assert freshness.stamp(con)[1] == 12  # orders: 11 in the fixture, plus one
