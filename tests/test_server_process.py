"""The server as deployed: ``serve.py`` (the sign-in cookie routes, capped malloc arenas)
is what every way of starting it runs."""

from __future__ import annotations

import platform
import re
import shlex

import pytest

from codi_geo.ui import process
from tests.browser.server import PROJECT_DIR


def test_the_systemd_replicas_run_serve_py() -> None:
    # ``app.py`` alone has no sign-in cookie routes and no arena cap
    unit = (PROJECT_DIR / "deploy" / "codi-geo@.service").read_text().replace("\\\n", " ")
    command = re.search(r"^ExecStart=(.*)$", unit, re.MULTILINE)
    assert command
    words = shlex.split(command.group(1))
    assert words[1:3] == ["run", "serve.py"], words


def test_scripts_app_sh_runs_serve_py() -> None:
    assert "streamlit run serve.py" in (PROJECT_DIR / "scripts" / "app.sh").read_text()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc arenas are glibc's")
def test_arenas_are_capped_on_glibc(monkeypatch) -> None:
    monkeypatch.delenv(process.ARENA_ENV, raising=False)
    assert process.limit_malloc_arenas() is True


def test_malloc_arena_max_in_the_environment_wins(monkeypatch) -> None:
    monkeypatch.setenv(process.ARENA_ENV, "4")
    assert process.limit_malloc_arenas() is False
