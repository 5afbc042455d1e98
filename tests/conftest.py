"""Shared fixtures. The boundary cache is built once per test session from the real OCHA
archive (``../shared/boundaries`` beside the project, or ``CODI_GEO_TEST_BOUNDARY_SOURCE``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
SHARED_DIR = PROJECT_DIR.parent / "shared"
DEFAULT_BOUNDARY_SOURCE = SHARED_DIR / "boundaries" / "tha_admbnda_adm3_rtsd_20220121.zip"


def boundary_source() -> Path:
    configured = os.environ.get("CODI_GEO_TEST_BOUNDARY_SOURCE") or os.environ.get(
        "CODI_GEO_BOUNDARY_SOURCE"
    )
    return Path(configured) if configured else DEFAULT_BOUNDARY_SOURCE


@pytest.fixture(autouse=True)
def fresh_settings():
    """Each test reads the ``CODI_GEO_*`` environment it sets (``monkeypatch.setenv``)."""
    from codi_geo import settings

    settings.clear()
    yield
    settings.clear()


@pytest.fixture(scope="session")
def boundary_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A boundary cache built from the real archive into a temporary folder."""
    from codi_geo.places.boundaries import build_cache

    source = boundary_source()
    if not source.exists():
        pytest.fail(
            f"boundary archive not found at {source}: set CODI_GEO_TEST_BOUNDARY_SOURCE "
            f"(tests need the real OCHA archive; they do not skip without it)"
        )
    cache_dir = tmp_path_factory.mktemp("boundaries")
    build_cache(str(source), cache_dir, log=lambda _message: None)
    return cache_dir


@pytest.fixture(scope="session")
def manifest(boundary_cache: Path) -> dict:
    from codi_geo.places.boundaries import load_manifest

    return load_manifest(boundary_cache)


@pytest.fixture()
def captured_downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """File name -> the callable a page handed to ``st.download_button`` (files are made only
    when clicked, so AppTest tests call these to get the bytes a user would download)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    found: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data, mimetype, coordinates, file_name=None, **kwargs):
        found[file_name] = data
        return original(self, data, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return found
