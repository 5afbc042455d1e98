"""Helpers shared by several test modules: paths, empty databases, AppTest pages and the
browser. Test modules import them from here (never from one another), so running or
changing one test module does not depend on another."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

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


def point_app_at_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, boundary_cache: Path,
                       **env: str) -> str:
    """Point the in-process app at the test boundary cache and a fresh SQLite store in
    ``tmp_path`` (plus any other ``CODI_GEO_*`` variables in ``env``); returns the store URL.
    ``CODI_GEO_MODE`` is unset unless given."""
    from codi_geo import settings

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.delenv("CODI_GEO_MODE", raising=False)
    for name, value in {"CODI_GEO_BOUNDARY_DIR": str(boundary_cache),
                        "CODI_GEO_DATA_DIR": str(tmp_path), "CODI_GEO_DATABASE_URL": url,
                        **env}.items():
        monkeypatch.setenv(name, value)
    settings.clear()
    return url


def postgres_url_or_skip() -> str:
    url = os.environ.get(POSTGRES_URL_ENV)
    if url:
        return url
    message = f"{POSTGRES_URL_ENV} is not set (eval \"$(bash .ci/postgres.sh)\" starts a server)"
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


def run_page(page: str = "", **params: str) -> AppTest:
    """The app under AppTest with query ``params``, on the page served at ``page`` (the
    overview when empty), run once."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()  # registers the pages (st.navigation) before switching
    if page and page != "overview":
        at.switch_page(f"app_pages/{page_file(page)}")
        at.run()
    return at


def page_texts(at: AppTest) -> str:
    """Every text element of a page run, one per line."""
    parts = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.warning, *at.error,
                               *at.success, *at.title, *at.subheader)]
    return "\n".join(str(p) for p in parts)


# -- the app in Debian's headless Chromium --------------------------------------------------

ARTIFACTS = PROJECT_DIR / "test-artifacts"
CHROMIUM = os.environ.get("CODI_GEO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
# The features a map draws: every area of an area layer and every layer with a feature
# (``codiGeo.features``), plus markers inside clusters.
COUNT_JS = """() => {
  if (!window.map || !window.codiGeo) return null;
  let n = window.codiGeo.features(window.map).length;
  for (const l of Object.values(window.map._layers)) {
    if (l._featureGroup && l.getLayers) n += l.getLayers().length;  // a cluster group
  }
  return n;
}"""


# The share of the first screen the map covers: the map frame's box inside the viewport,
# over the viewport's area (the page scrolled to the top, as a first visit shows it).
MAP_SHARE_JS = """(iframe) => {
  const f = document.querySelector(iframe);
  if (!f) return 0;
  const r = f.getBoundingClientRect(), w = window.innerWidth, h = window.innerHeight;
  const x = Math.max(0, Math.min(r.right, w) - Math.max(r.left, 0));
  const y = Math.max(0, Math.min(r.bottom, h) - Math.max(r.top, 0));
  return x * y / (w * h);
}"""


def map_share(tab) -> float:
    """The share of ``tab``'s first screen covered by its (first) map."""
    tab.evaluate("() => window.scrollTo(0, 0)")
    return float(tab.evaluate(MAP_SHARE_JS, MAP_IFRAME))


def map_pages(public: bool) -> list[str]:
    """The URL paths of the app's map pages (``widgets.PAGES`` without ``MAPLESS_PAGES``),
    those a public app serves when ``public``."""
    from codi_geo.ui.widgets import MAPLESS_PAGES, page_url, pages_for

    return [page_url(path) for path, _, _ in pages_for(public)
            if page_url(path) not in MAPLESS_PAGES]


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


# -- standalone map pages ------------------------------------------------------------------


@contextmanager
def map_pages_server(root: Path) -> Iterator[str]:
    """Serve the folder ``root`` (standalone map pages: folium HTML) on a free local port,
    with the app's ``static/`` at ``/app/static/`` as Streamlit serves it, so the pages load
    the app's own Leaflet and map code; yields the base URL."""
    import functools
    import http.server
    import threading

    from codi_geo.maps import assets

    (root / "app").mkdir(exist_ok=True)
    if not (root / "app" / "static").exists():
        os.symlink(assets.STATIC_DIR, root / "app" / "static")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # no access log
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
