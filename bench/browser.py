"""What the browser benchmarks share: the app under ``streamlit run`` on a free port, headless
Chromium's settings, and a page opened while the bytes the server sends over the websocket
are counted, timed to the first map drawn.

Benchmarks run as scripts (``python bench/NAME.py``): this folder is on ``sys.path``, so
``from browser import ...`` finds this module (and ``common`` puts the project there too).
The server is started as the browser tests start it (``synthetic.servers.streamlit_server``).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import PROJECT_DIR

from synthetic.screens import MAP_IFRAME
from synthetic.servers import streamlit_server

CHROMIUM = os.environ.get("CODI_GEO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip

# What the map has drawn: its features (every area of an areas layer, dots, pins, cells,
# through the app's ``codiGeo.features``), and the markers a cluster group holds, one each.
COUNT_JS = """() => { if (!window.map || !window.codiGeo || window.codiGeo.loading(window.map))
    return 0;
  let n = window.codiGeo.features(window.map).length;
  for (const l of Object.values(window.map._layers)) {
    if (l._featureGroup && l.getLayers) n += l.getLayers().length; }
  return n; }"""
# The region filter and the region it picks when a benchmark times a filter change.
REGION_FILTER, SOUTH = "ภาค (พอช.)", ("ภาคใต้", "south")

Measure = Callable[..., dict[str, Any]]


def rss_mb(pid: int) -> float:
    """The resident memory of process ``pid`` in MB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def streamlit_app(
    env: dict[str, str], script: str = "app.py", port: int = 0, timeout: float = 60
) -> contextlib.AbstractContextManager:
    """``streamlit run SCRIPT`` as the browser tests start it (``streamlit_server``), its
    output discarded, with ``env`` added to this process's environment (and the project's
    boundary cache unless ``CODI_GEO_BOUNDARY_DIR`` says otherwise): a context that yields
    the server process (for its memory) and its URL."""
    full = dict(env)
    if "CODI_GEO_BOUNDARY_DIR" not in os.environ:
        full.setdefault("CODI_GEO_BOUNDARY_DIR", str(PROJECT_DIR / "data" / "boundaries"))
    return streamlit_server(full, subprocess.DEVNULL, script, port, timeout)


def internal_app(data_dir: Path) -> dict[str, str]:
    """Settings of the internal app with its data under ``data_dir``, everyone signed in as
    an admin through the developer shortcut (``streamlit_app`` serves on 127.0.0.1 only):
    without a users file the app would fail closed to the public pages."""
    return {
        "CODI_GEO_DATA_DIR": str(data_dir),
        "CODI_GEO_MODE": "internal",
        "CODI_GEO_DEV_ADMIN": "1",
        "CODI_GEO_USERS_FILE": str(data_dir / "no_users.toml"),
    }


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, through Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def map_frame(page: Any) -> Any:
    """The map's iframe as it is now (a rerun may have replaced the one found before)."""
    return page.locator(MAP_IFRAME).first.element_handle().content_frame()


def open_map(
    context: Any,
    url: str,
    *,
    ready_js: str = COUNT_JS,
    settle_ms: int = 300,
    timeout_ms: int = 60_000,
) -> dict[str, Any]:
    """Open ``url`` in a new tab of ``context``: ``seconds`` to the first map drawn (when
    ``ready_js`` counts more than 0), then, after ``settle_ms`` for what follows (the map
    reporting its view, the server answering), the websocket ``bytes`` the server sent and
    the ``features`` drawn. The ``page`` and ``frame`` are returned open."""
    page = context.new_page()
    received: list[int] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))),
    )
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(MAP_IFRAME, timeout=timeout_ms)
    map_frame(page).wait_for_function(f"() => ({ready_js})() > 0", timeout=timeout_ms)
    drawn = time.perf_counter() - started
    page.wait_for_timeout(settle_ms)
    frame = map_frame(page)
    return {
        "page": page,
        "frame": frame,
        "seconds": drawn,
        "bytes": sum(received),
        "features": frame.evaluate(COUNT_JS),
    }


def warm_up(context: Any, urls: list[str], measure: Measure = open_map, **options: Any) -> None:
    """Open each page once, so caches and encoded boundaries are in place before timing."""
    for url in urls:
        measure(context, url, **options)["page"].close()


def measure_rounds(
    context: Any, url: str, rounds: int = 3, measure: Measure = open_map, **options: Any
) -> dict[str, Any]:
    """``url`` opened ``rounds`` times: the median ``seconds`` to the first map, each run's
    seconds (``runs``), the last run's ``bytes`` and ``features``, the most bytes of any run
    (``max_bytes``)."""
    runs = [measure(context, url, **options) for _ in range(rounds)]
    for run in runs:
        run["page"].close()
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "runs": [round(r["seconds"], 2) for r in runs],
        "bytes": runs[-1]["bytes"],
        "max_bytes": max(r["bytes"] for r in runs),
        "features": runs[-1]["features"],
    }


