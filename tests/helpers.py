"""Helpers shared by several test modules: paths, empty databases, AppTest pages, the app
under ``streamlit run`` and the browser. Test modules import them from here (never from one
another), so running or changing one test module does not depend on another. Synthetic data
and the servers the benchmarks use too are in ``synthetic/``."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from synthetic.screens import MAP_IFRAME, map_pages, map_share  # noqa: F401  (tests import them from here)
from synthetic.servers import StartError, streamlit_server

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

    from codi_geo.results.store import Store

# -- paths ---------------------------------------------------------------------------------

PROJECT_DIR = Path(__file__).resolve().parents[1]
SHARED_DIR = PROJECT_DIR.parent / "shared"
DEFAULT_BOUNDARY_SOURCE = SHARED_DIR / "boundaries" / "tha_admbnda_adm3_rtsd_20220121.zip"


def boundary_source() -> Path:
    """The real OCHA archive the boundary cache is built from."""
    configured = os.environ.get("CODI_GEO_TEST_BOUNDARY_SOURCE") or os.environ.get(
        "CODI_GEO_BOUNDARY_SOURCE"
    )
    return Path(configured) if configured else DEFAULT_BOUNDARY_SOURCE


# -- databases: SQLite, and PostgreSQL from CODI_GEO_TEST_POSTGRES_URL ----------------------

POSTGRES_URL_ENV = "CODI_GEO_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def point_app_at_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, boundary_cache: Path, **env: str
) -> str:
    """Point the in-process app at the test boundary cache and a fresh SQLite store in
    ``tmp_path`` (plus any other ``CODI_GEO_*`` variables in ``env``); returns the store URL.
    ``CODI_GEO_MODE`` is unset unless given."""
    from codi_geo import settings

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.delenv("CODI_GEO_MODE", raising=False)
    for name, value in {
        "CODI_GEO_BOUNDARY_DIR": str(boundary_cache),
        "CODI_GEO_DATA_DIR": str(tmp_path),
        "CODI_GEO_DATABASE_URL": url,
        **env,
    }.items():
        monkeypatch.setenv(name, value)
    settings.clear()
    return url


def postgres_url_or_skip() -> str:
    url = os.environ.get(POSTGRES_URL_ENV)
    if url:
        return url
    message = f'{POSTGRES_URL_ENV} is not set (eval "$(bash .ci/postgres.sh)" starts a server)'
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL store tests cannot run on CI: {message}")
    pytest.skip(message)


@contextmanager
def empty_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: a new SQLite file, or a new schema on the PostgreSQL
    server (dropped afterwards)."""
    import sqlalchemy as sa

    from codi_geo.results.database import database_url

    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'codi_geo.sqlite'}"
        return
    base = database_url(postgres_url_or_skip())
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, pool_pre_ping=True)  # survives a server restart (outage tests)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        # Every connection of this test sees only its schema (tables and alembic_version).
        yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def empty_store(backend: str, tmp_path: Path) -> Iterator[Store]:
    from codi_geo.results.store import open_store

    with empty_database(backend, tmp_path) as url:
        opened = open_store(url)
        try:
            yield opened
        finally:
            opened.close()


