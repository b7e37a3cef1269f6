"""Demo company, part 2: order lines and the monthly invoices (payments) derived from them.

In: a seeded numpy Generator, the planned accounts of kam/demo_accounts.py (with their profile columns), the
target line count, the story account ids and the end date. Out: `orders` and `payments` frames shaped like the
tables. Everything is vectorised (one numpy operation per column), so a million lines take seconds.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kam import demo_names as names

REVENUE_PER_ACCOUNT = 6_000_000.0   # average revenue of an account over the three years, in yuan
MEAN_LINES_PER_ORDER = 1.8          # 1 + Poisson(0.8) lines
RETURN_SHARE = 0.008                # order lines followed by a return line (negative quantity)
GROWTH_FACTOR = 3.0                 # the growing account's order size in the last 12 months vs before
SLIP_MIN_DAYS, SLIP_INTERVALS = 150, 4   # the slipping account stopped this long ago (days, or usual intervals)
FEBRUARY_DIP = 0.6                  # Spring Festival: February orders are smaller


def _ids(prefix: str, n: int, width: int) -> pd.Series:
    return prefix + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(max(width, len(str(n))))


def _order_headers(rng: np.random.Generator, acc: pd.DataFrame, n_lines: int, stories: dict[str, str],
                   end: dt.date) -> pd.DataFrame:
    """One row per order: account index, date and size, each account at its own rhythm."""
    first = acc["first_order"].to_numpy().astype("datetime64[D]")
    last = np.minimum(acc["last_order"].to_numpy().astype("datetime64[D]"), np.datetime64(end, "D"))
    active = np.maximum((last - first).astype("int64"), 1)
    share = acc["weight"].to_numpy() ** 0.45 * active   # big accounts order more often AND bigger
    count = np.maximum(1, np.round(n_lines / MEAN_LINES_PER_ORDER * share / share.sum())).astype("int64")
    interval = active / count
    who = np.repeat(np.arange(len(acc)), count)
    k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    offset = np.floor((k + 0.5 + rng.uniform(-0.35, 0.35, len(k))) * interval[who]).astype("int64")
    date = first[who] + offset.astype("timedelta64[D]")
    revenue = acc["weight"].to_numpy() * REVENUE_PER_ACCOUNT * len(acc)
    size = (revenue / count)[who] * rng.lognormal(-0.125, 0.5, len(k))
    orders = pd.DataFrame({"who": who, "order_date": date, "size": size})
    slipping = int(np.flatnonzero(acc["account_id"].to_numpy() == stories["slipping"])[0])
    stop = np.datetime64(end, "D") - int(max(SLIP_MIN_DAYS, SLIP_INTERVALS * interval[slipping]))
    orders = orders[(orders["order_date"] <= last[who]) & ~((who == slipping) & (orders["order_date"] > stop))]
    return _seasonality(orders, acc, stories, end)


def _seasonality(orders: pd.DataFrame, acc: pd.DataFrame, stories: dict[str, str], end: dt.date) -> pd.DataFrame:
    growing = int(np.flatnonzero(acc["account_id"].to_numpy() == stories["growing"])[0])
    recent = orders["order_date"].to_numpy() > np.datetime64(end - dt.timedelta(days=365), "D")
    factor = np.where((orders["who"].to_numpy() == growing) & recent, GROWTH_FACTOR, 1.0)
    february = pd.DatetimeIndex(orders["order_date"]).month == 2
    factor = factor * np.where(february, FEBRUARY_DIP, 1.0)
    return orders.assign(size=orders["size"].to_numpy() * factor)


def orders_frame(rng: np.random.Generator, acc: pd.DataFrame, n_lines: int, stories: dict[str, str],
                 end: dt.date) -> pd.DataFrame:
    """Order lines: product, quantity and unit price consistent with amount; some margins NULL; a few returns."""
    orders = _order_headers(rng, acc, n_lines, stories, end)
    orders = orders.sort_values(["order_date", "who"], kind="stable").reset_index(drop=True)
    orders["order_id"] = _ids("SO-", len(orders), 6)
    per = np.minimum(1 + rng.poisson(0.8, len(orders)), 5)
    lines = orders.loc[orders.index.repeat(per)].reset_index(drop=True)
    lines["line_no"] = lines.groupby("order_id").cumcount().to_numpy() + 1
    lines["size"] = lines["size"].to_numpy() / np.repeat(per, per)
    lines = _price(rng, lines, acc)
    return _with_returns(rng, lines)


def _price(rng: np.random.Generator, lines: pd.DataFrame, acc: pd.DataFrame) -> pd.DataFrame:
    """Pick a product the line's size can afford, then quantity and discounted price; amount = qty x price."""
    catalogue = sorted(names.PRODUCTS, key=lambda p: p[1])
    price = np.array([p[1] for p in catalogue])
    n = len(lines)
    who = lines["who"].to_numpy()
    affordable = np.maximum(np.searchsorted(price, lines["size"].to_numpy() * 1.5), 1)
    pick = np.minimum((rng.random(n) * affordable).astype("int64"), len(price) - 1)
    discount = rng.uniform(0.0, 0.15, len(acc))[who]
    unit = np.round(price[pick] * (1 - discount), 2)
    quantity = np.maximum(1, np.round(lines["size"].to_numpy() / unit))
    amount = np.round(quantity * unit, 2)
    margin_share = np.array([p[2] for p in catalogue])[pick] - discount + rng.normal(0, 0.03, n)
    margin = np.round(amount * margin_share, 2)
    unknown = acc["missing_margin"].to_numpy()[who] | (rng.random(n) < 0.03)
    return pd.DataFrame({"order_id": lines["order_id"], "line_no": lines["line_no"],
                         "account_id": acc["account_id"].to_numpy()[who], "order_date": lines["order_date"],
                         "amount": amount, "gross_margin": np.where(unknown, np.nan, margin),
                         "product": np.asarray([p[0] for p in catalogue], dtype=object)[pick],
                         "quantity": quantity, "unit_price": unit})


