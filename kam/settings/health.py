"""Health score settings: measures, their weights and bands, and the bands of the total."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class HealthSettings:
    window_days: int = field(default=90, metadata={"help": "length of the period measures look back over"})
    weights: tuple[tuple[str, float], ...] = field(default=(
        ("order_recency", 0.25), ("order_frequency", 0.15), ("revenue_trend", 0.15), ("receivables", 0.15),
        ("engagement", 0.10), ("complaints", 0.10), ("nps", 0.05), ("key_contacts", 0.05)), metadata={
        "help": "measure -> weight; measures without data are left out and the rest renormalised"})
    red_below: float = field(default=50.0, metadata={"help": "a score below this is red"})
    green_from: float = field(default=75.0, metadata={"help": "a score at or above this is green"})
