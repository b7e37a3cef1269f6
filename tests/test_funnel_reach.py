"""kam.funnel_reach: the per-deal summary of the stage history, kept by every writer and used only while current.

On tests/fixtures/funnel (default stages lead 0, qualified 1, proposal 2, negotiation 3, won 4, lost 5), the
furthest open stage above lead in each deal's whole history, and its last history date:
D1 3 (lead, proposal, negotiation) 03-01; D2 2 (qualified, lost, qualified, proposal) 05-01; D3 3 03-20;
D4 1 (qualified, then lost) 04-10; D5 2 (proposal, then won) 05-10; D6 2 (proposal, then lost) 06-01;
D7 none (lead only) 06-20; D8 none (no history); D9 3 (线索, 商务谈判 = negotiation) 06-10; D10 3 07-10;
D11 none (lead only) 07-05. 30 history rows from 2026-01-05 to 2026-07-10, 11 deals.
"""
import dataclasses
import datetime as dt

import pytest

from kam import db, demo, derived, funnel_reach, settings
from kam.funnel_stages import stage_table
from kam.ingest import pipeline
from kam.settings import Settings
from tests.conftest import load_fixture
from tests.funnel_fixture import AS_OF
from tests.ingest_samples import single_sheet

STORED = {"D1": (3, "2026-03-01"), "D2": (2, "2026-05-01"), "D3": (3, "2026-03-20"), "D4": (1, "2026-04-10"),
          "D5": (2, "2026-05-10"), "D6": (2, "2026-06-01"), "D7": (None, "2026-06-20"), "D8": (None, None),
          "D9": (3, "2026-06-10"), "D10": (3, "2026-07-10"), "D11": (None, "2026-07-05")}
# The bars as of 2026-06-30 (tests/test_funnel_stages.py works them out): stage -> (deals, amount)
BARS = {"lead": (10, 640_000), "qualified": (8, 590_000), "proposal": (7, 590_000), "negotiation": (5, 360_000),
        "won": (2, 130_000), "lost": (2, 30_000)}
# Stages in another order: lead 0, proposal 1, qualified 2, negotiation 3.
REORDERED = dataclasses.replace(Settings(), funnel=dataclasses.replace(Settings().funnel, stages=(
    ("lead", 0.10, "open", 30), ("proposal", 0.50, "open", 45), ("qualified", 0.25, "open", 30),
    ("negotiation", 0.75, "open", 30), ("won", 1.0, "won", 0), ("lost", 0.0, "lost", 0))))


def _unrefreshed():
    """The fixture written by hand, as a test or an outside tool would: no writer ran, nothing refreshed."""
    con = db.connect()
    load_fixture(con, "funnel")
    db.execute(con, "DELETE FROM funnel_reach_state")  # in case fixture loading ever refreshes
    return con


def _refresh(con):
    with db.transaction(con):
        derived.refresh(con, ["opportunities", "opportunity_stage_history"])


@pytest.fixture
def stale():
    con = _unrefreshed()
    yield con
    con.close()


@pytest.fixture
def fresh():
    con = _unrefreshed()
    _refresh(con)
    yield con
    con.close()


def _stored(con):
    rows = db.execute(con, "SELECT opportunity_id, funnel_reach, CAST(funnel_history_last AS VARCHAR) "
                           "FROM opportunities").fetchall()
    return {deal: (reach, last) for deal, reach, last in rows}


def _bars(con, settings=Settings(), as_of=AS_OF):
    table = stage_table(con, settings, as_of)
    return {r.stage: (int(r.deals), float(r.amount)) for r in table.itertuples() if r.kind != "unknown"}


def _reads_history(con, settings=Settings(), as_of=AS_OF) -> bool:
    return funnel_reach.reach_parts(con, settings, as_of)[1]


def test_a_refresh_stores_each_deals_furthest_stage_and_last_history_date(fresh):
    assert _stored(fresh) == STORED
    state = db.query(fresh, "SELECT fingerprint, deals, history_rows, CAST(history_first AS VARCHAR) AS first, "
                            "CAST(history_last AS VARCHAR) AS last FROM funnel_reach_state")
    assert state.drop(columns="fingerprint").values.tolist() == [[11, 30, "2026-01-05", "2026-07-10"]]
    assert state.at[0, "fingerprint"] == funnel_reach.fingerprint(Settings())


def test_rows_written_by_hand_give_the_same_bars_from_the_history(stale, fresh):
    assert funnel_reach.stored_until(stale, Settings()) == (False, None)
    assert _reads_history(stale)
    assert _bars(stale) == _bars(fresh) == BARS


def test_the_stored_summary_is_read_without_the_history_once_as_of_is_past_every_entry(fresh):
    late = dt.date(2026, 7, 31)
    assert funnel_reach.stored_until(fresh, Settings()) == (True, dt.date(2026, 7, 10))
    assert not _reads_history(fresh, as_of=late)
    # by 31 July D11 exists (lead) and D10 is won: lead 11 deals (645k), negotiation and won gain D10
    assert _bars(fresh, as_of=late) == {"lead": (11, 645_000), "qualified": (8, 590_000), "proposal": (7, 590_000),
                                        "negotiation": (5, 360_000), "won": (3, 200_000), "lost": (2, 30_000)}


