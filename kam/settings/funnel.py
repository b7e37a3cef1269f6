"""Sales stages: order, default win probability, closed flags and days-to-rot."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FunnelSettings:
    # (stage, default win probability 0-1, kind: open | won | lost, days before an open deal counts as stalled)
    stages: tuple[tuple[str, float, str, int], ...] = field(default=(
        ("lead", 0.10, "open", 30), ("qualified", 0.25, "open", 30), ("proposal", 0.50, "open", 45),
        ("negotiation", 0.75, "open", 30), ("won", 1.0, "won", 0), ("lost", 0.0, "lost", 0)), metadata={
        "help": "ordered stage list: name, default win probability, open/won/lost, days to rot"})
    list_rows: int = field(default=500, metadata={
        "help": "most deals a deal list on the Funnel page shows (stalled, overdue, drill-down), largest first; "
                "the command line lists every stalled deal"})
