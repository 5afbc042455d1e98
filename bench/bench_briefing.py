"""Briefing images: time and size of national province, district and tambon maps.

    python bench/bench_briefing.py [ARCHIVE]

Uses the boundary cache in data/boundaries/ when it is built; otherwise builds one in a
temporary folder from ARCHIVE ($CODI_GEO_BOUNDARY_SOURCE, else ../shared/boundaries/).
Values are synthetic (seeded); the timing is what matters. Cold = first render in the
process (font loading included), warm = the median of three more.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import common  # puts the project on sys.path
import numpy as np

from codi_geo.outputs import briefing, fonts
from codi_geo.places import boundaries
from codi_geo.programmes import get_programme
from codi_geo.settings import get_settings


def _cache(folder: Path) -> Path:
    if boundaries.is_built():
        return get_settings().boundary_dir
    source = common.archive_path()
    boundaries.build_cache(source, folder, log=lambda _m: None)
    return folder


def _time(render) -> tuple[float, float, int]:
    started = time.perf_counter()
    data = render()
    cold = time.perf_counter() - started
    warm = []
    for _ in range(3):
        started = time.perf_counter()
        data = render()
        warm.append(time.perf_counter() - started)
    return cold, statistics.median(warm), len(data)


def main() -> None:
    rng = np.random.default_rng(2569)
    with tempfile.TemporaryDirectory() as folder:
        cache = _cache(Path(folder))
        print(f"boundary cache: {cache}; Thai font: {fonts.thai_font().family}")
        provinces = boundaries.load_layer("province", "low", cache).copy()
        tiers = ["tier_1", "tier_2", "tier_3", "tier_4", None]
        provinces["category"] = [tiers[i] for i in rng.integers(0, 5, len(provinces))]
        province_request = briefing.SlideRequest("integrated_province", 2569, 2)
        integrated = get_programme("integrated_province")
        por_piang = get_programme("baan_por_piang")
        cases = [("province", provinces, integrated, province_request, None)]
        for level in ("district", "tambon"):
            frame = boundaries.load_layer(level, "low", cache).copy()
            values = rng.poisson(4, len(frame)).astype(float)
            values[rng.random(len(frame)) < 0.4] = np.nan
            frame["households"] = values
            request = briefing.SlideRequest("baan_por_piang", 2569, 2, metric="households")
            outlines = boundaries.load_layer("province", "low", cache)
            cases.append((level, frame, por_piang, request, outlines))
        print(f"{'national map':26s} {'cold s':>7s} {'warm s':>7s} {'bytes':>9s}")
        for level, areas, programme, request, outlines in cases:
            for fmt in ("png", "pdf"):

                def render(a=areas, p=programme, v=request, o=outlines, f=fmt) -> bytes:
                    rendered = briefing.render_briefing(a, p, v, fmt=f, outlines=o)
                    assert rendered.missing_glyphs == (), rendered.missing_glyphs
                    return rendered.data

                cold, warm, size = _time(render)
                label = f"{level} ({len(areas):,} areas) {fmt.upper()}"
                print(f"{label:26s} {cold:7.2f} {warm:7.2f} {size:9,d}")


if __name__ == "__main__":
    main()
