"""CODI's real volumes (a million pins): a streamed import, the store's queries and the app's pages
on a scratch store filled by ``synthetic/scale.py`` (synthetic, never shipped; beside the pins,
a tenth as many named housing projects unless ``--housing-pins`` says otherwise).

    .venv/bin/python bench/bench_scale.py                     # 100,000 pins in one year, SQLite
    .venv/bin/python bench/bench_scale.py --backend postgresql  # CODI_GEO_TEST_POSTGRES_URL
    .venv/bin/python bench/bench_scale.py --full               # 1,000,000 pins over 8 years
    .venv/bin/python bench/bench_scale.py --no-app             # import and queries only
    .venv/bin/python bench/bench_scale.py --no-import --pages housing --sessions 0
    .venv/bin/python bench/bench_scale.py --full --no-import --sessions 0 --rounds 7

Prints: the import of a pins CSV through ``python -m codi_geo import`` (seconds, peak memory
of the process); each store query's time and result size; then, with ``streamlit run`` and
headless Chromium (``streamlit run serve.py``, as deployed): the seconds from the server's
start to healthy (it warms its caches first: ``process.warm_caches``) and each page's first
map on its first visit after that (cold), then per page the websocket bytes and the time to
the first map (warm server), the median filter change (click to map redrawn, timed in the
page), and the server's memory with 1 and N sessions. Times are this machine's, and noisy
when it is shared.
Targets: import of 1,000,000 rows at most 1.5 GB peak; pages at most 1 MB, their first map
in 2 s on a warm server and in 3 s on the first visit after a start; a filter change 0.5 s;
at most 5 MB per extra session.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
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
from common import PROJECT_DIR

from synthetic import scale

PAGES = {
    "overview": "?fy={fy}",
    "disasters (pins)": "disasters?fy={fy}",
    "disasters (counts)": "disasters?fy={fy}&layer=counts",
    "model-tambons": "model-tambons?fy={fy}",
    "housing": f"housing?fy={{fy}}&metric={scale.HOUSING_PROGRAMME}",
}


def _scratch_url(backend: str, folder: Path, name: str) -> tuple[str, object]:
    """A new empty database: a SQLite file, or a schema on the PostgreSQL test server."""
    if backend == "sqlite":
        return f"sqlite:///{folder / f'{name}.sqlite'}", None
    import uuid
    from urllib.parse import quote

    import sqlalchemy as sa

    base = os.environ.get("CODI_GEO_TEST_POSTGRES_URL")
    if not base:
        sys.exit(
            '--backend postgresql needs CODI_GEO_TEST_POSTGRES_URL (eval "$(bash .ci/postgres.sh)")'
        )
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{base}?options={quote(f'-csearch_path={schema}')}", drop


def bench_import(url: str, csv_path: Path) -> None:
    env = {**os.environ, "CODI_GEO_DATABASE_URL": url}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "codi_geo",
            "import",
            str(csv_path),
            "--programme",
            "disaster",
            "--valid-only",
            "--public",
            "--who",
            "bench",
        ],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = [line for line in done.stdout.splitlines() if "accepted" in line][:1]
    print(
        f"import {csv_path.name} ({csv_path.stat().st_size / 2**20:.0f} MB): "
        f"{seconds:.1f} s, peak memory {max(peak, before) / 1024:.0f} MB "
        f"(target <= 1536 MB), exit {done.returncode}"
    )
    print("   ", *(summary or done.stderr.splitlines()[-3:]))


def bench_queries(url: str, fy: int) -> None:
    from codi_geo.results import queries
    from codi_geo.results.queries import RowFilter
    from codi_geo.results.store import open_store

    store = open_store(url)
    total = queries.count_rows(store)
    print(f"\n== store queries ({total:,} active rows; median of 3)")
    cases = {
        "fiscal years (DISTINCT)": lambda: queries.fiscal_years(store),
        "pins per province, one year": lambda: queries.area_totals(
            store, RowFilter("disaster", fy), "province"
        ),
        "pins per tambon, one year": lambda: queries.area_totals(
            store, RowFilter("disaster", fy), "tambon"
        ),
        "pins per tambon, all years": lambda: queries.area_totals(
            store, RowFilter("disaster"), "tambon"
        ),
        "pins per district in a region, Q2": lambda: queries.area_totals(
            store, RowFilter("disaster", fy, 2, "northeast"), "district"
        ),
        "overview choices (every programme)": lambda: queries.metric_choices(
            store, RowFilter(None, fy)
        ),
        "overview region summary": lambda: queries.region_summary(store, RowFilter(None, fy)),
        "rows of one tambon (details panel)": lambda: store.results(
            None, fiscal_year=fy, within="100101"
        ),
        "every pin row of the year into pandas": lambda: store.results("disaster", fiscal_year=fy),
    }
    for label, run in cases.items():
        times, found = [], None
        for _ in range(3):
            started = time.perf_counter()
            found = run()
            times.append(time.perf_counter() - started)
        size = len(found) if hasattr(found, "__len__") else found
        print(f"  {label:40s} {statistics.median(times) * 1000:8.1f} ms  ({size} rows)")
    store.close()


def _measure(context, url: str) -> dict:
    """``open_map``, or the failure (a page with no map within 60 s) as figures."""
    try:
        return open_map(context, url)
    except Exception as error:  # a timeout: print it as a figure, keep measuring the rest
        page = context.pages[-1]
        return {
            "page": page,
            "frame": None,
            "seconds": float("inf"),
            "bytes": 0,
            "features": f"no map ({type(error).__name__})",
        }


def bench_app(
    url: str, fy: int, sessions: int, pages: dict[str, str] = PAGES, rounds: int = 3
) -> None:
    from playwright.sync_api import sync_playwright

    env = {
        **internal_app(Path(tempfile.mkdtemp(prefix="bench_scale_"))),
        "CODI_GEO_DATABASE_URL": url,
    }
    started = time.perf_counter()
    with (
        streamlit_app(env, script="serve.py", timeout=600) as (process, base),
        sync_playwright() as p,
    ):
        healthy = time.perf_counter() - started
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        urls = {label: f"{base}/{path.format(fy=fy)}" for label, path in pages.items()}
        print(
            f"\n== cold start: healthy {healthy:.1f} s after start (caches warmed first); "
            f"first visit of each page after that (target 3 s)"
        )
        for label, page_url in urls.items():
            cold = _measure(context, page_url)
            cold["page"].close()
            print(
                f"  {label:22s} first map {cold['seconds']:6.2f} s  "
                f"({'OK' if cold['seconds'] <= 3 else 'OVER'})"
            )
        warm_up(context, list(urls.values()), _measure)
        print(
            f"\n== pages, warm server (RSS {rss_mb(process.pid):.0f} MB): websocket "
            f"bytes, first map drawn, median of {rounds} visits (targets 1 MB, 2 s)"
        )
        for label, page_url in urls.items():
            measured = measure_rounds(context, page_url, rounds=rounds, measure=_measure)
            seconds, megabytes = measured["seconds"], measured["bytes"] / 1e6
            verdict = "OK" if seconds <= 2 and megabytes <= 1 else "OVER"
            print(
                f"  {label:22s} {megabytes:7.2f} MB  {seconds:6.2f} s  ({verdict})  "
                f"features {measured['features']}, visits {measured['runs']}"
            )
        if not sessions:
            browser.close()
            return
        print("\n== filter change (region): click to map redrawn, disasters page (target 0.5 s)")
        times = region_change_times(
            context, f"{base}/disasters?fy={fy}&layer=counts", timeout=60, measure=_measure
        )
        print(change_summary(times, target=0.5))
        print(f"\n== {sessions} concurrent sessions on the disasters page")
        memory = session_memory(
            browser,
            context,
            process.pid,
            f"{base}/disasters?fy={fy}&layer=counts",
            f"{base}/disasters?fy={fy}&layer=counts&q=2",
            sessions,
            {"width": 390, "height": 844},
            _measure,
        )
        print(
            f"  server RSS 1 session {memory['alone']:.0f} MB, {sessions} sessions "
            f"{memory['together']:.0f} MB: {memory['per_session']:.1f} MB per extra session "
            f"(target 5 MB); slowest first map {memory['slowest']:.2f} s"
        )
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pins", type=int, help="pins in the store (default 100,000)")
    parser.add_argument("--years", type=int, help="fiscal years (default 1; --full: 8)")
    parser.add_argument(
        "--import-rows", type=int, help="rows of the imported CSV (default: --pins)"
    )
    parser.add_argument(
        "--full", action="store_true", help="1,000,000 pins over 8 years and a 1,000,000-row import"
    )
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--sessions", type=int, default=20, help="0: no filter change nor sessions either"
    )
    parser.add_argument(
        "--housing-pins", type=int, help="named housing projects (default: a tenth of --pins)"
    )
    parser.add_argument("--pages", help=f"pages to open, comma-separated (of {', '.join(PAGES)})")
    parser.add_argument("--no-import", action="store_true", help="skip the CSV import")
    parser.add_argument("--no-app", action="store_true", help="skip the browser part")
    parser.add_argument(
        "--rounds", type=int, default=3, help="visits of each page on a warm server (median)"
    )
    args = parser.parse_args()
    pins = args.pins or (1_000_000 if args.full else 100_000)
    year_count = args.years or (8 if args.full else 1)
    import_rows = args.import_rows or pins
    fys = scale.years(year_count)
    folder = Path(tempfile.mkdtemp(prefix="bench_scale_"))
    print(
        f"backend {args.backend}; {pins:,} pins over {year_count} fiscal year(s) "
        f"({fys[0]}–{fys[-1]}); scratch folder {folder}"
    )

    housing = pins // 10 if args.housing_pins is None else args.housing_pins
    pages = PAGES
    if args.pages:
        wanted = [p.strip() for p in args.pages.split(",")]
        unknown = [p for p in wanted if p not in PAGES]
        if unknown:
            parser.error(f"unknown pages {unknown}: choose from {list(PAGES)}")
        pages = {label: PAGES[label] for label in wanted}

    if not args.no_import:
        csv_path = scale.write_pins_csv(folder / "pins.csv", import_rows, fys)
        url, drop = _scratch_url(args.backend, folder, "import")
        try:
            bench_import(url, csv_path)
        finally:
            if drop:
                drop()  # type: ignore[operator]
        csv_path.unlink()

    url, drop = _scratch_url(args.backend, folder, "store")
    try:
        started = time.perf_counter()
        counts = scale.load_store(url, pins, year_count, log=lambda _m: None, housing_count=housing)
        print(
            f"scratch store filled in {time.perf_counter() - started:.0f} s: "
            f"{ {k: int(v) for k, v in counts.items() if k != 'seconds'} }"
        )
        bench_queries(url, fys[-1])
        if not args.no_app:
            bench_app(url, fys[-1], args.sessions, pages, args.rounds)
    finally:
        if drop:
            drop()  # type: ignore[operator]
    return 0


if __name__ == "__main__":
    sys.exit(main())
