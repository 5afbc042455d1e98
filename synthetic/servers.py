"""Local servers for the tests and the benchmarks: ``streamlit run`` of the app on a free
port, and a static server of standalone map pages beside the app's ``static/`` folder."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StartError(RuntimeError):
    """Streamlit did not answer in time, or exited."""


@contextlib.contextmanager
def streamlit_server(
    env: dict[str, str], output: Any, script: str = "serve.py", port: int = 0, timeout: float = 60
) -> Iterator[tuple[subprocess.Popen, str]]:
    """``streamlit run SCRIPT`` from the project folder with ``env`` added to this process's
    environment, its output to ``output`` (a file, or ``subprocess.DEVNULL``), on ``port`` or
    a free one; yields the process and its URL once it answers, and stops it afterwards.
    ``StartError`` when it has not answered within ``timeout`` seconds."""
    port = port or free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, **env},
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise StartError(f"streamlit did not start ({script}, exit {process.poll()})")
            time.sleep(0.3)
        yield process, url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def map_pages_server(root: Path) -> Iterator[str]:
    """Serve the folder ``root`` (standalone map pages: folium HTML) on a free local port,
    with the app's ``static/`` at ``/app/static/`` as Streamlit serves it, so the pages load
    the app's own Leaflet and map code; yields the base URL."""
    from codi_geo.maps import assets

    (root / "app").mkdir(exist_ok=True)
    if not (root / "app" / "static").exists():
        os.symlink(assets.STATIC_DIR, root / "app" / "static")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # no access log
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
