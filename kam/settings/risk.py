"""Early-warning rule thresholds."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RiskSettings:
    overdue_interval_multiple: float = field(default=2.0, metadata={
        "help": "warn when days since the last order exceed this multiple of the account's usual interval"})
    revenue_drop_pct: float = field(default=30.0, metadata={
        "help": "warn when revenue is down this % against the same period last year"})
    contract_ending_days: int = field(default=60, metadata={"help": "warn when the contract ends within this many days"})
    receivable_overdue_days: int = field(default=60, metadata={"help": "warn when an invoice is this many days overdue"})
    nps_below: float = field(default=7.0, metadata={"help": "warn when the latest NPS answer is below this"})
    health_drop_points: float = field(default=15.0, metadata={"help": "warn when health fell this many points"})