def table_contents(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, for before/after comparisons."""
    import sqlalchemy as sa

    from codi_geo.results.schema import metadata

    contents = {}
    with store.engine.connect() as connection:
        for table in metadata.sorted_tables:
            rows = connection.execute(sa.select(table).order_by(table.c.id)).all()
            contents[table.name] = [tuple(row) for row in rows]
    return contents


def asgi_call(app, scope: dict, body: bytes = b"") -> list[dict]:
    """The messages the ASGI ``app`` sends for one request (``scope``, then ``body``).
    In a thread of its own: after the browser tests, Playwright's sync API keeps an event loop
    in the main thread, where ``asyncio.run()`` is refused."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    sent: list[dict] = []
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict:
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent


# -- the app under Streamlit's AppTest -----------------------------------------------------

APP = str(PROJECT_DIR / "app.py")
TIMEOUT = 60


def page_file(url: str) -> str:
    """The file in ``app_pages/`` of the page served at ``url`` (``"model-tambons"``)."""
    from codi_geo.ui.widgets import PAGES as SPEC
    from codi_geo.ui.widgets import page_url

    return next(Path(path).name for path, _, _ in SPEC if page_url(path) == url)


def run_page(page: str = "", timeout: float = TIMEOUT, **params: str) -> AppTest:
    """The app under AppTest with query ``params``, on the page served at ``page`` (the
    overview when empty), run once (each run given ``timeout`` seconds)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()  # registers the pages (st.navigation) before switching
    if page and page != "overview":
        at.switch_page(f"app_pages/{page_file(page)}")
        at.run()
    return at


def run_store_page(
    monkeypatch: pytest.MonkeyPatch,
    boundary_dir: Path,
    data_dir: Path,
    url: str,
    page: str,
    **params: str,
) -> AppTest:
    """``page`` under AppTest with query ``params`` on the store at ``url`` (data in
    ``data_dir``, boundaries in ``boundary_dir``), run once, raising nothing. Runs may take
    two minutes: these stores hold CODI's volumes."""
    from codi_geo import settings

    monkeypatch.setenv("CODI_GEO_BOUNDARY_DIR", str(boundary_dir))
    monkeypatch.setenv("CODI_GEO_DATA_DIR", str(data_dir))
    monkeypatch.setenv("CODI_GEO_DATABASE_URL", url)
    settings.clear()
    at = run_page(page, timeout=120, **params)
    assert not at.exception, at.exception
    return at


def map_args(at: AppTest) -> dict:
    """What the page's (first) map component was sent."""
    import json

    component = at.main.get("component_instance")[0]
    return json.loads(component.proto.json_args)


def pin_layer_data(args: dict) -> dict:
    """The payload of the pin layer in a map's feature group (``maps.pins.PinLayer``)."""
    import json
    import re

    # the drawing's area layers also hold a ``var D = {...};``, on lines of their own: the
    # pin layer's payload is the one on the line of its loop variables
    found = re.search(r"var D = (\{.*\}), i, n", args["feature_group"] or "")
    assert found, "no pin layer in the feature group"
    return json.loads(found.group(1))


def page_texts(at: AppTest) -> str:
    """Every text element of a page run, one per line."""
    parts = [
        e.value
        for e in (
            *at.markdown,
            *at.caption,
            *at.info,
            *at.warning,
            *at.error,
            *at.success,
            *at.title,
            *at.subheader,
        )
    ]
    return "\n".join(str(p) for p in parts)


# -- the app in Debian's headless Chromium --------------------------------------------------

ARTIFACTS = PROJECT_DIR / "test-artifacts"
CHROMIUM = os.environ.get("CODI_GEO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# The features a map draws: every area of an area layer and every layer with a feature
# (``codiGeo.features``), plus markers inside clusters.
# The features drawn, once every area layer has its geometry (null before: a layer's files
# come after it is added, ``codiGeo.Areas``).
COUNT_JS = """() => {
  if (!window.map || !window.codiGeo || window.codiGeo.loading(window.map)) return null;
  let n = window.codiGeo.features(window.map).length;
  for (const l of Object.values(window.map._layers)) {
    if (l._featureGroup && l.getLayers) n += l.getLayers().length;  // a cluster group
  }
  return n;
}"""


def map_frame(tab, timeout: float = 45, previous: object = None):
    """The streamlit-folium iframe once its map has drawn features, and the count. With
    ``previous`` (a count), wait until the count differs (the map was redrawn)."""
    condition = f"() => {{ const n = ({COUNT_JS})(); return n > 0 && n !== {previous or 0}; }}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            # A rerun replaces the map's iframe: ask for the current one each time (an
            # iframe taken just before it was replaced would never change).
            tab.wait_for_selector(MAP_IFRAME, timeout=timeout * 1000)
            try:
                frame = tab.locator(MAP_IFRAME).first.element_handle().content_frame()
                frame.wait_for_function(condition, timeout=2000)
                return frame, frame.evaluate(COUNT_JS)
            except Exception:
                if time.monotonic() > deadline:
                    raise
    except Exception as error:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "failure_no_map.png"), full_page=True)
        raise AssertionError(f"no map drew any feature on {tab.url}: {error}") from None


