"""The app as a user meets it: ``streamlit run app.py`` and Debian's headless Chromium.

    python bench/bench_map_app.py [--sessions 20] [--port 0]

Prints, per page: bytes the server sent over the websocket for the page (the script, the map
arguments and the rest), the time from opening the page to the first map drawn (warm
server), the features drawn; then the time for a filter change to redraw the map, whether
panning sent anything back to the server, and the server's memory with 1 and N concurrent
sessions. Targets (issue 4): first map <= 5 s, filter change <= 1 s, panning does not rerun,
memory per extra session small, boundaries loaded once per process.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
COUNT_JS = """() => { if (!window.map || !window.codiGeo) return 0;
  let n = window.codiGeo.features(window.map).length;
  for (const l of Object.values(window.map._layers)) {
    if (l._featureGroup && l.getLayers) n += l.getLayers().length; }
  return n; }"""
PAGES = {
    "overview (provinces)": "?fy=2569",
    "overview (national tambons)": "?fy=2569&level=tambon&metric=baan_mankong_urban:households",
    "overview (province 30, tambons)": "?fy=2569&province=30&level=tambon",
    "model-tambons": "model-tambons?fy=2569",
    "integrated-provinces": "integrated-provinces?fy=2569",
    "housing (canal)": "housing?fy=2569&metric=prem_prachakorn_canal",
    "disasters": "disasters?fy=2569",
}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(port: int, data_dir: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "CODI_GEO_DATA_DIR": str(data_dir)}
    env.setdefault("CODI_GEO_BOUNDARY_DIR", str(PROJECT_DIR / "data" / "boundaries"))
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.3)
    process.terminate()
    sys.exit("streamlit did not start")


def open_and_measure(context, url: str) -> dict:
    page = context.new_page()
    received = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: received.append(len(payload))))
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(MAP_IFRAME, timeout=60_000)
    frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()
    frame.wait_for_function(f"() => ({COUNT_JS})() > 0", timeout=60_000)
    drawn = time.perf_counter() - started
    page.wait_for_timeout(300)
    return {"page": page, "frame": frame, "seconds": drawn, "bytes": sum(received),
            "features": frame.evaluate(COUNT_JS)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = args.port
    if not port:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    data_dir = Path(tempfile.mkdtemp(prefix="bench_app_"))
    process, base = start_server(port, data_dir)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 1100})
            for path in PAGES.values():  # warm the server: caches, encoded boundaries
                open_and_measure(context, f"{base}/{path}")["page"].close()
            print(f"server RSS after warm-up: {rss_mb(process.pid):.0f} MB")
            print("\n== pages (warm server): websocket bytes, first map drawn, features")
            for label, path in PAGES.items():
                runs = [open_and_measure(context, f"{base}/{path}") for _ in range(3)]
                seconds = statistics.median(r["seconds"] for r in runs)
                verdict = "OK" if seconds <= 5 else "OVER 5 s"
                print(f"{label:34s} {runs[-1]['bytes'] / 1e6:6.3f} MB  {seconds:5.2f} s "
                      f"({verdict})  features {runs[-1]['features']}")
                for r in runs:
                    r["page"].close()

            print("\n== filter change (region select) to map redrawn")
            times = []
            for _ in range(3):
                first = open_and_measure(context, f"{base}/?fy=2569")
                page, frame, before = first["page"], first["frame"], first["features"]
                page.get_by_test_id("stSelectbox").filter(has_text="ภาค (พอช.)").click()
                started = time.perf_counter()
                page.get_by_role("option", name="ภาคใต้").click()
                page.wait_for_function("() => location.search.includes('region=south')")
                page.wait_for_selector(MAP_IFRAME)
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline:
                    try:
                        frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()
                        count = frame.evaluate(COUNT_JS) if frame else 0
                    except Exception:
                        count = 0
                    if count and count != before:
                        break
                    time.sleep(0.02)
                times.append(time.perf_counter() - started)
                page.close()
            median = statistics.median(times)
            print(f"median {median:.2f} s  runs {[round(x, 2) for x in times]}  "
                  f"(target <= 1 s: {'OK' if median <= 1 else 'OVER'})")

            print("\n== panning and zooming")
            run = open_and_measure(context, f"{base}/?fy=2569")
            page, frame = run["page"], run["frame"]
            frame.evaluate("""() => { window.__sent = 0;
              const f = window.Streamlit.setComponentValue;
              window.Streamlit.setComponentValue = function () { window.__sent += 1;
                return f.apply(this, arguments); }; }""")
            for step in range(5):
                frame.evaluate(f"() => {{ window.map.panBy([{60 + step * 10}, 30]); }}")
                frame.evaluate("() => { window.map.setZoom(window.map.getZoom() + 0.5); }")
            page.wait_for_timeout(1500)
            print(f"component values sent to the server while panning/zooming: "
                  f"{frame.evaluate('() => window.__sent')} (0 = no rerun)")
            page.close()

            print(f"\n== {args.sessions} concurrent sessions")
            one = open_and_measure(context, f"{base}/?fy=2569")
            base_rss = rss_mb(process.pid)
            contexts = [browser.new_context(viewport={"width": 1400, "height": 1100})
                        for _ in range(args.sessions - 1)]
            sessions = [open_and_measure(c, f"{base}/?fy=2569&q=2") for c in contexts]
            all_rss = rss_mb(process.pid)
            slowest = max(s["seconds"] for s in sessions)
            per = (all_rss - base_rss) / max(args.sessions - 1, 1)
            print(f"server RSS with 1 session: {base_rss:.0f} MB; with {args.sessions}: "
                  f"{all_rss:.0f} MB; per extra session {per:.1f} MB; "
                  f"slowest first map {slowest:.2f} s (opened one after another)")
            from codi_geo.places import boundaries

            print("boundaries are loaded once per process (functools.lru_cache on "
                  f"load_layer, maxsize {boundaries.load_layer.cache_info().maxsize}); the "
                  "RSS growth above is per-session state only")
            one["page"].close()
            for c in contexts:
                c.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