def test_a_history_row_added_by_hand_after_a_refresh_is_counted(fresh):
    db.execute(fresh, "INSERT INTO opportunity_stage_history VALUES ('D7', 'proposal', DATE '2026-06-25', NULL)")
    assert funnel_reach.stored_until(fresh, Settings()) == (False, None)
    # D7 (40k) now reached proposal: qualified and proposal gain it
    assert _bars(fresh) == {**BARS, "qualified": (9, 630_000), "proposal": (8, 630_000)}


def test_an_as_of_before_some_deals_last_entry_reads_the_history_for_those_deals(fresh, stale):
    early = dt.date(2026, 5, 5)
    assert _reads_history(fresh, as_of=early)
    # On 5 May: D1 negotiation (open), D2 proposal (open), D3 won, D4 lost (reached qualified, no amount),
    # D5 won only on 10 May: open in proposal then; D6 lost only on 1 June: open in lead then, its history by 5 May
    # shows lead alone (its stored summary, proposal, counts the 10 May entry). Not yet created: D7-D11.
    expected = {"lead": (6, 460_000), "qualified": (5, 430_000), "proposal": (4, 430_000),
                "negotiation": (2, 150_000), "won": (1, 50_000), "lost": (1, 0)}
    assert _bars(fresh, as_of=early) == _bars(stale, as_of=early) == expected


def test_unsaved_settings_with_another_stage_order_read_the_history(fresh):
    assert funnel_reach.stored_until(fresh, REORDERED) == (False, None)
    # lead 0, proposal 1, qualified 2: D4 (qualified) passes proposal, D6 (proposal) does not reach qualified;
    # D2 (qualified, proposal) reaches qualified. Qualified: D1-D5, D9, D10 = 560k; proposal adds D6 (30k).
    assert _bars(fresh, REORDERED) == {"lead": (10, 640_000), "proposal": (8, 590_000), "qualified": (7, 560_000),
                                       "negotiation": (5, 360_000), "won": (2, 130_000), "lost": (2, 30_000)}


def test_saving_settings_with_another_stage_order_rebuilds_the_summary(fresh):
    settings.save(fresh, REORDERED, saved_by="amy")
    # positions now: proposal 1, qualified 2; D2, D4 and D5 reached qualified (2), D6 proposal (1)
    assert _stored(fresh) == {**STORED, "D2": (2, "2026-05-01"), "D4": (2, "2026-04-10"), "D5": (2, "2026-05-10"),
                              "D6": (1, "2026-06-01")}
    assert funnel_reach.stored_until(fresh, REORDERED) == (True, dt.date(2026, 7, 10))
    assert funnel_reach.stored_until(fresh, Settings()) == (False, None)  # the defaults are no longer saved
    assert _bars(fresh, REORDERED)["qualified"] == (7, 560_000)


def _import_deals(con):
    sheet = single_sheet([["商机编号", "客户编号", "商机名称", "阶段", "阶段日期"],
                          ["D7", "F2", "Spare parts", "proposal", "2026-06-25"],
                          ["D12", "F2", "New deal", "lead", "2026-06-26"]], "商机")
    plans = pipeline.read_sources(con, [sheet])
    return pipeline.commit(con, plans, settings.load(con), user="amy")[0]


def test_an_import_and_its_undo_keep_the_summary_current(fresh):
    batch = _import_deals(fresh)
    # D7 moved to proposal on 25 June (a history row); D12 is new, in lead (a lead entry raises nothing)
    assert _stored(fresh) == {**STORED, "D7": (2, "2026-06-25"), "D12": (None, "2026-06-26")}
    assert funnel_reach.stored_until(fresh, Settings()) == (True, dt.date(2026, 7, 10))
    # D12 has no amount and no created date: counted in lead from the start
    assert _bars(fresh) == {**BARS, "lead": (11, 640_000), "qualified": (9, 630_000), "proposal": (8, 630_000)}
    pipeline.undo(fresh, batch, user="amy")
    assert _stored(fresh) == STORED
    assert funnel_reach.stored_until(fresh, Settings()) == (True, dt.date(2026, 7, 10))
    assert _bars(fresh) == BARS


def test_the_demo_build_leaves_a_current_summary_that_gives_the_bars_of_the_history():
    con = db.connect()
    demo.build(con, n_accounts=40, n_orders=3_000, n_opportunities=200)
    as_of = db.scalar(con, "SELECT max(entered_date) FROM opportunity_stage_history")
    counts = db.query(con, "SELECT (SELECT count(*) FROM opportunities) AS deals, "
                           "(SELECT count(*) FROM opportunity_stage_history) AS rows").values.tolist()
    assert db.query(con, "SELECT deals, history_rows FROM funnel_reach_state").values.tolist() == counts
    assert not _reads_history(con, as_of=as_of)
    stored = stage_table(con, Settings(), as_of)
    db.execute(con, "DELETE FROM funnel_reach_state")
    assert _reads_history(con, as_of=as_of)
    live = stage_table(con, Settings(), as_of)
    assert stored.equals(live)
    assert stored["deals"].iloc[0] == 200  # every deal is in the first bar
    con.close()


def test_a_database_from_before_the_summary_opened_read_only_reads_the_history(tmp_path):
    path = tmp_path / "old.duckdb"
    con = db.connect(path)
    load_fixture(con, "funnel")
    db.execute(con, "DROP TABLE funnel_reach_state")  # as before migration 003 (the command line never migrates)
    db.execute(con, "DELETE FROM schema_migrations WHERE version = 3")
    con.close()
    old = db.connect(path, read_only=True)
    assert funnel_reach.stored_until(old, Settings()) == (False, None)
    assert _bars(old) == BARS
    old.close()
