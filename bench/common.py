"""Shared pieces of the benchmark: timing, the report line, and demo databases of a chosen size."""
from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).parent / "out"


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of `repeat` runs, in seconds (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def paired(fn: Callable[[], object], baseline: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """The fastest of `repeat` runs of `fn` and of `baseline` (each best of 3), taken in turns: on a shared
    machine whose speed drifts over seconds, both see the same slow spells, so their ratio is steadier than that
    of a baseline timed once at the start."""
    runs, bases = [], []
    for _ in range(repeat):
        bases.append(best_of(baseline))
        runs.append(best_of(fn, repeat=1))
    return min(runs), min(bases)


def peak_memory_mb(fn: Callable[[], object]) -> float:
    """Peak Python-heap allocation of one run, in MB (DuckDB's own memory is not seen by tracemalloc)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def report(step: str, seconds: float, baseline: float, baseline_name: str, target: float | None = None) -> dict:
    ratio = seconds / baseline if baseline > 0 else float("inf")
    verdict = "" if target is None else ("  OK" if ratio <= target else f"  OVER target {target:g}x")
    print(f"{step:<48} {seconds * 1000:10.1f} ms   {ratio:7.2f}x {baseline_name}{verdict}", flush=True)
    return {"step": step, "seconds": seconds, "baseline": baseline, "ratio": ratio, "target": target}


def demo_database(n_orders: int, n_opportunities: int = 2_000, n_accounts: int = 300) -> Path:
    """A demo company database scaled to `n_orders` order lines (and `n_accounts` accounts), built once and reused
    across steps."""
    from kam import db, demo, order_days

    OUT.mkdir(exist_ok=True)
    wide = "" if n_accounts == 300 else f"_{n_accounts}accounts"
    path = OUT / f"demo_{n_orders}_{n_opportunities}{wide}.duckdb"
    con = db.connect(path)  # migrates a file built by an older kam
    if not db.scalar(con, "SELECT count(*) FROM orders"):
        demo.build(con, n_accounts=n_accounts, n_orders=n_orders, n_opportunities=n_opportunities)
    order_days.ensure(con)  # as the app's first read would: steps open the file read-only
    con.close()
    return path
