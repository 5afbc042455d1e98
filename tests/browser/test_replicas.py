"""Several app replicas on one PostgreSQL store behind nginx (``deploy/``): an import stored
through one replica's import service shows on the other replica's pages at the next view, and
through the reverse proxy with its sticky route cookie, in headless Chromium.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

import pytest

from codi_geo.text import t
from synthetic.servers import free_port
from tests.helpers import ARTIFACTS, PROJECT_DIR, empty_database, running_app

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

FY = 2571  # a year the shipped figures do not have: its overview starts empty
IMPORTED = "รหัสตำบล,ปีงบประมาณ,ไตรมาส,จำนวนตำบล\n100101,2571,1,1\n300101,2571,1,1\n500101,2571,1,1\n"


@contextmanager
def nginx_in_front(ports: list[int], folder: Path) -> Iterator[str]:
    """nginx with ``deploy/nginx-codi-geo.conf``, its upstream pointed at ``ports``."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("nginx is not installed (apt-get install nginx-light)")
    conf = (PROJECT_DIR / "deploy" / "nginx-codi-geo.conf").read_text()
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=2 fail_timeout=10s;\n" for p in ports)
    conf = re.sub(r"(    server 127\.0\.0\.1:\d+ [^\n]*\n)+", servers, conf)
    port = free_port()
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{port};")
    (folder / "logs").mkdir(parents=True)
    (folder / "site.conf").write_text(conf)
    (folder / "nginx.conf").write_text(
        f"worker_processes 1;\nerror_log {folder}/logs/error.log;\npid {folder}/nginx.pid;\n"
        f"events {{ worker_connections 256; }}\nhttp {{\n"
        f"  access_log {folder}/logs/access.log;\n"
        f"  client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;\n"
        f"  fastcgi_temp_path {folder}/fastcgi; uwsgi_temp_path {folder}/uwsgi;\n"
        f"  scgi_temp_path {folder}/scgi;\n  include {folder}/site.conf;\n}}\n"
    )
    folder.chmod(0o755)
    process = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while True:  # until nginx listens, or has exited
        if process.poll() is not None:
            pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
        with suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            break
        if time.monotonic() > deadline:
            pytest.fail("nginx does not listen 30 s after it started")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _shows(page, url: str, text: str, timeout: float = 60_000) -> None:
    """Open ``url`` and wait for ``text``: a message, or (a pair ``label=value``) a select
    box with that label showing that value."""
    page.goto(url)
    label, _, value = text.partition("=")
    try:
        if not value:
            page.get_by_text(text).filter(visible=True).first.wait_for(timeout=timeout)
            return
        box = page.get_by_test_id("stSelectbox").filter(has_text=label).first
        box.wait_for(timeout=timeout)
        shown = box.inner_text() + " ".join(i.input_value() for i in box.locator("input").all())
        assert value in shown, shown
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "replicas-failure.png"), full_page=True)
        raise


def test_an_import_through_one_replica_shows_on_the_other(
    browser, boundary_cache: Path, tmp_path: Path
) -> None:
    from codi_geo.access import service
    from codi_geo.access.auth import User
    from codi_geo.maps.pagemaps import metric_label
    from codi_geo.programmes import get_programme
    from codi_geo.results import shipped
    from codi_geo.results.imports import ImportOptions
    from codi_geo.results.store import open_store

    empty = t("empty_filtered", "th")
    shown_label = metric_label(get_programme("model_tambon"), "tambons", "th")
    label = f"{t('indicator', 'th')}={shown_label}"
    with ExitStack() as stack:
        url = stack.enter_context(empty_database("postgresql", tmp_path))
        store = open_store(url)
        stack.callback(store.close)
        shipped.ensure_shipped(store)  # what codi-geo-migrate.service does before the replicas
        replicas = []
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            env = {
                "CODI_GEO_DATABASE_URL": url,
                "CODI_GEO_BOUNDARY_DIR": str(boundary_cache),
                "CODI_GEO_DATA_DIR": str(tmp_path / name),
                "CODI_GEO_MODE": "internal",
            }
            replicas.append(stack.enter_context(running_app(env, tmp_path / f"{name}.log")))
        ports = [int(r.rsplit(":", 1)[1]) for r in replicas]
        proxy = stack.enter_context(nginx_in_front(ports, tmp_path / "nginx"))

        context = browser.new_context(viewport={"width": 1400, "height": 900})
        stack.callback(context.close)
        page = context.new_page()
        # Before: the year is empty on replica B and through the proxy.
        _shows(page, f"{replicas[1]}/?fy={FY}", empty)
        _shows(page, f"{proxy}/?fy={FY}", empty)
        route = next(c for c in context.cookies() if c["name"] == "codigeo_route")["value"]
        assert route

        # The Data page's import service, as replica A runs it, into the shared store.
        outcome = service.import_batch(
            User("somchai", "admin"),
            IMPORTED.encode(),
            "model_2571.csv",
            "model_tambon",
            ImportOptions(visibility="public"),
            store,
            note="replica a",
        )
        assert outcome.stored, outcome.report and outcome.report.text()

        # After: replica B (which cached the empty year) shows it at the next view, and so
        # does the proxy, the browser keeping its route.
        _shows(page, f"{replicas[1]}/?fy={FY}", label)
        assert page.get_by_text(empty).count() == 0
        _shows(page, f"{proxy}/?fy={FY}", label)
        assert next(c for c in context.cookies() if c["name"] == "codigeo_route")["value"] == route
        _shows(page, f"{replicas[0]}/?fy={FY}", label)
        # Both replicas served pages through the proxy's one upstream pool (a websocket each).
        access = (tmp_path / "nginx" / "logs" / "access.log").read_text()
        assert "/_stcore/stream" in access
