"""The server as deployed: ``serve.py`` (the sign-in cookie routes, capped malloc arenas)
is what every way of starting it runs."""

from __future__ import annotations

import platform
import re
import shlex

import pytest

from codi_geo.ui import process
from tests.helpers import PROJECT_DIR, asgi_call


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


def _served(path: str, status: int = 200) -> dict[str, str]:
    """The headers ``CacheHashedComponentFiles`` lets through for an answer to ``path`` that
    said ``Cache-Control: no-cache``."""

    async def answer(scope, receive, send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"text/plain"), (b"cache-control", b"no-cache")],
            }
        )
        await send({"type": "http.response.body", "body": b"x"})

    sent = asgi_call(process.CacheHashedComponentFiles(answer), {"type": "http", "path": path})
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert any(m["type"] == "http.response.body" for m in sent)
    return {k.decode(): v.decode() for k, v in start["headers"]}


def test_a_components_hashed_script_may_be_kept() -> None:
    headers = _served("/component/streamlit_folium.st_folium/static/js/main.521860b0.js")
    assert headers["cache-control"] == process.IMMUTABLE.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/component/streamlit_folium.st_folium/index.html",  # names the script: must stay fresh
        "/component/streamlit_folium.st_folium/static/js/main.js",  # no hash in the name
        "/app/static/codi-geo/maps.js",
        "/_stcore/health",
    ],
)
def test_other_files_keep_their_own_cache_header(path) -> None:
    assert _served(path)["cache-control"] == "no-cache"


def test_an_error_is_not_kept() -> None:
    headers = _served("/component/x/static/js/main.521860b0.js", status=404)
    assert headers["cache-control"] == "no-cache"


def test_after_the_warm_up_a_first_visit_reads_no_rows(
    boundary_cache, tmp_path, monkeypatch
) -> None:
    """``process.warm_caches`` (the server's lifespan, before it reports healthy) runs
    ``loaders.warm``: the first visitor's overview then asks the store only what changed
    (its data version), not for rows."""
    import sqlalchemy as sa

    from codi_geo.results import shipped
    from codi_geo.results.store import open_store
    from codi_geo.ui import loaders
    from tests.helpers import point_app_at_store, run_page

    url = point_app_at_store(monkeypatch, tmp_path, boundary_cache, CODI_GEO_MODE="public")
    assert all(
        load.ok for load in shipped.load_shipped(open_store(url), boundary_dir=boundary_cache)
    )
    spent = loaders.warm(public_only=True)
    assert set(spent) == {"boundaries", "gazetteer", "data"}
    statements: list[str] = []
    engine = loaders.store().engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        at = run_page("")
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    assert not at.exception and at.main.get("component_instance")  # the map
    assert statements, "the page asks for the data version"
    reads = [s for s in statements if "results" in s.lower()]
    assert not reads, reads


def test_the_warm_up_counts_the_pin_maps_first_views(
    boundary_cache, tmp_path, monkeypatch, dev_admin
) -> None:
    """Internal, the warm-up also counts what the pin maps show first (the country, before
    the browser reports its view): the first visitor's housing and disasters pages then ask
    the store for no rows."""
    import sqlalchemy as sa

    from codi_geo.results import shipped
    from codi_geo.results.store import open_store
    from codi_geo.ui import loaders
    from tests.helpers import map_args, pin_layer_data, point_app_at_store, run_page

    url = point_app_at_store(monkeypatch, tmp_path, boundary_cache, CODI_GEO_MODE="internal")
    assert all(
        load.ok for load in shipped.load_shipped(open_store(url), boundary_dir=boundary_cache)
    )
    loaders.warm(public_only=False)
    statements: list[str] = []
    engine = loaders.store().engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        pages = {page: run_page(page) for page in ("housing", "disasters")}
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    for page, at in pages.items():
        assert not at.exception, (page, at.exception)
        assert pin_layer_data(map_args(at)), page  # the counted pins, over the map
    reads = [s for s in statements if "results" in s.lower()]
    assert not reads, reads


def test_the_page_modules_are_imported_before_the_first_visit() -> None:
    """``import_page_modules`` loads every ``codi_geo`` module the entry point and the pages
    import but the Streamlit ones (asked of a fresh interpreter: this one has imported them
    all already), and no Streamlit component: one declared before the server runs a session
    is never served."""
    import ast
    import importlib.util
    import json
    import subprocess
    import sys

    def module(name: str) -> bool:
        try:
            return importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:  # ``codi_geo.text.t``: a name in a module
            return False

    wanted = set()
    for script in [PROJECT_DIR / "app.py", *(PROJECT_DIR / "app_pages").glob("*.py")]:
        for node in ast.walk(ast.parse(script.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("codi_geo"):
                wanted.add(node.module)
                wanted.update(f"{node.module}.{alias.name}" for alias in node.names)
    wanted = {name for name in wanted if module(name) and not name.startswith("codi_geo.ui")}
    assert "codi_geo.maps.pagemaps" in wanted
    # and inspect maps each of them to its file (what declare_component asks on the first
    # run), which the interpreter does not do for a module it merely imports
    script = (
        "import inspect, json, os, sys; from codi_geo.ui import process; "
        "process.import_page_modules(); "
        "files = {os.path.realpath(inspect.getabsfile(m)) for n, m in sys.modules.items() "
        "if n.startswith('codi_geo.') and getattr(m, '__file__', None)}; "
        "unmapped = sorted(f for f in files if f not in inspect.modulesbyfile); "
        "print(json.dumps([sorted(sys.modules), unmapped]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_DIR, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded, unmapped = json.loads(done.stdout.splitlines()[-1])
    assert not wanted - set(loaded), sorted(wanted - set(loaded))
    assert "streamlit.emojis" in loaded  # st.set_page_config's check of the emoji icon
    assert "streamlit_folium" not in loaded
    assert not unmapped, unmapped
