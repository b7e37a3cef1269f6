"""Tier model settings: which measures make the tier score, their weights, the cut-offs between tiers, and the
period the KPI cards compare (the KPIs are read per tier, so they share this section)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TierSettings:
    method: str = field(default="weighted", metadata={
        "help": "weighted = multi-factor tier score; pareto = tiers by cumulative revenue share (80/20)"})
    labels: tuple[str, ...] = field(default=("A", "B", "C"), metadata={
        "help": "tier names from best to worst; 3 or 4 tiers"})
    weights: tuple[tuple[str, float], ...] = field(default=(
        ("revenue_12m", 0.40), ("gross_margin", 0.15), ("growth", 0.15), ("relationship", 0.10),
        ("breadth", 0.10), ("strategic", 0.05), ("pipeline", 0.05)), metadata={
        "help": "measure -> weight of the tier score; normalised to sum to 1"})
    score_cutoffs: tuple[float, ...] = field(default=(70.0, 40.0), metadata={
        "help": "tier score (0-100) at or above which an account reaches each tier but the last"})
    pareto_cutoffs: tuple[float, ...] = field(default=(0.8, 0.95), metadata={
        "help": "cumulative revenue share up to which accounts fall in each tier but the last"})
    last_tier_revenue_at_most: float = field(default=0.0, metadata={
        "help": "accounts whose revenue over the last 12 months is at or below this stay in the last tier"})
    key_tiers: int = field(default=1, metadata={
        "help": "how many of the best tiers count as key accounts in the KPIs (1 = the first tier only)"})
    kpi_period_months: int = field(default=3, metadata={
        "help": "length of the period the KPI cards report and compare with the one before (3 = a quarter)"})
    kpi_periods: int = field(default=8, metadata={"help": "number of periods in each KPI sparkline"})
