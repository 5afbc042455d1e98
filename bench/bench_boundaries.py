"""Boundary cache: build time, cache size, load time, point placement.

    python bench/bench_boundaries.py [ARCHIVE]

ARCHIVE defaults to $CODI_GEO_BOUNDARY_SOURCE, else ../shared/boundaries/ beside the project.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from codi_geo.places import boundaries  # noqa: E402


def main() -> None:
    source = (
        sys.argv[1]
        if len(sys.argv) > 1
        else os.environ.get(
            "CODI_GEO_BOUNDARY_SOURCE",
            str(PROJECT_DIR.parent / "shared/boundaries/tha_admbnda_adm3_rtsd_20220121.zip"),
        )
    )
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
