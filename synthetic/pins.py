"""Synthetic disaster pinpoints for tests and benchmarks (never shipped as CODI's figures):
seeded, placed in their tambon by the real boundary cache, stored through the real store.

    python -m synthetic.pins DATABASE_URL COUNT [--years 2569 ...] [--seed 9]

Most pins gather around a few dozen "events" (a flood follows a river, a fire a town), the
rest are spread over the country; one in twenty has no coordinates, only its tambon (a
COPIN row that names its place). Points that fall in the sea or abroad are drawn again.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

PROGRAMME = "disaster"
KINDS = ("flood", "fire", "border_conflict", "storm", "landslide", "copin", "other")
SOUTH, WEST, NORTH, EAST = 5.7, 97.4, 20.4, 105.6


def pin_positions(count: int, seed: int, cache_dir: Path | None = None):
    """(lats, lons, tambon codes) of ``count`` points inside Thailand's tambons."""
    from codi_geo.places.boundaries import locate_points

    rng = np.random.default_rng(seed)
    lats: list[np.ndarray] = []
    lons: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    have = 0
    centres_lat = rng.uniform(SOUTH + 1, NORTH - 1, 40)
    centres_lon = rng.uniform(WEST + 1, EAST - 1, 40)
    while have < count:
        batch = max(1000, int((count - have) * 1.6))
        clustered = rng.random(batch) < 0.7
        pick = rng.integers(0, len(centres_lat), batch)
        lat = np.where(
            clustered,
            centres_lat[pick] + rng.normal(0, 0.25, batch),
            rng.uniform(SOUTH, NORTH, batch),
        )
        lon = np.where(
            clustered,
            centres_lon[pick] + rng.normal(0, 0.25, batch),
            rng.uniform(WEST, EAST, batch),
        )
        found = locate_points(lon, lat, cache_dir=cache_dir)
        inside = found != None  # noqa: E711 - an object array of codes
        lats.append(lat[inside])
        lons.append(lon[inside])
        codes.append(found[inside])
        have += int(inside.sum())
    return (
        np.concatenate(lats)[:count].round(6),
        np.concatenate(lons)[:count].round(6),
        np.concatenate(codes)[:count],
    )


def pin_rows(count: int, fiscal_year: int, seed: int, cache_dir: Path | None = None):
    """``count`` ``ResultRow`` pinpoints of ``fiscal_year``, 1 in 20 without coordinates."""
    from codi_geo.results.store import ResultRow

    lats, lons, codes = pin_positions(count, seed, cache_dir)
    rng = np.random.default_rng(seed + 1)
    kinds = rng.choice(len(KINDS), count, p=[0.4, 0.15, 0.05, 0.15, 0.1, 0.1, 0.05])
    quarters = rng.integers(1, 5, count)
    unplaced = rng.random(count) < 0.05
    rows = []
    for i in range(count):
        located = not unplaced[i]
        rows.append(
            ResultRow(
                PROGRAMME,
                fiscal_year,
                int(quarters[i]),
                "point" if located else "tambon",
                str(codes[i]),
                {},
                latitude=float(lats[i]) if located else None,
                longitude=float(lons[i]) if located else None,
                category=KINDS[kinds[i]],
                name=f"จุดทดสอบ {fiscal_year}-{i}",
                visibility="internal",
                source_doc="synthetic (synthetic/pins.py)",
                source_line=f"{seed}:{i}",
            )
        )
    return rows


def fill(
    url: str,
    count: int,
    years: tuple[int, ...] = (2569,),
    seed: int = 9,
    cache_dir: Path | None = None,
) -> int:
    """Store ``count`` pins for each of ``years`` (one batch per year); returns the total."""
    from codi_geo.results.store import NewBatch, open_store

    store = open_store(url)
    total = 0
    try:
        for offset, year in enumerate(years):
            rows = pin_rows(count, year, seed + offset * 101, cache_dir)
            store.store_results(
                NewBatch(
                    PROGRAMME,
                    f"synthetic_pins_{year}_{seed}.csv",
                    f"{year}{seed:060d}"[:64],
                    "all",
                    len(rows),
                ),
                rows,
            )
            total += len(rows)
    finally:
        store.close()
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("count", type=int)
    parser.add_argument("--years", type=int, nargs="+", default=[2569])
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    started = time.perf_counter()
    total = fill(args.url, args.count, tuple(args.years), args.seed)
    print(f"stored {total:,} pins in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
