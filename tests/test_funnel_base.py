"""kam.funnel_base: the tallied deal set the funnel bars read, on tests/fixtures/funnel with its summary refreshed.

On 31 July no deal closes later and D11 exists. Grouped by stage label, status and stored reach (kam.funnel_reach:
D1 3, D2 2, D3 3, D4 1, D5 2, D6 2, D7 none, D8 none, D9 3, D10 3, D11 none), D3 and D10 (won, reach 3) share a
row, and so do D7 and D11 (lead, no reach); every other deal has its own.
"""
import datetime as dt

import pandas as pd
import pytest

from kam import db, derived
from kam.funnel_base import run
from kam.funnel_config import FunnelFilter
from kam.funnel_stages import _STAGE_TABLE_SQL
from kam.scope import Scope
from kam.settings import Settings
from tests.conftest import load_fixture
from tests.funnel_fixture import AS_OF

LATE = dt.date(2026, 7, 31)
_ROWS = "SELECT stage, status, reached_position, deal_count, amount FROM deals ORDER BY ALL"


@pytest.fixture
def con():
    connection = db.connect()
    load_fixture(connection, "funnel")
    with db.transaction(connection):
        derived.refresh(connection, ["opportunities", "opportunity_stage_history"])
    yield connection
    connection.close()


def _tally(con, as_of=LATE, filt=FunnelFilter(), **options):
    frame = run(con, Settings(), as_of, filt, _ROWS, reach=True, accounts=False, tally=True, **options)
    return [tuple(None if v != v else v for v in row) for row in frame.itertuples(index=False)]


def test_a_tally_counts_the_deals_of_each_stage_label_status_and_stored_reach_in_one_row(con):
    # won deals reach every open stage (3); D5's row is apart from D3 and D10's (stored reach 2, not 3);
    # D4 (lost, no amount) sums to 0; 商务谈判 maps to negotiation but is its own label
    assert _tally(con) == [
        ("POC", "open", 0, 1, 10_000), ("lead", "open", 0, 2, 45_000), ("lost", "lost", 1, 1, 0),
        ("lost", "lost", 2, 1, 30_000), ("negotiation", "open", 3, 1, 60_000), ("negotiation", "open", 3, 1, 100_000),
        ("proposal", "open", 2, 1, 200_000), ("won", "won", 3, 1, 80_000), ("won", "won", 3, 2, 120_000)]


@pytest.mark.parametrize("as_of, filt, deals", [
    (AS_OF, FunnelFilter(), 10),                              # D10 closes after 30 June: it needs its own row
    (LATE, FunnelFilter(scope=Scope(regions=("华东",))), 5),   # a scope filter reads each deal's account (F1)
    (LATE, FunnelFilter(tiers=("A",)), 5),                     # so does a tier filter (F1 is A here)
])
def test_a_tally_keeps_one_row_per_deal_when_a_deal_needs_its_own(con, monkeypatch, as_of, filt, deals):
    from kam import tiers
    fake = pd.DataFrame({"account_id": ["F1", "F2"], "tier": ["A", "B"], "tier_rank": [0, 1]})
    monkeypatch.setattr(tiers, "tier_table", lambda *args, **kwargs: fake)
    rows = _tally(con, as_of, filt)
    assert (len(rows), {row[3] for row in rows}) == (deals, {1})


def test_the_bars_from_a_tally_equal_the_bars_from_single_deals(con):
    # lead bar (every deal created in the period and by 31 July): all 11 (645k); created from April on: D5-D11
    # (295k); created by 31 May: D1-D6, D9 (520k)
    expected = {None: (11, 645_000), "from": (7, 295_000), "to": (7, 520_000)}
    for key, filt in ((None, FunnelFilter()), ("from", FunnelFilter(date_from=dt.date(2026, 4, 1))),
                      ("to", FunnelFilter(date_to=dt.date(2026, 5, 31)))):
        tallied = run(con, Settings(), LATE, filt, _STAGE_TABLE_SQL, reach=True, accounts=False, tally=True)
        single = run(con, Settings(), LATE, filt, _STAGE_TABLE_SQL, reach=True, accounts=False)
        assert tallied.equals(single)
        lead = tallied.set_index("stage").loc["lead"]
        assert (lead["deals"], lead["amount"]) == expected[key]
