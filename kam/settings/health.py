"""Health score settings: measures, their weights, their scoring curves and bands, and the bands of the total.

Every measure is scored 0-100 on a straight ramp between two points: `bad_at` (score 0 at or beyond it) and
`good_at` (score 100 at or beyond it), so a curve reads as "100 up to 1x the usual interval, 0 from 3x".
"""
from __future__ import annotations

from dataclasses import dataclass, field

MEASURES = ("order_recency", "order_frequency", "revenue_trend", "receivables", "engagement", "complaints", "nps",
            "key_contacts")


@dataclass(frozen=True)
class HealthSettings:
    window_days: int = field(default=90, metadata={
        "help": "days the complaint and key-contact measures look back over"})
    trend_window_days: int = field(default=180, metadata={
        "help": "order frequency and revenue trend compare the last N days with the same N days one year earlier"})
    interval_lookback_days: int = field(default=730, metadata={
        "help": "the usual interval between orders is the median gap between order dates in the last N days"})
    interval_min_orders: int = field(default=2, metadata={
        "help": "distinct order dates needed before an account has a usual interval (else recency is unknown)"})
    engagement_channels: tuple[str, ...] = field(default=("visit", "call", "meeting", "wechat"), metadata={
        "help": "interaction channels that count as engagement for the engagement-recency measure"})
    nps_lookback_days: int = field(default=365, metadata={
        "help": "the latest NPS answer counts only when it is at most this many days old"})
    weights: tuple[tuple[str, float], ...] = field(default=(
        ("order_recency", 0.25), ("order_frequency", 0.15), ("revenue_trend", 0.15), ("receivables", 0.15),
        ("engagement", 0.10), ("complaints", 0.10), ("nps", 0.05), ("key_contacts", 0.05)), metadata={
        "help": "measure -> weight; measures without data are left out and the rest renormalised"})
    curves: tuple[tuple[str, float, float], ...] = field(default=(
        ("order_recency", 3.0, 1.0), ("order_frequency", -0.5, 0.0), ("revenue_trend", -0.5, 0.0),
        ("receivables", 90.0, 0.0), ("receivables_amount", 0.25, 0.0), ("engagement", 120.0, 30.0),
        ("complaints", 3.0, 0.0), ("nps", 6.0, 9.0), ("key_contacts", 2.0, 0.0)), metadata={
        "help": "measure -> (bad_at, good_at): the value scoring 0 and the value scoring 100, linear between. "
                "order_recency: days since last order / usual interval; order_frequency, revenue_trend: change vs "
                "a year earlier (-0.5 = -50%); receivables: days the oldest open invoice is overdue; "
                "receivables_amount: overdue amount / revenue of the last 12 months (the receivables score is "
                "the lower of the two); engagement: days since last contact; complaints: count in the window; "
                "nps: latest answer 0-10; key_contacts: key contacts who left in the window"})
    compare_days: int = field(default=90, metadata={
        "help": "the what-changed breakdown compares health now with health this many days earlier"})
    history_months: int = field(default=12, metadata={"help": "month ends shown in an account's health history"})
    red_below: float = field(default=50.0, metadata={"help": "a total score below this is red"})
    green_from: float = field(default=75.0, metadata={"help": "a total score at or above this is green"})
    measure_bands: tuple[tuple[str, float, float], ...] = field(default=(), metadata={
        "help": "measure -> (red_below, green_from) for one measure's own score; measures not listed use the "
                "bands of the total"})
