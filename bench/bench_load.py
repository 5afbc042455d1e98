"""Load: every page opened over and over by N browser sessions at once for T seconds.

    python bench/bench_load.py [--sessions 20] [--seconds 60] [--mode public|internal]
                               [--url http://host:port]

Starts ``streamlit run serve.py`` (unless ``--url`` names a running app) on a fresh SQLite
store filled with the synthetic test sample (``synthetic/sample.py``, not CODI's
figures), then runs N Chromium sessions (one browser, N contexts) that each open the pages in
turn until the time is up. A page counts as opened when its title is drawn and, on map
pages, the map has features. Prints the errors (want 0: an exception or error box on the
page, a page that did not open within 60 s, a failed navigation) and the response times
(median, 90th percentile, worst) per page and overall. ``--mode internal`` runs the internal
app with the developer shortcut (it serves the Data page too).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from browser import CHROMIUM, CHROMIUM_ARGS, COUNT_JS, MAP_IFRAME, internal_app, streamlit_app
from common import PROJECT_DIR

PAGES = {
    "overview": ("?fy=2569", True),
    "model-tambons": ("model-tambons?fy=2569", True),
    "integrated-provinces": ("integrated-provinces?fy=2569", True),
    "housing": ("housing?fy=2569", True),
    "disasters": ("disasters?fy=2569", True),
    "sources": ("sources?fy=2569", False),
}
INTERNAL_PAGES = {"data": ("data?fy=2569", False)}
ERROR_TEXTS = ("รหัสอ้างอิง", "เกิดข้อผิดพลาด", "Page not found")


def app_env(mode: str, data_dir: Path) -> dict[str, str]:
    """A fresh SQLite store under ``data_dir`` filled with the synthetic sample, and the
    settings of a ``mode`` app on it."""
    from synthetic.sample import fill_store

    database = f"sqlite:///{data_dir / 'store.sqlite'}"
    boundary_dir = os.environ.get("CODI_GEO_BOUNDARY_DIR", str(PROJECT_DIR / "data" / "boundaries"))
    fill_store(database, Path(boundary_dir))
    env = {"CODI_GEO_DATA_DIR": str(data_dir), "CODI_GEO_MODE": "public"}
    if mode == "internal":
        env = internal_app(data_dir)
    return {**env, "CODI_GEO_DATABASE_URL": database, "CODI_GEO_BOUNDARY_DIR": boundary_dir}


async def open_page(tab, url: str, map_page: bool) -> str | None:
    """Open one page; None when it opened cleanly, else what went wrong."""
    try:
        await tab.goto(url, wait_until="domcontentloaded", timeout=60_000)
        await tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
        if map_page:  # the map has drawn features (a rerun may replace its iframe: ask again)
            deadline = time.monotonic() + 60
            while True:
                await tab.wait_for_selector(MAP_IFRAME, timeout=60_000)
                try:
                    handle = await tab.locator(MAP_IFRAME).first.element_handle()
                    frame = await handle.content_frame()
                    await frame.wait_for_function(
                        f"() => ({COUNT_JS})() > 0", timeout=2000, polling=100
                    )
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
        else:
            await tab.wait_for_timeout(300)
    except Exception as error:  # a timeout or a failed navigation
        return f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
    if await tab.locator('[data-testid="stException"]').count():
        return "exception on the page"
    alerts = " ".join(await tab.locator('[data-testid="stAlert"]').all_inner_texts())
    found = [text for text in ERROR_TEXTS if text in alerts]
    return f"error box: {found[0]}" if found else None


async def session(
    browser, url: str, pages: dict, until: float, index: int, times: dict, errors: list
) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, locale="th-TH")
    tab = await context.new_page()
    names = list(pages)
    step = index  # sessions start on different pages
    try:
        while time.monotonic() < until:
            name = names[step % len(names)]
            path, map_page = pages[name]
            started = time.monotonic()
            problem = await open_page(tab, f"{url}/{path}", map_page)
            if problem:
                errors.append((name, problem))
            else:
                times[name].append(time.monotonic() - started)
            step += 1
    finally:
        await context.close()


async def run(url: str, sessions: int, seconds: float, pages: dict) -> tuple[dict, list]:
    from playwright.async_api import async_playwright

    times: dict[str, list[float]] = defaultdict(list)
    errors: list[tuple[str, str]] = []
    async with async_playwright() as p:
        # Twenty people each look at their own screen: no session's tab is a background tab
        # whose timers and animation frames Chromium slows down or stops.
        browser = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                *CHROMIUM_ARGS,
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
            ],
        )
        until = time.monotonic() + seconds
        await asyncio.gather(
            *(session(browser, url, pages, until, i, times, errors) for i in range(sessions))
        )
        await browser.close()
    return times, errors


def cpu_seconds(process: subprocess.Popen | None) -> float:
    """The CPU time (user + system, all threads) a process has used so far; 0 without one."""
    if process is None:
        return 0.0
    fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--mode", choices=("public", "internal"), default="public")
    parser.add_argument("--url", help="a running app to load instead of starting one")
    args = parser.parse_args()
    pages = {**PAGES, **(INTERNAL_PAGES if args.mode == "internal" else {})}
    with tempfile.TemporaryDirectory() as folder:
        app = (
            contextlib.nullcontext((None, args.url))
            if args.url
            else streamlit_app(app_env(args.mode, Path(folder)), "serve.py", timeout=90)
        )
        with app as (process, url):
            started, server_cpu = time.monotonic(), cpu_seconds(process)
            times, errors = asyncio.run(run(url, args.sessions, args.seconds, pages))
            elapsed = time.monotonic() - started
            server_cpu = cpu_seconds(process) - server_cpu
    opened = sum(len(v) for v in times.values())
    print(
        f"{args.sessions} sessions, {elapsed:.0f} s, {args.mode} app: {opened} pages opened, "
        f"{len(errors)} errors (want 0)"
    )
    if process is not None:  # where the time went: the server, or the browsers beside it
        print(
            f"server CPU {server_cpu:.0f} s in {elapsed:.0f} s ({server_cpu / elapsed:.0%} of "
            f"one core; this machine has {os.cpu_count()}); the rest ran the browsers"
        )
    print(f"{'page':22} {'opened':>6} {'median s':>9} {'p90 s':>7} {'worst s':>8}")
    for name in pages:
        values = times.get(name, [])
        if values:
            print(
                f"{name:22} {len(values):6d} {statistics.median(values):9.2f} "
                f"{percentile(values, 0.9):7.2f} {max(values):8.2f}"
            )
        else:
            print(f"{name:22} {0:6d} {'-':>9} {'-':>7} {'-':>8}")
    everything = [v for values in times.values() for v in values]
    if everything:
        print(
            f"{'all pages':22} {len(everything):6d} {statistics.median(everything):9.2f} "
            f"{percentile(everything, 0.9):7.2f} {max(everything):8.2f}"
        )
    for name, problem in errors[:20]:
        print(f"error: {name}: {problem}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
