"""Contact cadence per tier: how often each tier's accounts should be contacted."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CadenceSettings:
    days_by_tier: tuple[int, ...] = field(default=(14, 30, 90), metadata={
        "help": "days between contacts for each tier, best tier first (A: 14, B: 30, C: 90)"})
