"""kam.interaction_facts: by hand on the tiny fixture (tests/fixtures/tiny/interactions.csv), and against a plain
per-date reference (loops over the rows) on random interactions."""
import dataclasses
import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

from kam import db
from kam.interaction_facts import INTERACTION_COLUMNS, interaction_facts
from kam.settings import Settings

DEFAULTS = Settings()   # health window 90 days, complaints window 90, NPS lookback 365, engagement visit/call/...


def _row(found: dict, date_index: int, account_index: int) -> dict:
    return {name: found[name][date_index, account_index] for name in INTERACTION_COLUMNS}


def test_by_hand_on_the_tiny_fixture(tiny):
    found = interaction_facts(tiny, DEFAULTS, [dt.date(2026, 6, 30)], ["A001", "A002", "A003"])
    a001, a002, a003 = (_row(found, 0, k) for k in range(3))
    # A001: a visit on 2026-05-20 (engagement) and a complaint on 2026-06-10 (not an engagement channel)
    assert a001["interactions"] == 2 and a001["last_engagement_date"] == np.datetime64("2026-05-20")
    assert a001["days_since_engagement"] == 41
    assert (a001["complaints_health"], a001["complaints_now"], a001["complaints_before"]) == (1, 1, 0)
    assert np.isnan(a001["nps_latest"]) and np.isnat(a001["nps_date"])
    # A002: one survey answering 9 on 2026-04-02, no engagement
    assert a002["interactions"] == 1 and np.isnat(a002["last_engagement_date"])
    assert (a002["nps_latest"], a002["nps_date"]) == (9.0, np.datetime64("2026-04-02"))
    assert a003["interactions"] == 0 and np.isnan(a003["days_since_engagement"])


def test_the_complaint_moves_to_the_window_before_and_the_answer_ages_out(tiny):
    later = [dt.date(2026, 9, 7), dt.date(2026, 9, 8), dt.date(2027, 4, 2), dt.date(2027, 4, 3)]
    found = interaction_facts(tiny, DEFAULTS, later, ["A001", "A002"])
    # the complaint of 2026-06-10 is 89 days old on 2026-09-07, in the window; 90 days old the next day, in the
    # window before, (as_of - 180, as_of - 90]
    assert found["complaints_now"][:2, 0].tolist() == [1, 0]
    assert found["complaints_before"][:2, 0].tolist() == [0, 1]
    # the NPS answer of 2026-04-02 is 365 days old on 2027-04-02, beyond the lookback (as_of - 365, as_of]
    assert found["nps_latest"][:, 1].tolist()[:2] == [9.0, 9.0] and np.isnan(found["nps_latest"][2:, 1]).all()


def _random_interactions(seed: int):
    rng = random.Random(seed)
    con = db.connect()
    accounts = [f"A{k:02d}" for k in range(8)]
    rows = []
    for k, account in enumerate(accounts[:-1]):   # the last account has no interactions
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(100))
        for n in range(rng.randrange(1, 50)):
            channel = rng.choice(["visit", "call", "email", "complaint", "survey", "wechat"])
            nps = rng.randrange(11) if channel == "survey" else None
            rows.append((f"{account}-{n}", account, day, channel, nps))
            day += dt.timedelta(days=rng.choice([0, 0, 1, 5, 20, 60]))   # several on one day too
    with db.transaction(con):
        db.insert_frame(con, "accounts", pd.DataFrame({"account_id": accounts, "name": accounts}))
        db.insert_frame(con, "interactions", pd.DataFrame(
            rows, columns=["interaction_id", "account_id", "interaction_date", "channel", "nps"]).astype(
            {"nps": "Int32"}))
    return con, accounts, rows


def _reference(rows, account: str, as_of: dt.date, settings: Settings) -> dict:
    hs, window = settings.health, settings.risk.complaints_window_days
    mine = [r for r in rows if r[1] == account and r[2] <= as_of]
    engaged = [r[2] for r in mine if r[3] in hs.engagement_channels]
    complaints = [(as_of - r[2]).days for r in mine if r[3] == "complaint"]
    in_window = sorted(r[2] for r in mine if r[3] == "complaint" and (as_of - r[2]).days < window)
    nth = settings.risk.complaints_min
    answers = [(r[2], -r[4]) for r in mine if r[4] is not None and (as_of - r[2]).days < hs.nps_lookback_days]
    latest = max(answers) if answers else None     # the latest day; on that day the lowest answer
    return {"interactions": len(mine), "last_engagement_date": max(engaged) if engaged else None,
            "complaints_health": sum(a < hs.window_days for a in complaints),
            "complaints_now": sum(a < window for a in complaints),
            "complaints_before": sum(window <= a < 2 * window for a in complaints),
            "complaint_since": in_window[nth - 1] if len(in_window) >= nth else None,
            "nps_latest": None if latest is None else -latest[1], "nps_date": None if latest is None else latest[0]}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_fact_equals_the_per_date_reference_on_random_interactions(seed):
    con, accounts, rows = _random_interactions(seed)
    dates = [dt.date(2023, 12, 31), dt.date(2024, 3, 1), dt.date(2024, 7, 1), dt.date(2025, 2, 28),
             dt.date(2026, 1, 1)]
    found = interaction_facts(con, DEFAULTS, dates, accounts)
    for j, as_of in enumerate(dates):
        for k, account in enumerate(accounts):
            got = _row(found, j, k)
            plain = {name: (None if np.isnat(v) else v.astype(dt.date)) if isinstance(v, np.datetime64)
                     else (None if np.isnan(v) else v) if isinstance(v, float) else v for name, v in got.items()}
            want = _reference(rows, account, as_of, DEFAULTS)
            assert {name: plain[name] for name in want} == want, (as_of, account)


def test_complaint_since_is_the_day_the_window_reached_the_threshold(tiny):
    # A001's one complaint (2026-06-10): below the default threshold of 2; with a threshold of 1, that day, while
    # it stays in the 90-day window (89 days old on 2026-09-07, out on 2026-09-08)
    dates = [dt.date(2026, 6, 30), dt.date(2026, 9, 7), dt.date(2026, 9, 8)]
    assert np.isnat(interaction_facts(tiny, DEFAULTS, dates, ["A001"])["complaint_since"]).all()
    one = dataclasses.replace(DEFAULTS, risk=dataclasses.replace(DEFAULTS.risk, complaints_min=1))
    since = interaction_facts(tiny, one, dates, ["A001", "A003"])["complaint_since"]
    assert since[:2, 0].tolist() == [np.datetime64("2026-06-10")] * 2 and np.isnat(since[2, 0])
    assert np.isnat(since[:, 1]).all()   # A003: no interactions
