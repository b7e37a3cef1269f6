"""Demo company, part 4: opportunities moving through the configured sales stages, with their stage history.

In: a seeded numpy Generator, the planned accounts, the opportunity count, the stage list of
kam.settings.funnel.FunnelSettings and the end date. Out: `opportunities` and `opportunity_stage_history` frames.
Each deal walks the open stages in order (some skip one), then is won, lost, or still open at `end`; deals that
were meant to sit still become stalled; two lost deals are reopened.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kam import demo_names as names

FATES = ("won", "lost", "open")
FATE_SHARES = (0.40, 0.54, 0.06)     # 'open' deals never move again: old ones are the stalled deals
NO_ACCOUNT_SHARE = 0.03              # raw CRM exports carry deals not yet linked to a customer
SKIP_SHARE = 0.12                    # deals that jump over one stage
DAYS_PER_STAGE = (2.0, 12.0)         # gamma shape, scale: time spent in a stage
PIPELINE_DAYS = 730


def _stage_names(stages: tuple[tuple[str, float, str, int], ...]) -> tuple[list[str], str, str]:
    opened = [s[0] for s in stages if s[2] == "open"]
    won = next(s[0] for s in stages if s[2] == "won")
    lost = next(s[0] for s in stages if s[2] == "lost")
    return opened, won, lost


def _entries(rng: np.random.Generator, n: int, n_open: int, end: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Entry day (offset from `end`, NaN = never) of each open stage plus a closing column; and the fate index."""
    created = -rng.integers(5, PIPELINE_DAYS, n).astype(float)
    steps = rng.gamma(*DAYS_PER_STAGE, (n, n_open)).round() + 1
    entry = created[:, None] + np.concatenate([np.zeros((n, 1)), np.cumsum(steps, axis=1)], axis=1)
    fate = rng.choice(len(FATES), n, p=FATE_SHARES)
    reach = np.where(fate == 0, n_open - 1, rng.integers(0, n_open, n))   # last open stage the deal enters
    entry[:, n_open] = np.where(fate == 2, np.nan, entry[np.arange(n), reach + 1])   # closed after `reach`
    col = np.arange(n_open + 1)[None, :]
    entry[(col > reach[:, None]) & (col < n_open)] = np.nan
    skipped = rng.random(n) < SKIP_SHARE
    skip_col = rng.integers(1, max(n_open - 1, 2), n)                       # never the first stage
    skip_row = skipped & (skip_col < reach)
    entry[skip_row, skip_col[skip_row]] = np.nan
    entry[entry > 0] = np.nan   # what lies after `end` has not happened yet
    return entry, fate


def _parties(rng: np.random.Generator, acc: pd.DataFrame, n: int) -> pd.DataFrame:
    """Account (bigger accounts have more deals; a few deals have none), owner, deal name and amount."""
    p = acc["weight"].to_numpy() ** 0.6
    who = rng.choice(len(acc), n, p=p / p.sum())
    linked = rng.random(n) >= NO_ACCOUNT_SHARE
    zh = np.where(linked, acc["lang"].to_numpy()[who] == "zh", True)
    topic = np.where(zh, np.asarray(names.DEAL_TOPICS_ZH, dtype=object)[rng.integers(0, 9, n)],
                     np.asarray(names.DEAL_TOPICS_EN, dtype=object)[rng.integers(0, 9, n)])
    owner = np.where(linked, acc["owner"].to_numpy()[who], acc["owner"].to_numpy()[rng.integers(0, len(acc), n)])
    size = acc["weight"].to_numpy()[who] * len(acc)
    return pd.DataFrame({"account_id": np.where(linked, acc["account_id"].to_numpy()[who], None), "name": topic,
                         "owner": owner, "amount": np.round(rng.lognormal(12, 0.8, n) * np.sqrt(size), -3)})


def opportunities_frame(rng: np.random.Generator, acc: pd.DataFrame, n: int,
                        stages: tuple[tuple[str, float, str, int], ...],
                        end: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    opened, won, lost = _stage_names(stages)
    entry, fate = _entries(rng, n, len(opened), end)
    names_matrix = np.column_stack([np.tile(np.asarray(opened, dtype=object), (n, 1)), np.where(fate == 0, won, lost)])
    last_col = entry.shape[1] - 1 - np.argmax(~np.isnan(entry[:, ::-1]), axis=1)   # the stage it is in now
    stage = names_matrix[np.arange(n), last_col]
    kind = np.where(stage == won, "won", np.where(stage == lost, "lost", "open"))
    base = np.datetime64(end, "D")
    created = base + entry[:, 0].astype("int64")
    reason = np.asarray(names.LOSS_REASONS, dtype=object)[rng.integers(0, len(names.LOSS_REASONS), n)]
    frame = _parties(rng, acc, n).assign(
        stage=stage,
        probability=np.where((kind == "open") & (rng.random(n) < 0.2), rng.choice([.2, .4, .6, .8], n), np.nan),
        created_date=created, expected_close_date=created + rng.integers(45, 180, n),
        closed_date=pd.Series(base + np.nan_to_num(entry[:, -1]).astype("int64")).where(kind != "open"),
        status=kind, loss_reason=np.where((kind == "lost") & (rng.random(n) < 0.9), reason, None))
    order = np.lexsort((frame["amount"].to_numpy(), created))   # ids follow creation
    frame = frame.iloc[order].reset_index(drop=True)
    frame.insert(0, "opportunity_id", "OP-" + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(5))
    history = _history(entry[order], names_matrix[order], frame["opportunity_id"].to_numpy(), base)
    return _reopen(frame, history, opened[-1], won, base)


def _history(entry: np.ndarray, names_matrix: np.ndarray, ids: np.ndarray, base: np.datetime64) -> pd.DataFrame:
    row, col = np.nonzero(~np.isnan(entry))
    return pd.DataFrame({"opportunity_id": ids[row], "stage": names_matrix[row, col],
                         "entered_date": base + entry[row, col].astype("int64")})


def _reopen(frame: pd.DataFrame, history: pd.DataFrame, last_open: str, won: str,
            base: np.datetime64) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two deals lost long enough ago come back to the last open stage; the first of them is then won."""
    candidates = frame.index[(frame["status"] == "lost") & (frame["closed_date"] < base - 90)][:2]
    extra = []
    for i, pos in enumerate(candidates):
        back = frame.loc[pos, "closed_date"].to_datetime64().astype("datetime64[D]") + 20
        extra.append((frame.loc[pos, "opportunity_id"], last_open, back))
        frame.loc[pos, ["stage", "status", "loss_reason", "closed_date"]] = [last_open, "open", None, pd.NaT]
        if i == 0:
            extra.append((frame.loc[pos, "opportunity_id"], won, back + 25))
            frame.loc[pos, ["stage", "status", "closed_date"]] = [won, "won", back + 25]
    more = pd.DataFrame(extra, columns=["opportunity_id", "stage", "entered_date"])
    history = pd.concat([history, more], ignore_index=True)
    return frame, history.sort_values(["opportunity_id", "entered_date"], kind="stable").reset_index(drop=True)
