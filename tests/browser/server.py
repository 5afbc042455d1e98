"""``streamlit run serve.py`` (the app with its session routes) on a free port for the browser
tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StartError(RuntimeError):
    """Streamlit did not answer in time, or exited."""


@contextlib.contextmanager
def streamlit_server(env: dict[str, str], output: Any, script: str = "serve.py", port: int = 0,
                     timeout: float = 60) -> Iterator[tuple[subprocess.Popen, str]]:
    """``streamlit run SCRIPT`` from the project folder with ``env`` added to this process's
    environment, its output to ``output`` (a file, or ``subprocess.DEVNULL``), on ``port`` or
    a free one; yields the process and its URL once it answers, and stops it afterwards.
    ``StartError`` when it has not answered within ``timeout`` seconds. (The browser
    benchmarks start the app with it too.)"""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=PROJECT_DIR, env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT)
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
def running_app(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """The app with ``env`` added to this process's environment; yields its URL."""
    with log_path.open("w") as log, contextlib.ExitStack() as stack:
        try:
            _process, url = stack.enter_context(streamlit_server(env, log))
        except StartError:
            pytest.fail(f"streamlit did not start: {log_path.read_text()}")
        yield url