# The count of every numbered cell of a pin layer (``maps.pins``), and the tambon code of
# every single pin, on the map in the frame.
CELLS_JS = """() => window.codiGeo.features(window.map)
  .filter(l => l.feature && l.feature.properties.cell !== undefined)
  .map(l => l.feature.properties.n)"""
PIN_CODES_JS = """() => window.codiGeo.features(window.map)
  .filter(l => l.feature && l.feature.properties.id !== undefined)
  .map(l => l.feature.properties.code)"""

# Streamlit marks its root element with the state of the connection and of the script run:
# once a run is over, everything it draws is on the page (maps draw later, in their iframe).
APP_IDLE = (
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
    '[data-test-script-state="notRunning"]'
)
# Counts the script runs the page starts from now on (each shows as "running").
RUN_WATCH_JS = """() => {
  if (!window.codiGeoRunWatch) {
    window.codiGeoRuns = 0;
    window.codiGeoRunWatch = new MutationObserver(records => {
      for (const r of records) {
        if (r.target.getAttribute('data-test-script-state') === 'running') {
          window.codiGeoRuns += 1;
        }
      }
    });
    window.codiGeoRunWatch.observe(document, {
      attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
  }
  return window.codiGeoRuns;
}"""
# True once the map has kept the same view for ``ms`` milliseconds (it refits beside its
# legend once drawn, and animates a zoom or a pan).
MAP_STILL_JS = """(ms) => {
  const m = window.map;
  if (!m || m._animatingZoom || (m._panAnim && m._panAnim._inProgress)) return false;
  const view = m.getBounds().toBBoxString() + ' ' + m.getSize().toString();
  const now = performance.now();
  if (window.codiGeoView !== view) {
    window.codiGeoView = view;
    window.codiGeoViewSince = now;
    return false;
  }
  return now - window.codiGeoViewSince >= ms;
}"""


# Every element in sight has drawn: no placeholder left (Streamlit shows one, stSkeleton, while
# an element's code loads: a table, until it has, is not in the DOM at all, though the run is
# over) and every table has drawn its grid (its cells are in the DOM then; a table in a hidden
# tab draws nothing).
TABLES_DRAWN_JS = """() => ![...document.querySelectorAll('[data-testid="stSkeleton"]')]
    .some(placeholder => placeholder.checkVisibility())
  && [...document.querySelectorAll('[data-testid="stDataFrame"]')]
    .filter(table => table.checkVisibility())
    .every(table => table.querySelector('table[role="grid"]'))"""


def app_idle(tab, timeout: float = 60) -> None:
    """Wait until the page's script run is over and its tables are drawn (after opening a
    page)."""
    tab.wait_for_selector(APP_IDLE, timeout=timeout * 1000)
    tab.wait_for_function(TABLES_DRAWN_JS, timeout=timeout * 1000)


def runs_seen(tab) -> int:
    """How many script runs the page has started since it was first asked."""
    return tab.evaluate(RUN_WATCH_JS)


def run_over(tab, after: int, timeout: float = 60, start_within: float = 3) -> None:
    """Wait until a run later than the ``after``-th has started and is over. Until that run
    begins the page still shows the previous one as over, so the run is first seen to start;
    one too quick to be seen is waited for at most ``start_within`` seconds."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    with suppress(PlaywrightTimeoutError):
        tab.wait_for_function(
            "(n) => window.codiGeoRuns > n", arg=after, timeout=start_within * 1000
        )
    app_idle(tab, timeout)


def after_rerun(tab, action, timeout: float = 60) -> None:
    """Do ``action`` (a widget change) and wait until the run it starts is over."""
    seen = runs_seen(tab)
    action()
    run_over(tab, seen, timeout)


def network_quiet(tab, ms: int = 500, timeout: float = 30) -> None:
    """Wait until the page has started no HTTP request for ``ms`` milliseconds (its
    websocket aside)."""
    last = [time.monotonic()]

    def seen(_request) -> None:
        last[0] = time.monotonic()

    tab.on("request", seen)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() - last[0] < ms / 1000:
            assert time.monotonic() < deadline, f"{tab.url} kept requesting for {timeout} s"
            tab.wait_for_timeout(50)  # lets Playwright deliver the page's events
    finally:
        tab.remove_listener("request", seen)


def current_map_frame(tab):
    """The map's iframe as it is now (a rerun may replace the one found before)."""
    return tab.locator(MAP_IFRAME).first.element_handle().content_frame()


