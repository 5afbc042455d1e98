"""Map first: the share of the first screen each map page gives its map, as a first visit
shows it (sidebar open on a desktop, collapsed on a phone), on the internal and the public
app, on the figures that ship.

    .venv/bin/python bench/bench_map_share.py

Prints, per page and app, the share at 1400×900 and at 390×844, against the targets (65%
and 60%), and whether the map follows the window (its height after the window is made
200 px shorter). Shares are ratios of the page's layout, the same on a slow machine; the
seconds to the first map beside them are this machine's, and noisy.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import time
from pathlib import Path

from browser import COUNT_JS, MAP_IFRAME, internal_app, launch, map_frame, streamlit_app
from common import PROJECT_DIR

from synthetic.screens import map_pages, map_share

SIZES = {"desktop": ((1400, 900), 0.65), "phone": ((390, 844), 0.60)}


def _context(browser, size: str):
    (width, height), _ = SIZES[size]
    if size == "phone":
        return browser.new_context(
            viewport={"width": width, "height": height},
            locale="th-TH",
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
        )
    return browser.new_context(viewport={"width": width, "height": height}, locale="th-TH")


def measure(tab, url: str) -> tuple[float, float]:
    """(share, seconds to the first map) of ``url``."""
    started = time.perf_counter()
    tab.goto(url)
    tab.wait_for_selector(MAP_IFRAME, timeout=60_000)
    map_frame(tab).wait_for_function(f"() => ({COUNT_JS})() > 0", timeout=60_000)
    seconds = time.perf_counter() - started
    tab.wait_for_timeout(800)  # the legend folds, the layout settles
    return map_share(tab), seconds


def follows_window(tab) -> tuple[float, float]:
    """The map frame's height, then again after the window is made 200 px shorter."""
    before = tab.locator(MAP_IFRAME).first.bounding_box()["height"]
    size = tab.viewport_size
    tab.set_viewport_size({"width": size["width"], "height": size["height"] - 200})
    tab.wait_for_timeout(500)
    after = tab.locator(MAP_IFRAME).first.bounding_box()["height"]
    tab.set_viewport_size(size)
    return before, after


def main() -> int:
    from playwright.sync_api import sync_playwright

    from codi_geo.results import shipped
    from codi_geo.results.store import open_store

    data_dir = Path(tempfile.mkdtemp(prefix="bench_share_"))
    url = f"sqlite:///{data_dir / 'store.sqlite'}"
    boundary_dir = PROJECT_DIR / "data" / "boundaries"
    loads = shipped.load_shipped(open_store(url), boundary_dir=boundary_dir)
    if not all(load.ok for load in loads):
        print("the shipped figures did not load:", [load.text() for load in loads])
        return 1
    common = {"CODI_GEO_DATABASE_URL": url}
    apps = {
        "internal": {**internal_app(data_dir), **common},
        "public": {**common, "CODI_GEO_MODE": "public", "CODI_GEO_DATA_DIR": str(data_dir)},
    }
    worst = {size: 1.0 for size in SIZES}
    with sync_playwright() as p, contextlib.ExitStack() as stack:
        browser = launch(p)
        bases = {name: stack.enter_context(streamlit_app(env))[1] for name, env in apps.items()}
        print(f"{'app':9s} {'page':22s} {'1400×900':>9s} {'390×844':>9s}   first map (s)")
        for name, base in bases.items():
            tabs = {size: _context(browser, size).new_page() for size in SIZES}
            for page in map_pages(name == "public"):
                shares, seconds = {}, {}
                for size, tab in tabs.items():
                    shares[size], seconds[size] = measure(
                        tab, f"{base}/{'' if page == 'overview' else page}"
                    )
                    worst[size] = min(worst[size], shares[size])
                print(
                    f"{name:9s} {page:22s} {shares['desktop']:9.0%} {shares['phone']:9.0%}"
                    f"   {seconds['desktop']:.1f} / {seconds['phone']:.1f}"
                )
            if name == "internal":
                before, after = follows_window(tabs["desktop"])
                print(
                    f"  the map follows the window: {before:.0f} px tall, {after:.0f} px "
                    f"with the window 200 px shorter"
                )
            for tab in tabs.values():
                tab.context.close()
        browser.close()
    for size, ((width, height), target) in SIZES.items():
        verdict = "OK" if worst[size] >= target else "UNDER"
        print(
            f"smallest share at {width}×{height}: {worst[size]:.0%} "
            f"(target {target:.0%}: {verdict})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
