"""No lost edits: 8 threads x 100 read-modify-write edits of 3 shared follow-ups through kam.followups, each thread
on its own cursor of one connection (the app's setup). Each edit appends its own token to `outcome`, so a lost
update would drop a token; a refused save (ConflictError) is re-read and retried, as a user would."""
import threading

from kam import db, followups, followups_history as history
from kam.errors import ConflictError
from tests.conftest import build_db

THREADS, EDITS, SHARED = 8, 100, (1, 2, 5)


def _edit(cursor, thread: int, done: list, refused: list) -> None:
    for i in range(EDITS):
        target = SHARED[(thread + i) % len(SHARED)]
        while True:
            row = followups.get(cursor, target)
            text = f"{row['outcome'] or ''} t{thread}.{i}"
            try:
                followups.update(cursor, target, {"outcome": text}, version=row["version"], user=f"user{thread}")
                done.append(f"t{thread}.{i}")
                break
            except ConflictError:
                refused.append(target)


def test_eight_threads_editing_shared_follow_ups_lose_no_edit_and_the_events_replay_to_the_rows():
    con = build_db("followups")
    done, refused = [], []
    threads = [threading.Thread(target=_edit, args=(con.cursor(), n, done, refused)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tokens = [token for fid in SHARED for token in followups.get(con, fid)["outcome"].split()]
    assert len(done) == THREADS * EDITS
    assert sorted(tokens) == sorted(done)  # every successful edit is in the data, exactly once
    versions = db.query(con, "SELECT follow_up_id, version FROM follow_ups WHERE follow_up_id IN (1, 2, 5)")
    assert versions["version"].sum() == len(SHARED) + THREADS * EDITS
    assert db.scalar(con, "SELECT count(*) FROM follow_up_events WHERE event_type = 'updated'") == THREADS * EDITS
    assert history.replay(con) == history.snapshot(con)
    con.close()
