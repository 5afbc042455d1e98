"""How fast the place search answers while a user types, and how often the place it was
typed for is its first suggestion; the change map's computation; the slide pack.

    python bench/bench_explore.py [QUERIES] [SEED]

Queries are real gazetteer names as people type them: whole names, a province's colloquial
name, half a name (the first 3–6 letters), one-letter typos, English names. Each knows the
code it was made from. The pack part needs the boundary cache and the shipped figures
(``CODI_GEO_DATA_DIR`` with the store, ``CODI_GEO_BOUNDARY_DIR``); it is skipped without.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from codi_geo.places import gazetteer  # noqa: E402
from codi_geo.places.search import search_places  # noqa: E402

THAI_LETTERS = "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศสหอฮ"
COLLOQUIAL = {"โคราช": "30", "กทม.": "10", "อุบลฯ": "34", "Korat": "30", "โคราด": "30"}


def queries(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    """(kind, text, code) triples."""
    names = [
        (lvl, row.code, row.name_th, row.name_en)
        for lvl in ("province", "district")
        for row in gazetteer.areas(lvl).itertuples()
    ]
    made: list[tuple[str, str, str]] = [("colloquial", t, c) for t, c in COLLOQUIAL.items()]
    while len(made) < n:
        level, code, th, en = rng.choice(names)
        kind = rng.choice(("whole", "prefix", "typo", "english"))
        prefix = {"province": "จ.", "district": "อ."}[level]
        if kind == "whole":
            made.append((kind, f"{prefix}{th}", code))
        elif kind == "prefix":
            made.append((kind, f"{prefix}{th[: rng.randint(3, 6)]}", code))
        elif kind == "typo" and len(th) >= 5:
            i = rng.randrange(1, len(th))
            made.append((kind, f"{prefix}{th[:i]}{rng.choice(THAI_LETTERS)}{th[i + 1 :]}", code))
        elif kind == "english" and en:
            made.append((kind, en, code))
    return made[:n]


def main(count: int = 2000, seed: int = 10) -> None:
    rng = random.Random(seed)
    cases = queries(rng, count)
    search_places("เชียงใหม่")  # builds the matcher's index once (as the app's first search)
    timings: dict[str, list[float]] = {}
    first: dict[str, int] = {}
    listed: dict[str, int] = {}
    for kind, text, code in cases:
        started = time.perf_counter()
        found = search_places(text)
        timings.setdefault(kind, []).append(time.perf_counter() - started)
        first[kind] = first.get(kind, 0) + (found.codes[:1] == (code,))
        listed[kind] = listed.get(kind, 0) + (code in found.codes)
    print(f"place search, {len(cases)} queries (seed {seed})")
    print(f"{'kind':<11}{'n':>6}{'first':>8}{'listed':>8}{'median ms':>11}{'p95 ms':>9}")
    for kind, spent in sorted(timings.items()):
        n = len(spent)
        p95 = sorted(spent)[int(0.95 * (n - 1))]
        print(
            f"{kind:<11}{n:>6}{first[kind] / n:>8.1%}{listed[kind] / n:>8.1%}"
            f"{statistics.median(spent) * 1000:>11.2f}{p95 * 1000:>9.2f}"
        )

    try:
        from codi_geo.places.boundaries import is_built
        from codi_geo.results.database import database_url
        from codi_geo.results.store import open_store

        if not is_built():
            raise RuntimeError("no boundary cache")
        store = open_store(database_url())
        rows = store.results()
        store.close()
    except Exception as error:  # the part that needs the cache and the store
        print(f"change map and pack skipped: {error}")
        return
    from codi_geo.maps import figures, pagemaps, periods
    from codi_geo.maps.viewstate import ViewState
    from codi_geo.outputs import pack

    state = ViewState(fiscal_year=2569, compare=(2560, None))
    started = time.perf_counter()
    page_map = pagemaps.change(rows, state, "welfare_fund:rows", "province", "th")
    print(
        f"change map spec (welfare fund, 2569 vs 2560, provinces): "
        f"{(time.perf_counter() - started) * 1000:.1f} ms, "
        f"{page_map.values.notna().sum() if page_map else 0} areas with a change"
    )
    started = time.perf_counter()
    profile = periods.area_profile(rows, "30")
    print(
        f"area profile of Nakhon Ratchasima: {(time.perf_counter() - started) * 1000:.1f} ms,"
        f" {len(profile)} figures"
    )
    now = figures.filter_period(rows, 2569, None)
    started = time.perf_counter()
    data = pack.briefing_pack(now, ViewState(fiscal_year=2569), public_page=False)
    seconds = time.perf_counter() - started
    slides = len(pack.programme_maps(now, ViewState(fiscal_year=2569), "th"))
    print(
        f"slide pack FY2569 whole country: {slides} programme slides, {len(data) / 1e6:.1f} MB,"
        f" {seconds:.1f} s ({seconds / max(slides, 1):.2f} s a slide)"
    )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