def poll_map(tab, script: str, timeout: float = 45):
    """The value of ``script`` in the map's iframe once it is non-empty (the iframe may be
    replaced while the page reruns)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = current_map_frame(tab).evaluate(script)
            if found:
                return found
        except Exception:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing from {script[:40]!r} on {tab.url}")
        time.sleep(0.2)


def map_still(frame, ms: int = 300, timeout: float = 20) -> None:
    """Wait until the map in ``frame`` has kept its view for ``ms`` milliseconds."""
    frame.wait_for_function(MAP_STILL_JS, arg=ms, timeout=timeout * 1000, polling=50)


# True once the first element ``selector`` finds has kept its box (place and size, after any
# transform) for ``ms`` milliseconds: a sheet that slides in, a frame that follows the window.
BOX_STILL_JS = """([selector, ms]) => {
  const e = document.querySelector(selector);
  if (!e) return false;
  const r = e.getBoundingClientRect();
  const box = [r.x, r.y, r.width, r.height].join(' ');
  const now = performance.now();
  const seen = (window.codiGeoBoxes = window.codiGeoBoxes || {});
  if (!seen[selector] || seen[selector].box !== box) {
    seen[selector] = {box: box, since: now};
    return false;
  }
  return now - seen[selector].since >= ms;
}"""


def box_still(tab, selector: str, ms: int = 300, timeout: float = 20) -> None:
    """Wait until the element ``selector`` has stopped moving and resizing for ``ms``
    milliseconds (instead of a fixed pause for an animation, too short on a busy machine)."""
    tab.wait_for_function(BOX_STILL_JS, arg=[selector, ms], timeout=timeout * 1000, polling=50)


class TcpOutage:
    """A TCP relay between the app and a real server that can be cut and restored on the same
    port: ``stop()`` refuses new connections and drops open ones (what a stopped database
    looks like from the app), ``start()`` brings it back."""

    def __init__(self, target_host: str, target_port: int) -> None:
        import socket

        self.target = (target_host, target_port)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._listener = None
        self._open: list = []

    def start(self) -> None:
        import socket
        import threading

        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        import socket
        import threading

        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            self._open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with suppress(OSError):
                    s.close()

    def stop(self) -> None:
        import socket

        if self._listener is not None:
            # shutdown() wakes the thread blocked in accept(): close() alone leaves it listening
            with suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        for s in self._open:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self._open = []


# -- the app under ``streamlit run`` -------------------------------------------------------


def internal_app_env(boundary_dir: Path, data_dir: Path, database: str) -> dict[str, str]:
    """Settings of the internal app on ``database`` as a developer runs it: no users file and
    the explicit shortcut, on a server bound to 127.0.0.1 (``running_app``), so its pages
    open without sign-in."""
    return {
        "CODI_GEO_BOUNDARY_DIR": str(boundary_dir),
        "CODI_GEO_DATA_DIR": str(data_dir),
        "CODI_GEO_DATABASE_URL": database,
        "CODI_GEO_MODE": "internal",
        "CODI_GEO_USERS_FILE": str(data_dir / "none.toml"),
        "CODI_GEO_DEV_ADMIN": "1",
    }


@contextmanager
def running_app(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """``streamlit run serve.py`` (the app with its session routes) on a free port, with
    ``env`` added to this process's environment and its output in ``log_path``; yields its
    URL."""
    with log_path.open("w") as log, ExitStack() as stack:
        try:
            _process, url = stack.enter_context(streamlit_server(env, log))
        except StartError:
            pytest.fail(f"streamlit did not start: {log_path.read_text()}")
        yield url
