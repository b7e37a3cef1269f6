"""Work on a second cursor in a worker thread, while the calling thread goes on.

In: a connection and a function of a cursor. Out: `on_second_cursor`, a block yielding the Future of that
function's result. Why: DuckDB releases the interpreter lock while it works, so the SQL of one thread overlaps the
Python of the other (kam.scoreboard and kam.kpis score the tiers this way while the account facts are read and
scored). The worker runs in a copy of the caller's context, so the shared reads of an enclosing block
(kam.order_day_totals.read_once) serve it too. The second cursor sees committed data only: use it outside a write
transaction.
"""
from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import duckdb

T = TypeVar("T")


@contextlib.contextmanager
def on_second_cursor(con: duckdb.DuckDBPyConnection, work: Callable[..., T], *args: Any) -> Iterator[Future[T]]:
    """Start `work(cursor, *args)` on a new cursor of `con` in a worker thread; the block waits for it on exit."""
    with contextlib.closing(con.cursor()) as other, ThreadPoolExecutor(max_workers=1) as worker:  # worker ends first
        yield worker.submit(contextvars.copy_context().run, work, other, *args)
