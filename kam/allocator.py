"""The process's memory allocator told to keep freed memory for reuse instead of handing it back to the system.

`keep_freed_memory()` is called once per process by whatever runs kam (the app shell, the command line, the
benchmark). Why: scoring builds many short-lived numpy arrays of a few MB (the order days of every account, their
running totals, the windows at every date). glibc serves each one from a fresh memory mapping and unmaps it when
freed, so the kernel zero-fills every page again on first touch, about 1 ms per 2 MB on these machines. Kept in
the heap instead, the next array reuses pages already mapped: the scoreboard at 1M order lines took 104-117 ms
instead of 133-136 ms, and about 150 ms of CPU instead of 210. The cost is that the process keeps up to `trim_mb`
of freed heap (the peak of its working set) rather than shrinking after each call.
A no-op (returns False) where the C library has no `mallopt` (macOS, musl): nothing else depends on it.
"""
from __future__ import annotations

import ctypes
import ctypes.util

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_MB = 1 << 20


def keep_freed_memory(trim_mb: int = 1024, mmap_mb: int = 32) -> bool:
    """Serve allocations up to `mmap_mb` (glibc's maximum) from the heap, and return freed heap to the system
    only beyond `trim_mb`. True when the allocator took both settings."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return False
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is None:
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, mmap_mb * _MB)) & bool(mallopt(_M_TRIM_THRESHOLD, trim_mb * _MB))
