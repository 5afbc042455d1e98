"""For ``bench_inplace.py --compare`` only: the app as it was before maps changed in place.
Loaded by the benchmark's second server (``PYTHONPATH``), it gives every drawing a frame of
its own (a new map iframe on each filter change), so the two ways are timed on the same
code, data and machine."""

from __future__ import annotations

import itertools

from codi_geo.maps import inplace

_frames = itertools.count()
_frame_key = inplace.frame_key


def _new_frame_each_time(m, key: str) -> str:
    return f"{_frame_key(m, key)}-{next(_frames)}"


inplace.frame_key = _new_frame_each_time
