"""Map payload and draw time: the app's national tambon layer against a plain folium map of
all 7,425 tambons, side by side in one run, in Debian's headless Chromium.

    python bench/bench_maps.py [--rounds 5] [--cache-dir DIR]

Prints, per map: the bytes sent to the browser (streamlit-folium's arguments as Streamlit
serialises them, and the standalone HTML; our areas' rings come apart, as geometry files the
browser keeps: their size is printed too), the time to build it in Python, and the time to
draw it in the browser (navigation start to the second animation frame after the map has
drawn, its geometry files fetched from the page's server as the app serves them: a first
visit; median of the rounds, the two maps alternating). Targets: national tambon layer
<= 1.0 MB and drawn >= 3x faster than the plain map; a province view <= 150 KB.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import folium
import numpy as np
import pandas as pd
from browser import launch  # its ``common`` puts the project on sys.path

from codi_geo.maps import areas, assets, base, shapes
from codi_geo.places.boundaries import load_layer
from synthetic.servers import map_pages_server

# Drawn: two animation frames after the map script, and after our areas' geometry files
# have come and been drawn (``codiGeo.loading``).
HOOK = """<script>(function tick() {
  var G = window.codiGeo, m = null;
  for (var k in window) {
    if (k.indexOf('map_') === 0 && window[k] && window[k]._layers) { m = window[k]; }
  }
  if (G && (!m || G.loading(m))) { requestAnimationFrame(tick); return; }
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    window.__drawn = performance.now(); }); });
})();</script>"""
COUNT_JS = """() => {
  const svg = document.querySelectorAll('path.leaflet-interactive').length;
  let canvas = 0;
  for (const key of Object.keys(window)) {
    const v = window[key];
    if (key.startsWith('map_') && v && v._layers && window.codiGeo) {
      canvas = window.codiGeo.features(v).length;
    }
  }
  return Math.max(svg, canvas);
}"""


def plain_folium_map(cache_dir: Path | None) -> folium.Map:
    """What a straightforward folium map of every tambon looks like: the source geometry as
    GeoJSON with its properties, a tooltip per feature, SVG paths."""
    layer = load_layer("tambon", "full", cache_dir)
    m = folium.Map(location=[13, 101], zoom_start=6, tiles=None)
    folium.GeoJson(
        layer,
        style_function=lambda _f: {"color": "#333", "weight": 0.5, "fillColor": "#41b6c4"},
        tooltip=folium.GeoJsonTooltip(["name_th", "name_en"]),
    ).add_to(m)
    return assets.localize(m)


def sample_values(codes: pd.Series, share: float = 0.4, seed: int = 1) -> pd.Series:
    rng = np.random.default_rng(seed)
    values = pd.Series(rng.integers(0, 500, len(codes)).astype(float), index=codes.to_numpy())
    values[rng.random(len(codes)) > share] = np.nan
    return values


def standalone_html(m: folium.Map) -> str:
    # folium writes the map script after </body>: the hook goes last, after it.
    html_text = m.get_root().render()
    return (
        html_text.replace("</html>", HOOK + "</html>")
        if "</html>" in html_text
        else (html_text + HOOK)
    )


def write_geometry_files(m: folium.Map, root: Path, cache_dir: Path | None) -> int:
    """The geometry files the area layers of ``m`` load, under ``root/_geo/`` as the app
    serves them; their bytes."""
    written = 0
    stack = [m]
    while stack:
        element = stack.pop()
        for name in (getattr(element, "data", None) or {}).get("u") or []:
            level, detail, leaf = name.split("/")
            data, _ = shapes.geo_file(level, detail, leaf.split(".")[0], cache_dir)
            target = root / "_geo" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written += len(data)
        stack.extend(element._children.values())
    return written


def draw_times(base: str, pages: dict[str, str], rounds: int) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {name: [] for name in pages}
    counts: dict[str, int] = {}
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.goto(f"{base}/app/static/vendor/leaflet/leaflet.js")  # warm the asset cache
        for _ in range(rounds):
            for name, path in pages.items():
                page.goto(f"{base}/{path}", wait_until="load", timeout=120_000)
                page.wait_for_function("() => window.__drawn !== undefined", timeout=120_000)
                times[name].append(page.evaluate("() => window.__drawn"))
                counts[name] = page.evaluate(COUNT_JS)
        browser.close()
    return {
        name: {"median_ms": statistics.median(values), "runs_ms": values, "features": counts[name]}
        for name, values in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args()
    cache_dir = args.cache_dir
    if assets.missing_files():
        sys.exit("map assets missing: run bash scripts/vendor_assets.sh")

    root = Path(tempfile.mkdtemp(prefix="bench_maps_"))
    tambon_codes = load_layer("tambon", "low", cache_dir)["code"]
    values = sample_values(tambon_codes)

    print("== payload (bytes sent to the browser) and build time")
    started = time.perf_counter()
    plain = plain_folium_map(cache_dir)
    plain_html = standalone_html(plain)
    plain_build = time.perf_counter() - started
    (root / "plain.html").write_text(plain_html, encoding="utf-8")
    plain_bytes = len(plain_html.encode("utf-8"))
    print(
        f"plain folium map, 7,425 tambons:   {plain_bytes / 1e6:6.2f} MB HTML  "
        f"build {plain_build:5.2f} s"
    )

    extents = {
        "national tambon layer": base.Extent("national", None, "tambon"),
        "national provinces": base.Extent("national", None, "province"),
        "region (northeast) provinces": base.Extent("region", "northeast", "province"),
        "province (Nakhon Ratchasima) tambons": base.Extent("province", "30", "tambon"),
        "province (Bangkok) tambons": base.Extent("province", "10", "tambon"),
        "district (Mueang Nakhon Ratchasima)": base.Extent("district", "3001", "tambon"),
    }
    targets = {
        "national tambon layer": 1_000_000,
        "province (Nakhon Ratchasima) tambons": 150_000,
        "province (Bangkok) tambons": 150_000,
    }
    ours_html = ""
    for label, extent in extents.items():
        shown = (
            values
            if extent.level == "tambon"
            else values.groupby(
                values.index.str[: {"province": 2, "district": 4}[extent.level]]
            ).sum(min_count=1)
        )
        options = base.MapOptions(cache_dir=cache_dir)
        areas.choropleth_map(extent, shown, "ครัวเรือน", options, unit="ครัวเรือน")
        started = time.perf_counter()  # second build: the encoded geometry is cached
        m = areas.choropleth_map(extent, shown, "ครัวเรือน", options, unit="ครัวเรือน")
        build = time.perf_counter() - started
        html_text = standalone_html(m) if label == "national tambon layer" else None
        payload = base.st_folium_payload(m)
        target = targets.get(label)
        verdict = ""
        if target:
            verdict = f"target <= {target / 1e6:.2f} MB: " + (
                "OK" if payload["bytes"] <= target else "OVER"
            )
        print(
            f"{label:38s} {payload['bytes'] / 1e6:6.3f} MB sent  build {build:5.3f} s  "
            f"features {base.feature_count(m):5d}  {verdict}"
        )
        if html_text:
            ours_html = html_text
            (root / "ours.html").write_text(ours_html, encoding="utf-8")
            files = write_geometry_files(m, root, cache_dir)
            print(
                f"{'':38s} {len(ours_html.encode()) / 1e6:6.3f} MB as standalone HTML "
                f"({plain_bytes / len(ours_html.encode()):.1f}x smaller than plain), and "
                f"{files / 1e6:.2f} MB of geometry files the browser keeps (together "
                f"{plain_bytes / (len(ours_html.encode()) + files):.1f}x smaller)"
            )

    print(f"\n== draw time in headless Chromium ({args.rounds} rounds, alternating)")
    try:
        with map_pages_server(root) as base_url:
            results = draw_times(
                base_url, {"plain": "plain.html", "ours": "ours.html"}, args.rounds
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    for name, result in results.items():
        runs = ", ".join(f"{v:.0f}" for v in result["runs_ms"])
        print(
            f"{name:6s} median {result['median_ms']:7.0f} ms  features drawn "
            f"{result['features']:5d}  runs [{runs}]"
        )
    ratio = results["plain"]["median_ms"] / results["ours"]["median_ms"]
    print(f"ratio plain/ours: {ratio:.2f}x  (target >= 3x: {'OK' if ratio >= 3 else 'NOT MET'})")


if __name__ == "__main__":
    main()
