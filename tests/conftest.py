"""Shared fixtures. The boundary cache is built once per test session from the real OCHA
archive (``../shared/boundaries`` beside the project, or ``CODI_GEO_TEST_BOUNDARY_SOURCE``).
Helpers that are not fixtures live in ``tests/helpers.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import boundary_source

# Fixtures that need the boundary archive: a test asking for one, directly or through
# another fixture, is marked ``archive`` so ``-m "not archive"`` runs the pure logic quickly.
ARCHIVE_FIXTURES = {"boundary_cache", "manifest"}


# First: pytest-xdist's own hook (registered after this file) reads the xdist_group marks to
# name each test's group, and would not see marks added after it.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if ARCHIVE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.archive)
        group = _shared_fixture_group(item)
        if group:
            # pytest-xdist (--dist loadgroup): one worker runs them, so the module makes the
            # fixture once (a Streamlit server, a filled store); other tests go to any worker
            item.add_marker(pytest.mark.xdist_group(group))


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_GroupInNodeId(), "codi-geo-xdist-group-in-node-id")


class _GroupInNodeId:
    """pytest-xdist sends the tests of a group to one worker by the ``@group`` its hook adds to
    each node id, in ``Item._nodeid``; pytest 9.2 keeps the node id in ``Item._id``, so that
    hook no longer changes it and every group was split over the workers (each built the
    module's servers and stores again). Added here after that hook, where it did not."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]):
        if not getattr(config.option, "loadgroup", False):
            return
        from _pytest.nodeid import NodeId

        for item in items:
            mark = item.get_closest_marker("xdist_group")
            if mark is not None and "@" not in item.nodeid:
                item._id = NodeId.parse(f"{item.nodeid}@{mark.args[0]}")


def _shared_fixture_group(item: pytest.Item) -> str:
    """The group of a test that uses a fixture its own module defines and makes once for
    several tests (scope module or session), or "" for a test that uses none. One group per
    instance of the fixture: a fixture made once per parameter (per database, per way of
    serving) makes one group per parameter, which may run on another worker."""
    module = getattr(item, "module", None)
    info = getattr(item, "_fixtureinfo", None)
    if module is None or info is None:
        return ""
    shared = [
        name
        for name, definitions in info.name2fixturedefs.items()
        for definition in definitions
        if definition.scope != "function" and definition.func.__module__ == module.__name__
    ]
    if not shared:
        return ""
    params = getattr(getattr(item, "callspec", None), "params", {})
    return "-".join([module.__name__, *(str(params[n]) for n in sorted(shared) if n in params)])


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


@pytest.fixture()
def dev_admin(monkeypatch: pytest.MonkeyPatch):
    """The developer shortcut (``CODI_GEO_DEV_ADMIN=1`` on a server bound to 127.0.0.1): the
    internal app opens as admin without sign-in, for AppTests of the internal pages."""
    from streamlit import config

    from codi_geo import settings

    monkeypatch.setenv("CODI_GEO_DEV_ADMIN", "1")
    settings.clear()
    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    yield
    config.set_option("server.address", before)
    settings.clear()