def _with_returns(rng: np.random.Generator, lines: pd.DataFrame) -> pd.DataFrame:
    """A few lines come back: an extra negative line on the same order, same product and price."""
    back = lines[rng.random(len(lines)) < RETURN_SHARE].copy()
    last_line = lines.groupby("order_id")["line_no"].max()
    back["line_no"] = back["order_id"].map(last_line).to_numpy() + back.groupby("order_id").cumcount().to_numpy() + 1
    share = np.ceil(back["quantity"].to_numpy() * rng.uniform(0.1, 1.0, len(back)))
    ratio = share / back["quantity"].to_numpy()
    back["quantity"] = -share
    back["amount"] = np.round(back["quantity"] * back["unit_price"], 2)
    back["gross_margin"] = np.round(-back["gross_margin"] * ratio, 2)
    out = pd.concat([lines, back], ignore_index=True)
    return out.sort_values(["order_id", "line_no"], kind="stable").reset_index(drop=True)


def payments_frame(rng: np.random.Generator, acc: pd.DataFrame, orders: pd.DataFrame, overdue_account: str,
                   end: dt.date) -> pd.DataFrame:
    """One invoice per account and month with net sales; paid on time mostly, late payers late, some still open."""
    month = orders["order_date"].to_numpy().astype("datetime64[M]")
    monthly = (orders.assign(month=month).groupby(["account_id", "month"], sort=True)["amount"].sum()
               .reset_index())
    monthly = monthly[monthly["amount"] > 0]
    invoice = np.minimum((monthly["month"].to_numpy().astype("datetime64[M]") + 1).astype("datetime64[D]") - 1,
                         np.datetime64(end, "D"))
    profile = acc.set_index("account_id").loc[monthly["account_id"]]
    due = invoice + profile["terms"].to_numpy().astype("timedelta64[D]")
    n = len(monthly)
    delay = profile["pay_delay"].to_numpy() + np.clip(np.round(rng.normal(-3, 6, n)), -10, None).astype("int64")
    forgotten = (rng.random(n) < 0.01) & ~profile["story"].to_numpy()   # the odd forgotten invoice
    delay = np.where(forgotten, rng.integers(100, 300, n), delay)
    paid_on = due + delay.astype("timedelta64[D]")
    settled = paid_on <= np.datetime64(end, "D")
    amount = np.round(monthly["amount"].to_numpy(), 2)
    partial = np.round(amount * rng.uniform(0.2, 0.8, n), 2) * (rng.random(n) < 0.3)
    frame = pd.DataFrame({"account_id": monthly["account_id"].to_numpy(), "invoice_date": invoice, "due_date": due,
                          "amount": amount, "amount_paid": np.where(settled, amount, partial),
                          "paid_date": pd.Series(paid_on).where(settled)})
    frame = _overdue_story(frame, overdue_account, end)
    frame = frame.sort_values(["invoice_date", "account_id"], kind="stable").reset_index(drop=True)
    frame.insert(0, "invoice_id", _ids("INV-", len(frame), 6))
    return frame


def _overdue_story(frame: pd.DataFrame, account_id: str, end: dt.date) -> pd.DataFrame:
    """The story: the account's largest invoice due 100-250 days ago is still open, 30% paid."""
    due = frame["due_date"].to_numpy()
    window = ((frame["account_id"] == account_id) & (due <= np.datetime64(end - dt.timedelta(days=100), "D"))
              & (due >= np.datetime64(end - dt.timedelta(days=250), "D")))
    pick = frame.loc[window, "amount"].idxmax()
    frame.loc[pick, "amount_paid"] = round(frame.loc[pick, "amount"] * 0.3, 2)
    frame.loc[pick, "paid_date"] = pd.NaT
    return frame
