"""Contact cadence per tier and follow-up deadlines: how often each tier's accounts should be contacted, which
interactions count as a contact, and what "due soon" means on the follow-up lists."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CadenceSettings:
    days_by_tier: tuple[int, ...] = field(default=(14, 30, 90), metadata={
        "help": "days between contacts for each tier, best tier first (A: 14, B: 30, C: 90); accounts in a tier "
                "beyond the list, or without a tier, take the last value"})
    contact_channels: tuple[str, ...] = field(default=("visit", "call", "email", "meeting", "wechat"), metadata={
        "help": "interaction channels that count as contacting the account (a complaint or a survey is the "
                "customer reaching us, not our contact)"})
    due_soon_days: int = field(default=7, metadata={
        "help": "a follow-up due within this many days from the as-of date (that day included) is 'due this week'"})
    new_follow_up_days: int = field(default=7, metadata={
        "help": "a follow-up created from a warning is due this many days after the as-of date"})
