"""Boundary cache: build time, cache size, load time, point placement.

    python bench/bench_boundaries.py [ARCHIVE]

ARCHIVE defaults to $CODI_GEO_BOUNDARY_SOURCE, else ../shared/boundaries/ beside the project.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import common  # puts the project on sys.path

from codi_geo.places import boundaries


def main() -> None:
    source = common.archive_path()
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder)
        started = time.perf_counter()
        manifest = boundaries.build_cache(source, cache, log=lambda _m: None)
        build_seconds = time.perf_counter() - started
        print(f"boundary build: {build_seconds:.2f} s (source {Path(source).name})")
        print(f"counts: {manifest['counts']}")
        for path in sorted(cache.glob("*.parquet")):
            print(f"  {path.name:26s} {path.stat().st_size / 1e6:6.2f} MB")
        for key, layer in manifest["layers"].items():
            print(f"  {key:16s} {layer['vertices']:>8,} vertices  decimals {layer['decimals']}")
        boundaries.load_layer.cache_clear()
        started = time.perf_counter()
        for level in ("province", "district", "tambon"):
            boundaries.load_layer(level, "low", cache)
        print(f"load the three low-detail layers (cold): {time.perf_counter() - started:.3f} s")
        started = time.perf_counter()
        boundaries.load_layer("tambon", "low", cache)
        print(f"load again (same process): {time.perf_counter() - started:.6f} s")


if __name__ == "__main__":
    main()