def wait_for_redraw(page: Any, before: object, timeout: float) -> object:
    """Wait until the map draws a feature count other than ``before`` (at most ``timeout``
    seconds); the count last seen."""
    deadline = time.monotonic() + timeout
    count: object = 0
    while time.monotonic() < deadline:
        try:
            frame = map_frame(page)
            count = frame.evaluate(COUNT_JS) if frame else 0
        except Exception:  # the iframe was being replaced: ask again
            count = 0
        if count and count != before:
            break
        time.sleep(0.02)
    return count


def region_change_times(
    context: Any, url: str, timeout: float, rounds: int = 3, measure: Measure = open_map
) -> list[dict[str, float]]:
    """``time_region_change`` on ``url`` opened afresh ``rounds`` times: the times of each."""
    times = []
    for _ in range(rounds):
        first = measure(context, url)
        times.append(time_region_change(first["page"], first["features"], timeout))
        first["page"].close()
    return times


# Times a filter change inside the page, as its user waits for it: from the browser's own
# click event on the option to the first animation frame whose map draws a new feature
# count. Playwright's round trips (finding the option, then asking the iframe again and
# again) are not part of that wait; ``time_region_change`` reports them beside it.
_REDRAW_TIMER_JS = """([iframe, countJs, before]) => {
  const times = window.__codiRedraw = {click: null, drawn: null};
  document.addEventListener('click', () => {
    if (times.click === null) times.click = performance.now(); }, {capture: true});
  const tick = () => {
    if (times.click !== null) {
      const frame = document.querySelector(iframe);
      let n = 0;
      try { n = frame ? frame.contentWindow.eval('(' + countJs + ')()') : 0; } catch (e) {}
      if (n && n !== before) { times.drawn = performance.now(); return; }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def time_region_change(page: Any, before: object, timeout: float) -> dict[str, float]:
    """Pick the south in the region filter of an open page whose map drew ``before``
    features. ``page``: seconds from the click to the map redrawn, timed in the page;
    ``driver``: the same seen from here, through Playwright."""
    name, region = SOUTH
    page.get_by_test_id("stSelectbox").filter(has_text=REGION_FILTER).click()
    option = page.get_by_role("option", name=name)
    option.wait_for()
    page.evaluate(_REDRAW_TIMER_JS, [MAP_IFRAME, COUNT_JS, before])
    started = time.perf_counter()
    option.click()
    page.wait_for_function(f"() => location.search.includes('region={region}')")
    wait_for_redraw(page, before, timeout)
    driver = time.perf_counter() - started
    page.wait_for_function("() => window.__codiRedraw.drawn !== null", timeout=timeout * 1000)
    timed = page.evaluate("() => window.__codiRedraw")
    return {"page": (timed["drawn"] - timed["click"]) / 1000, "driver": driver}


def change_summary(times: list[dict[str, float]], target: float) -> str:
    """The median filter change timed in the page against ``target`` seconds, the runs, and
    the driver's view of the same changes."""
    page = statistics.median(t["page"] for t in times)
    driver = statistics.median(t["driver"] for t in times)
    return (
        f"  median {page:.2f} s ({'OK' if page <= target else 'OVER'} {target:g} s)  runs "
        f"{[round(t['page'], 2) for t in times]}; through Playwright {driver:.2f} s"
    )


def session_memory(
    browser: Any,
    context: Any,
    pid: int,
    first_url: str,
    other_url: str,
    sessions: int,
    viewport: dict[str, int],
    measure: Measure = open_map,
) -> dict[str, float]:
    """The server's memory (``alone``, ``together``, ``per_session`` in MB) with one session
    on ``first_url`` and with ``sessions`` (the others on ``other_url``, each a browser
    context of its own, opened one after another); ``slowest`` first map of the others."""
    one = measure(context, first_url)
    alone = rss_mb(pid)
    contexts = [browser.new_context(viewport=viewport) for _ in range(sessions - 1)]
    try:
        opened = [measure(c, other_url) for c in contexts]
        together = rss_mb(pid)
    finally:
        one["page"].close()
        for c in contexts:
            c.close()
    return {
        "alone": alone,
        "together": together,
        "per_session": (together - alone) / max(sessions - 1, 1),
        "slowest": max((o["seconds"] for o in opened), default=float("nan")),
    }
