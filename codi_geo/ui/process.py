"""The server process itself, set up once by ``serve.py`` before any session runs.

Each page run is a thread of its own, and glibc gives every thread that allocates under
contention a malloc arena of its own, up to eight per core. A run of the disasters page on a
million-pin store allocates and frees tens of megabytes; each arena keeps its high-water mark,
so the server grew by about 15 MB for each of its first sessions and kept it, freed but held
(``mallinfo2``: in use flat, free in arenas 144 → 328 MB from 2 to 8 sessions). Two arenas
keep the server flat (``bench/bench_scale.py --full``: issue 9).
"""

from __future__ import annotations

import ctypes
import os

ARENA_ENV = "MALLOC_ARENA_MAX"  # glibc's own variable: set, it wins
ARENAS = 2
_M_ARENA_MAX = -8  # glibc malloc.h


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """At most ``arenas`` malloc arenas for the threads started from now on, unless the
    environment says otherwise (``MALLOC_ARENA_MAX``, read by glibc at start). False where
    the C library is not glibc (macOS, musl) or refuses: nothing changes there."""
    if os.environ.get(ARENA_ENV):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_ARENA_MAX, arenas))
    except (OSError, AttributeError):
        return False
