"""Point placement: 100,000 random points in Thailand's bounding box placed in their tambon
with ``boundaries.locate_points`` (target: under 2 s once the cache is loaded).

    python bench/bench_points.py [POINTS]

The boundary cache is $CODI_GEO_BOUNDARY_DIR, else data/boundaries.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from codi_geo.places import boundaries  # noqa: E402
from codi_geo.results.imports.values import LAT_RANGE, LON_RANGE  # noqa: E402
from codi_geo.settings import get_settings  # noqa: E402

TARGET_SECONDS = 2.0


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    cache_dir = get_settings().boundary_dir
    generator = np.random.default_rng(2569)
    lons = generator.uniform(*LON_RANGE, count)
    lats = generator.uniform(*LAT_RANGE, count)

    started = time.perf_counter()
    boundaries.locate_points(lons[:1], lats[:1], cache_dir=cache_dir)
    load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    codes = boundaries.locate_points(lons, lats, cache_dir=cache_dir)
    place_seconds = time.perf_counter() - started
    inside = int(np.count_nonzero(codes != None))  # noqa: E711 - an object array of codes

    verdict = "OK" if place_seconds < TARGET_SECONDS else "SLOWER THAN TARGET"
    print(f"boundary cache: {cache_dir}")
    print(f"load tambon shapes + build index (once per process): {load_seconds:.2f} s")
    print(
        f"place {count:,} points: {place_seconds:.2f} s "
        f"({count / place_seconds:,.0f} points/s; target < {TARGET_SECONDS:.0f} s: {verdict})"
    )
    print(f"inside a tambon: {inside:,} ({inside / count:.0%}; the rest is sea or abroad)")


if __name__ == "__main__":
    main()
