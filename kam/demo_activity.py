"""Demo company, part 3: interactions (contacts, complaints, NPS surveys) and the follow-up history.

In: a seeded numpy Generator, the planned accounts (kam/demo_accounts.py), the story account ids and the end date.
Out: `interactions`, `follow_ups` and `follow_up_events` frames shaped like the tables (follow-up ids are assigned
by the caller, which reserves them from the sequence). Channels and statuses are the canonical values of kam.vocab.
"""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd

from kam import demo_names as names
from kam.demo_accounts import HISTORY_DAYS

CONTACT_CHANNELS = ("visit", "call", "email", "meeting", "wechat", "complaint", "other")
CONTACT_SHARES = (0.20, 0.25, 0.19, 0.08, 0.23, 0.03, 0.02)
CONTACTS_PER_YEAR = (8, 40)       # smallest to biggest account
SURVEY_EVERY_DAYS = 182           # NPS survey twice a year, for the accounts that answer
STORY_COMPLAINT_DAYS = (80, 61, 40, 22, 9)              # days before `end`
STORY_NPS = ((700, 9), (520, 9), (340, 7), (160, 5), (25, 2))   # (days before `end`, answer): falling
EDITABLE = ("account_id", "owner", "due_date", "channel", "action", "status", "outcome", "next_step",
            "next_step_date", "warning_rule")


def _start(acc: pd.DataFrame, end: dt.date) -> np.ndarray:
    window = np.datetime64(end - dt.timedelta(days=HISTORY_DAYS), "D")
    return np.maximum(acc["created_date"].to_numpy().astype("datetime64[D]"), window)


def _texts(rng: np.random.Generator, channel: np.ndarray, zh: np.ndarray) -> np.ndarray:
    out = np.empty(len(channel), dtype=object)
    for ch, (zh_pool, en_pool) in names.SUMMARIES.items():
        here = channel == ch
        out[here] = np.where(zh[here], np.asarray(zh_pool, dtype=object)[rng.integers(0, len(zh_pool), here.sum())],
                             np.asarray(en_pool, dtype=object)[rng.integers(0, len(en_pool), here.sum())])
    out[channel == "other"] = None
    return out


def interactions_frame(rng: np.random.Generator, acc: pd.DataFrame, complaints_account: str,
                       end: dt.date) -> pd.DataFrame:
    start = _start(acc, end)
    days = (np.datetime64(end, "D") - start).astype("int64")
    size = np.sqrt(acc["weight"].to_numpy() / acc["weight"].max())
    rate = CONTACTS_PER_YEAR[0] + (CONTACTS_PER_YEAR[1] - CONTACTS_PER_YEAR[0]) * size
    count = np.round(rate * days / 365).astype("int64")
    who = np.repeat(np.arange(len(acc)), count)
    date = start[who] + (rng.random(len(who)) * days[who]).astype("int64").astype("timedelta64[D]")
    channel = np.asarray(CONTACT_CHANNELS)[rng.choice(len(CONTACT_CHANNELS), len(who), p=CONTACT_SHARES)]
    rated = np.isin(channel, ("visit", "meeting", "call")) & (rng.random(len(who)) < 0.3)
    satisfaction = np.where(rated, rng.choice([1, 2, 3, 4, 5], len(who), p=[.03, .07, .2, .4, .3]), np.nan)
    contacts = pd.DataFrame({"who": who, "interaction_date": date, "channel": channel,
                             "satisfaction": satisfaction, "nps": pd.array([None] * len(who), dtype="Int64")})
    frame = pd.concat([contacts, _surveys(rng, acc, start, end)], ignore_index=True)
    frame = _complaints_story(frame, acc, complaints_account, end)
    owners = acc["owner"].to_numpy()
    cover = rng.random(len(frame)) < 0.05   # a colleague covered for the owner
    frame["owner"] = np.where(cover, np.roll(owners, 1)[frame["who"]], owners[frame["who"]])
    frame["account_id"] = acc["account_id"].to_numpy()[frame["who"]]
    frame["summary"] = _texts(rng, frame["channel"].to_numpy(), acc["lang"].to_numpy()[frame["who"]] == "zh")
    frame = frame.sort_values(["interaction_date", "account_id", "channel"], kind="stable").reset_index(drop=True)
    frame.insert(0, "interaction_id", "I" + pd.Series(np.arange(1, len(frame) + 1)).astype(str).str.zfill(6))
    return frame.drop(columns="who")


