"""The app as a user meets it: ``streamlit run app.py`` and Debian's headless Chromium.

    python bench/bench_map_app.py [--sessions 20] [--port 0]

Prints, per page: bytes the server sent over the websocket for the page (the script, the map
arguments and the rest), the time from opening the page to the first map drawn (warm
server), the features drawn; then the time from a filter change's click to the map redrawn
(timed in the page), whether panning sent anything back to the server, and the server's
memory with 1 and N concurrent sessions. Targets: first map <= 5 s, filter change
<= 1 s, panning does not rerun, memory per extra session small, boundaries loaded once per
process.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from browser import (
    change_summary,
    internal_app,
    launch,
    measure_rounds,
    open_map,
    region_change_times,
    rss_mb,
    session_memory,
    streamlit_app,
    warm_up,
)

PAGES = {
    "overview (provinces)": "?fy=2569",
    "overview (national tambons)": "?fy=2569&level=tambon&metric=baan_mankong_urban:households",
    "overview (province 30, tambons)": "?fy=2569&province=30&level=tambon",
    "model-tambons": "model-tambons?fy=2569",
    "integrated-provinces": "integrated-provinces?fy=2569",
    "housing (canal)": "housing?fy=2569&metric=prem_prachakorn_canal",
    "disasters": "disasters?fy=2569",
}
VIEWPORT = {"width": 1400, "height": 1100}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    data_dir = Path(tempfile.mkdtemp(prefix="bench_app_"))
    with (
        streamlit_app(internal_app(data_dir), port=args.port) as (process, base),
        sync_playwright() as p,
    ):
        browser = launch(p)
        context = browser.new_context(viewport=VIEWPORT)
        warm_up(context, [f"{base}/{path}" for path in PAGES.values()])
        print(f"server RSS after warm-up: {rss_mb(process.pid):.0f} MB")
        print("\n== pages (warm server): websocket bytes, first map drawn, features")
        for label, path in PAGES.items():
            measured = measure_rounds(context, f"{base}/{path}")
            seconds = measured["seconds"]
            verdict = "OK" if seconds <= 5 else "OVER 5 s"
            print(
                f"{label:34s} {measured['bytes'] / 1e6:6.3f} MB  {seconds:5.2f} s "
                f"({verdict})  features {measured['features']}"
            )

        print("\n== filter change (region select) to map redrawn")
        times = region_change_times(context, f"{base}/?fy=2569", timeout=20)
        print(change_summary(times, target=1.0))

        print("\n== panning and zooming")
        run = open_map(context, f"{base}/?fy=2569")
        page, frame = run["page"], run["frame"]
        frame.evaluate("""() => { window.__sent = 0;
          const f = window.Streamlit.setComponentValue;
          window.Streamlit.setComponentValue = function () { window.__sent += 1;
            return f.apply(this, arguments); }; }""")
        for step in range(5):
            frame.evaluate(f"() => {{ window.map.panBy([{60 + step * 10}, 30]); }}")
            frame.evaluate("() => { window.map.setZoom(window.map.getZoom() + 0.5); }")
        page.wait_for_timeout(1500)
        print(
            f"component values sent to the server while panning/zooming: "
            f"{frame.evaluate('() => window.__sent')} (0 = no rerun)"
        )
        page.close()

        print(f"\n== {args.sessions} concurrent sessions")
        memory = session_memory(
            browser,
            context,
            process.pid,
            f"{base}/?fy=2569",
            f"{base}/?fy=2569&q=2",
            args.sessions,
            VIEWPORT,
        )
        print(
            f"server RSS with 1 session: {memory['alone']:.0f} MB; with {args.sessions}: "
            f"{memory['together']:.0f} MB; per extra session {memory['per_session']:.1f} MB; "
            f"slowest first map {memory['slowest']:.2f} s (opened one after another)"
        )
        from codi_geo.places import boundaries

        print(
            "boundaries are loaded once per process (functools.lru_cache on "
            f"load_layer, maxsize {boundaries.load_layer.cache_info().maxsize}); the "
            "RSS growth above is per-session state only"
        )
        browser.close()


if __name__ == "__main__":
    main()
