"""Demo company, part 1: owners, accounts (with each account's hidden buying profile) and contacts.

In: a seeded numpy Generator, the account count, the story account ids and the demo's end date. Out: DataFrames
shaped like the tables of kam/migrations/001_init.sql. `plan_accounts` also returns profile columns (weight,
first/last order date, payment habits) that kam/demo_orders.py uses and that are dropped before insertion.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kam import demo_names as names

ACCOUNT_COLUMNS = ["account_id", "name", "industry", "region", "owner", "created_date", "contract_end_date",
                   "strategic"]
HISTORY_DAYS = 3 * 365          # three years of orders up to the end date
ENGLISH_SHARE_IN_CHINA = 0.15   # foreign firms among the accounts of the Chinese regions
# Revenue concentration: weight of the rank-r account ~ (r + 4)^-1.3, so about 20% of the accounts carry about 80%
# of the revenue and the biggest about 10%.
ZIPF_EXPONENT, ZIPF_OFFSET = 1.3, 4


def owners_frame() -> pd.DataFrame:
    return pd.DataFrame(list(names.OWNERS), columns=["name", "manager", "team", "region", "email"]).assign(active=True)


def _weights(rng: np.random.Generator, n: int, story_ranks: dict[int, int]) -> np.ndarray:
    """Zipf-like buying weights; story accounts (index -> rank) get the weight of that rank."""
    zipf = (np.arange(n) + ZIPF_OFFSET) ** -ZIPF_EXPONENT
    ranked = np.sort(zipf * rng.lognormal(0.0, 0.25, n))[::-1]
    weights = np.empty(n)
    taken = set(story_ranks.values())
    others = [i for i in range(n) if i not in story_ranks]
    rest = rng.permutation([r for r in range(n) if r not in taken])
    weights[others] = ranked[rest]
    for index, rank in story_ranks.items():
        weights[index] = ranked[rank]
    return weights / weights.sum()


def _company_names(rng: np.random.Generator, regions: np.ndarray, industries: np.ndarray) -> list[str]:
    """Unique names: Chinese 城市+字号+行业+后缀, or English Brand + Industry + Suffix."""
    english = (regions == "Overseas") | (rng.random(len(regions)) < ENGLISH_SHARE_IN_CHINA)
    seen: set[str] = set()
    out = []
    for region, industry, is_en in zip(regions, industries, english):
        zh_words, en_words = names.INDUSTRY_WORDS[industry]
        while True:
            if is_en:
                name = f"{rng.choice(names.BRANDS_EN)} {rng.choice(en_words)} {rng.choice(names.SUFFIXES_EN)}"
            else:
                name = (f"{rng.choice(names.CITIES[region])}{rng.choice(names.BRANDS_ZH)}{rng.choice(zh_words)}"
                        f"{rng.choice(names.SUFFIXES_ZH)}")
            if name not in seen:
                break
        seen.add(name)
        out.append(name)
    return out


def _days(base: dt.date, offsets: np.ndarray) -> np.ndarray:
    return np.datetime64(base, "D") + np.asarray(offsets, dtype="int64").astype("timedelta64[D]")


def plan_accounts(rng: np.random.Generator, n: int, stories: dict[str, str], end: dt.date) -> pd.DataFrame:
    """Accounts plus profile columns: weight, lang, first_order, last_order, missing_margin, terms, pay_delay."""
    ids = [f"A{i:04d}" for i in range(1, n + 1)]
    index = {aid: i for i, aid in enumerate(ids)}
    story_ranks = {index[stories[key]]: rank for key, rank in STORY_RANKS.items()}
    owners = owners_frame()
    owner_pick = rng.integers(0, len(owners), n)
    region = owners["region"].to_numpy()[owner_pick]
    industry = np.asarray(names.INDUSTRIES)[rng.integers(0, len(names.INDUSTRIES), n)]
    frame = pd.DataFrame({"account_id": ids, "name": _company_names(rng, region, industry), "industry": industry,
                          "region": region, "owner": owners["name"].to_numpy()[owner_pick]})
    frame["weight"] = _weights(rng, n, story_ranks)
    frame["lang"] = np.where([any("\u4e00" <= c <= "\u9fff" for c in s) for s in frame["name"]], "zh", "en")
    frame = _dates(rng, frame, story_ranks, end)
    frame["strategic"] = (frame["weight"].rank(ascending=False) <= 10) & (rng.random(n) < 0.5) | (rng.random(n) < 0.03)
    frame["missing_margin"] = rng.random(n) < 0.10   # some ERPs do not export margin for every customer
    frame["terms"] = rng.choice([30, 60, 90], n, p=[0.6, 0.3, 0.1])
    frame["pay_delay"] = np.where(rng.random(n) < 0.12, rng.integers(20, 80, n), 0)  # habitual late payers
    return _clean_stories(frame, stories, end)


def _clean_stories(frame: pd.DataFrame, stories: dict[str, str], end: dt.date) -> pd.DataFrame:
    """Story accounts show their own story and nothing else: they pay on time and renew in over a year."""
    frame["story"] = frame["account_id"].isin(list(stories.values()))
    frame.loc[frame["story"], "pay_delay"] = 0
    frame.loc[frame["story"], "contract_end_date"] = np.datetime64(end + dt.timedelta(days=400), "D")
    frame.loc[frame["account_id"] == stories["contract_expiring"], "contract_end_date"] = \
        np.datetime64(end + dt.timedelta(days=21), "D")
    return frame


def _dates(rng: np.random.Generator, frame: pd.DataFrame, story_ranks: dict[int, int], end: dt.date) -> pd.DataFrame:
    """Customer since, first/last order date and contract end; story accounts are long-standing customers."""
    n = len(frame)
    window_start = end - dt.timedelta(days=HISTORY_DAYS)
    old = rng.random(n) < 0.7
    old[list(story_ranks)] = True
    created = np.where(old, -rng.integers(30, 7 * 365, n), rng.integers(0, HISTORY_DAYS - 90, n))
    frame["created_date"] = _days(window_start, created)
    frame["first_order"] = _days(window_start, np.maximum(created, 0) + rng.integers(0, 30, n))
    # a few long-standing accounts simply stopped buying, at any time of the history: spread over it, so the
    # churn and retention cards move from quarter to quarter, and some are still only slipping (no order lately)
    churned = (rng.random(n) < 0.06) & old
    churned[list(story_ranks)] = False
    frame["last_order"] = _days(end, np.where(churned, -rng.integers(200, 1000, n), 0))
    contract = rng.integers(-60, 730, n)
    contract = np.where(rng.random(n) < 0.10, rng.integers(1, 60, n), contract)   # renewals due soon
    frame["contract_end_date"] = pd.Series(_days(end, contract)).where(rng.random(n) >= 0.2)  # 20% no contract
    return frame


SUCCESSOR_ZH, SUCCESSOR_EN = "郑晓明", "Grace Walker"   # the key contact who replaced the one who left
# Story key -> rank of its account by buying weight (0 = biggest): the stories need big enough accounts to matter.
STORY_RANKS: dict[str, int] = {"rising_complaints": 0, "slipping": 1, "overdue_receivables": 2,
                               "contract_expiring": 4, "key_contact_left": 6, "growing": 9}


def contacts_frame(rng: np.random.Generator, accounts: pd.DataFrame, key_left: str, end: dt.date) -> pd.DataFrame:
    """2-5 contacts per account, the first one or two key; some left; the story account's key buyer left lately."""
    per = rng.integers(2, 6, len(accounts))
    acc = accounts.loc[accounts.index.repeat(per)].reset_index(drop=True)
    slot = acc.groupby("account_id").cumcount().to_numpy()
    n = len(acc)
    is_key = (slot == 0) | ((slot == 1) & (rng.random(n) < 0.5))
    zh = acc["lang"].to_numpy() == "zh"
    first = np.asarray(names.FIRST_EN)[rng.integers(0, len(names.FIRST_EN), n)]
    last = np.asarray(names.LAST_EN)[rng.integers(0, len(names.LAST_EN), n)]
    zh_name = (np.asarray(names.SURNAMES_ZH)[rng.integers(0, len(names.SURNAMES_ZH), n)].astype(object)
               + np.asarray(names.GIVEN_ZH)[rng.integers(0, len(names.GIVEN_ZH), n)].astype(object))
    role_pick = np.where(is_key, rng.integers(0, 3, n), rng.integers(3, len(names.ROLES_ZH), n))
    frm = acc["created_date"].to_numpy().astype("datetime64[D]") + rng.integers(0, 200, n).astype("timedelta64[D]")
    frm = np.minimum(frm, np.datetime64(end, "D"))
    span = (np.datetime64(end, "D") - frm).astype("int64")
    left = rng.random(n) < 0.10
    to = pd.Series(frm + (span * rng.random(n)).astype("int64").astype("timedelta64[D]")).where(left)
    frame = pd.DataFrame({
        "account_id": acc["account_id"], "name": np.where(zh, zh_name, first.astype(object) + " " + last),
        "role": np.where(zh, np.asarray(names.ROLES_ZH)[role_pick], np.asarray(names.ROLES_EN)[role_pick]),
        "phone": [f"1{p:010d}" for p in rng.integers(3_000_000_000, 9_000_000_000, n)],
        "email": pd.Series(np.char.lower((first.astype(str) + "." + last.astype(str)))).where(~zh) + "@example.com",
        "is_key": is_key, "active_from": frm, "active_to": to})
    frame = pd.concat([frame, _key_contact_change(frame, key_left, end)], ignore_index=True)
    frame = frame.sort_values(["account_id", "active_from", "name"], kind="stable").reset_index(drop=True)
    frame.insert(0, "contact_id", [f"C{i:05d}" for i in range(1, len(frame) + 1)])
    return frame


def _key_contact_change(frame: pd.DataFrame, account_id: str, end: dt.date) -> pd.DataFrame:
    """The story: the account's main key contact left 25 days before `end`; a successor started 5 days later."""
    first_key = frame.index[(frame["account_id"] == account_id) & frame["is_key"]][0]
    frame.loc[first_key, "active_to"] = np.datetime64(end - dt.timedelta(days=25), "D")
    successor = frame.loc[[first_key]].copy()
    successor["name"] = SUCCESSOR_ZH if pd.isna(frame.loc[first_key, "email"]) else SUCCESSOR_EN
    successor["email"] = None if pd.isna(frame.loc[first_key, "email"]) else "grace.walker@example.com"
    successor["active_from"] = np.datetime64(end - dt.timedelta(days=20), "D")
    successor["active_to"] = pd.NaT
    return successor
