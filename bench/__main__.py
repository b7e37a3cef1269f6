"""Run every benchmark step module (bench/steps_*.py, each with `run() -> list[dict]`) and print the results."""
from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path

import bench
from bench.common import OUT
from kam import allocator


def main(selected: list[str]) -> int:
    allocator.keep_freed_memory()  # as the app and the command line run kam
    results = []
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("steps_"))
    for name in names:
        if selected and name.removeprefix("steps_") not in selected:
            continue
        print(f"== {name.removeprefix('steps_')}", flush=True)
        results.extend(importlib.import_module(f"bench.{name}").run())
    OUT.mkdir(exist_ok=True)
    Path(OUT / "results.json").write_text(json.dumps(results, indent=2))
    over = [r["step"] for r in results if r.get("target") and r["ratio"] > r["target"]]
    print(f"{len(results)} steps, {len(over)} over target" + (f": {', '.join(over)}" if over else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