def _surveys(rng: np.random.Generator, acc: pd.DataFrame, start: np.ndarray, end: dt.date) -> pd.DataFrame:
    """Twice-yearly NPS answers from the 60% of accounts that answer, around each account's own level."""
    answers = rng.random(len(acc)) < 0.6
    count = np.where(answers, (np.datetime64(end, "D") - start).astype("int64") // SURVEY_EVERY_DAYS, 0)
    who = np.repeat(np.arange(len(acc)), count)
    k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    date = start[who] + (k * SURVEY_EVERY_DAYS + rng.integers(30, 150, len(who))).astype("timedelta64[D]")
    # Levels and a symmetric one-point spread that give a B2B-typical NPS of about +35, with a few detractors.
    level = np.where(acc["story"].to_numpy(), 9, rng.choice([6, 8, 9, 10], len(acc), p=[.15, .4, .3, .15]))
    nps = np.clip(level[who] + rng.integers(-1, 2, len(who)), 0, 10)
    keep = date <= np.datetime64(end, "D")
    return pd.DataFrame({"who": who[keep], "interaction_date": date[keep], "channel": "survey",
                         "satisfaction": np.nan, "nps": pd.array(nps[keep], dtype="Int64")})


def _complaints_story(frame: pd.DataFrame, acc: pd.DataFrame, account_id: str, end: dt.date) -> pd.DataFrame:
    """The story: five complaints in the last 90 days and NPS answers falling from 9 to 2."""
    who = int(np.flatnonzero(acc["account_id"].to_numpy() == account_id)[0])
    scripted = frame["channel"].isin(["complaint", "survey"]) & (frame["who"] == who)
    base = np.datetime64(end, "D")
    complaints = pd.DataFrame({"who": who, "channel": "complaint", "satisfaction": np.nan,
                               "interaction_date": [base - d for d in STORY_COMPLAINT_DAYS],
                               "nps": pd.array([None] * len(STORY_COMPLAINT_DAYS), dtype="Int64")})
    surveys = pd.DataFrame({"who": who, "channel": "survey", "satisfaction": np.nan,
                            "interaction_date": [base - d for d, _ in STORY_NPS],
                            "nps": pd.array([v for _, v in STORY_NPS], dtype="Int64")})
    return pd.concat([frame[~scripted], complaints, surveys], ignore_index=True)


# Story key -> (warning rule, status, days from `end` to due date): the follow-ups the story accounts carry.
STORY_FOLLOW_UPS: dict[str, tuple[str, str, int]] = {
    "slipping": ("no_order", "open", -6), "rising_complaints": ("complaints_up", "in_progress", 3),
    "overdue_receivables": ("receivables_overdue", "done", -12), "contract_expiring": ("contract_ending", "open", 10),
    "key_contact_left": ("key_contact_left", "open", 7)}


def follow_ups_frame(rng: np.random.Generator, acc: pd.DataFrame, stories: dict[str, str], end: dt.date,
                     managers: dict[str, str]) -> pd.DataFrame:
    """Two follow-ups per account on average (more for big ones): done, cancelled, open, in progress, overdue."""
    n = 2 * len(acc)
    p = acc["weight"].to_numpy() ** 0.3
    who = rng.choice(len(acc), n, p=p / p.sum())
    created = np.datetime64(end, "D") - rng.integers(1, 400, n)
    due = created + rng.integers(3, 30, n)
    past = due < np.datetime64(end, "D") - 7
    status = np.where(past, rng.choice(["done", "cancelled", "open", "in_progress"], n, p=[.8, .08, .08, .04]),
                      rng.choice(["open", "in_progress"], n, p=[.7, .3]))
    rules = [r for r in names.FOLLOW_UP_ACTIONS if r]
    rule = np.where(rng.random(n) < 0.3, np.asarray(rules, dtype=object)[rng.integers(0, len(rules), n)], "")
    frame = pd.DataFrame({"who": who, "created": created, "due_date": due, "status": status, "warning_rule": rule})
    frame = pd.concat([frame, _story_follow_ups(acc, stories, end)], ignore_index=True)
    return _follow_up_texts(rng, frame, acc, end, managers)


def _story_follow_ups(acc: pd.DataFrame, stories: dict[str, str], end: dt.date) -> pd.DataFrame:
    ids = acc["account_id"].tolist()
    rows = [{"who": ids.index(stories[key]), "created": np.datetime64(end, "D") + due - 14,
             "due_date": np.datetime64(end, "D") + due, "status": status, "warning_rule": rule}
            for key, (rule, status, due) in STORY_FOLLOW_UPS.items()]
    return pd.DataFrame(rows)


def _follow_up_texts(rng: np.random.Generator, frame: pd.DataFrame, acc: pd.DataFrame, end: dt.date,
                     managers: dict[str, str]) -> pd.DataFrame:
    """Owner, channel, action/outcome text in the account's language, who wrote it and when."""
    n, who = len(frame), frame["who"].to_numpy()
    zh = acc["lang"].to_numpy()[who] == "zh"
    lang = np.where(zh, 0, 1)
    owner = acc["owner"].to_numpy()[who]
    done = frame["status"].to_numpy() == "done"
    outcome = np.asarray([o[i] for o, i in zip(rng.choice(np.asarray(names.OUTCOMES, dtype=object), n), lang)])
    step = np.asarray([s[i] for s, i in zip(rng.choice(np.asarray(names.NEXT_STEPS, dtype=object), n), lang)])
    has_step = done & (rng.random(n) < 0.4)
    due = frame["due_date"].to_numpy().astype("datetime64[D]")
    finished = np.minimum(due + rng.integers(-3, 6, n), np.datetime64(end, "D"))
    by_manager = rng.random(n) < 0.2
    created_by = np.where(by_manager, [managers[o] for o in owner], owner)
    closed = np.isin(frame["status"].to_numpy(), ("done", "cancelled"))
    created_at = (frame["created"].to_numpy().astype("datetime64[D]").astype("datetime64[s]")
                  + rng.integers(9 * 3600, 12 * 3600, n))
    updated_at = np.where(closed, finished.astype("datetime64[s]") + 17 * 3600, created_at)
    out = pd.DataFrame({
        "account_id": acc["account_id"].to_numpy()[who], "owner": owner,
        "due_date": due,
        "channel": np.asarray(("visit", "call", "meeting", "wechat", "email"))[rng.integers(0, 5, n)],
        "action": [names.FOLLOW_UP_ACTIONS[r][i] for r, i in zip(frame["warning_rule"], lang)],
        "status": frame["status"].to_numpy(), "outcome": np.where(done, outcome, None),
        "next_step": np.where(has_step, step, None),
        "next_step_date": pd.Series(finished + 14).where(has_step).to_numpy(),
        "warning_rule": frame["warning_rule"].replace("", None),
        "created_by": created_by, "created_at": created_at,
        "updated_by": np.where(closed, owner, created_by), "updated_at": updated_at, "version": 1})
    return out.sort_values(["created_at", "account_id"], kind="stable").reset_index(drop=True)


def _iso(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date().isoformat() if not isinstance(value, str) else value


def events_frame(follow_ups: pd.DataFrame) -> pd.DataFrame:
    """One 'created' event per follow-up (version 1) whose new_values replay to the row's editable columns."""
    date_cols = {"due_date", "next_step_date"}
    bodies = [json.dumps({c: (_iso(row[c]) if c in date_cols else (None if pd.isna(row[c]) else row[c]))
                          for c in EDITABLE}, ensure_ascii=False)
              for row in follow_ups[list(EDITABLE)].to_dict("records")]
    return pd.DataFrame({"follow_up_id": follow_ups["follow_up_id"], "event_type": "created", "version": 1,
                         "changed_by": follow_ups["created_by"], "changed_at": follow_ups["created_at"],
                         "old_values": None, "new_values": bodies})
