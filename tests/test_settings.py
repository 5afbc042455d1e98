"""The one settings object: every CODI_GEO_* variable is declared once, read when first
needed, clearable, and documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from codi_geo import settings
from codi_geo.errors import SettingsError
from tests.helpers import PROJECT_DIR


def test_settings_are_read_when_first_needed_and_cleared(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CODI_GEO_DATA_DIR", str(tmp_path / "one"))
    settings.clear()
    assert settings.get_settings().data_dir == tmp_path / "one"
    monkeypatch.setenv("CODI_GEO_DATA_DIR", str(tmp_path / "two"))
    assert settings.get_settings().data_dir == tmp_path / "one"  # kept for the process
    settings.clear()
    assert settings.get_settings().data_dir == tmp_path / "two"
    # paths that default into the data folder follow it
    assert settings.get_settings().users_file == tmp_path / "two" / "users.toml"


def test_clear_runs_the_registered_cache_clearers() -> None:
    calls: list[int] = []
    listener = settings.on_clear(lambda: calls.append(1))
    try:
        settings.clear()
        assert calls == [1]
    finally:
        settings._listeners.remove(listener)


def test_a_bad_mode_is_refused_in_thai_and_english() -> None:
    with pytest.raises(SettingsError) as error:
        settings.Settings.from_env({"CODI_GEO_MODE": "publik"})
    assert "ไม่ถูกต้อง" in error.value.th and "must be" in error.value.en


def test_every_variable_is_in_the_readme_table_and_nowhere_else_in_the_code() -> None:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(CODI_GEO_[A-Z_]+)`", readme, flags=re.M))
    declared = {option.variable for option in settings.OPTIONS}
    assert declared == documented
    # no module reads a CODI_GEO_* variable from the environment except settings.py (handing
    # the whole environment to a child process is not reading it)
    reads = re.compile(r"(environ\.get\(|environ\[|getenv\()\s*[\"']CODI_GEO_")
    for path in (PROJECT_DIR / "codi_geo").rglob("*.py"):
        if path.name != "settings.py":
            assert not reads.search(path.read_text(encoding="utf-8")), path
