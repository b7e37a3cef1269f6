"""kam.allocator: after keep_freed_memory a large array lives in the heap (reused when freed), not in a mapping of
its own that is unmapped on free. Checked in fresh interpreters, one tuned and one not, through glibc's
mallinfo2 (bytes held in mmapped blocks while an 8 MB array is alive)."""
import subprocess
import sys

import pytest

_PROBE = """
import ctypes, sys
import numpy as np
from kam.allocator import keep_freed_memory

class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                       "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
took = keep_freed_memory() if sys.argv[1] == "tuned" else None
before = libc.mallinfo2().hblkhd
array = np.ones(1 << 20)  # 8 MB
print(took, libc.mallinfo2().hblkhd - before)
"""


def _mapped_growth(mode: str) -> tuple[str, int]:
    out = subprocess.run([sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, check=True).stdout
    took, growth = out.split()
    return took, int(growth)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_large_arrays_come_from_the_heap_once_tuned():
    assert _mapped_growth("tuned") == ("True", 0)
    took, growth = _mapped_growth("plain")
    assert took == "None" and growth >= 8 * 2**20  # untuned: the array got a mapping of its own
