"""Early-warning rule thresholds, severities, and how far back "active since" is traced."""
from __future__ import annotations

from dataclasses import dataclass, field

RULES = ("no_order", "revenue_drop", "order_count_drop", "complaints_up", "nps_low", "key_contact_left",
         "contract_ending", "receivables_overdue", "health_drop")


@dataclass(frozen=True)
class RiskSettings:
    overdue_interval_multiple: float = field(default=2.0, metadata={
        "help": "no_order: warn when days since the last order exceed this multiple of the account's usual interval"})
    comparison_window_days: int = field(default=90, metadata={
        "help": "revenue_drop and order_count_drop compare the last N days with the same N days one year earlier"})
    revenue_drop_pct: float = field(default=30.0, metadata={
        "help": "revenue_drop: warn when revenue is down at least this % against the same period last year"})
    order_count_drop_pct: float = field(default=30.0, metadata={
        "help": "order_count_drop: warn when the number of orders is down at least this % against last year"})
    complaints_window_days: int = field(default=90, metadata={"help": "complaints_up: days counted"})
    complaints_min: int = field(default=2, metadata={
        "help": "complaints_up: warn when at least this many complaints came in the window"})
    nps_below: float = field(default=7.0, metadata={
        "help": "nps_low: warn when the latest NPS answer (within the health NPS lookback) is below this"})
    key_contact_left_days: int = field(default=90, metadata={
        "help": "key_contact_left: warn when a key contact left within this many days"})
    contract_ending_days: int = field(default=60, metadata={
        "help": "contract_ending: warn when the contract ends within this many days"})
    receivable_overdue_days: int = field(default=60, metadata={
        "help": "receivables_overdue: warn when an open invoice is this many days past due"})
    receivable_overdue_amount: float = field(default=100_000.0, metadata={
        "help": "receivables_overdue: also warn when the overdue amount reaches this (base currency); 0 = off"})
    health_drop_points: float = field(default=15.0, metadata={
        "help": "health_drop: warn when health fell at least this many points"})
    health_drop_days: int = field(default=30, metadata={
        "help": "health_drop: compare health now with health this many days earlier"})
    severities: tuple[tuple[str, str], ...] = field(default=(
        ("no_order", "high"), ("revenue_drop", "high"), ("health_drop", "high"), ("contract_ending", "medium"),
        ("complaints_up", "medium"), ("key_contact_left", "medium"), ("receivables_overdue", "medium"),
        ("order_count_drop", "low"), ("nps_low", "low")), metadata={
        "help": "rule -> severity (high, medium, low); the risk list sorts by it, then by revenue at risk"})
    disabled_rules: tuple[str, ...] = field(default=(), metadata={"help": "rules that never warn"})
    since_step_days: int = field(default=7, metadata={
        "help": "trend rules (revenue_drop, order_count_drop, health_drop) trace 'active since' by re-checking "
                "the rule every N days back"})
    since_max_steps: int = field(default=12, metadata={
        "help": "how many re-checks back at most; a warning older than that shows the oldest date checked"})
