"""What a session keeps between runs (20 sessions on a store of a million pins must not
cost 15 MB each).

Streamlit keeps each session's widgets, and with them every callable a page gave them
(``format_func``). A callable defined in a page script carries the script's namespace, and
with it every frame the run left there: 30,000 filtered rows per session on the disasters
page of the million-pin store, alive until the session ends. These tests walk what a
session holds after a run of each page and look for the page's namespace and for frames."""

from __future__ import annotations

import gc
import sys
import types

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from codi_geo import settings
from synthetic.sample import fill_store
from tests.helpers import point_app_at_store, run_page

PAGES = [
    "overview",
    "model-tambons",
    "integrated-provinces",
    "housing",
    "disasters",
    "change",
    "data",
    "sources",
]


@pytest.fixture()
def sample_env(boundary_cache, tmp_path, monkeypatch, dev_admin):
    point_app_at_store(monkeypatch, tmp_path, boundary_cache)
    fill_store(f"sqlite:///{tmp_path / 'store.sqlite'}", boundary_cache)
    yield tmp_path
    settings.clear()


def held_by_session(at: AppTest) -> list[str]:
    """What the session's state reaches that a run should have let go: a script's namespace
    (a dict named ``__main__``: streamlit runs each page as ``__main__``) or a pandas frame.
    The walk stops at modules, classes and the namespaces of imported modules: they are the
    process's, not the session's."""
    shared = {
        id(m.__dict__)
        for name, m in list(sys.modules.items())
        if name != "__main__" and isinstance(m, types.ModuleType)
    }
    found: list[str] = []
    seen: set[int] = set()
    todo: list[object] = [at._session_state._state]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or id(obj) in shared or isinstance(obj, (types.ModuleType, type)):
            continue
        seen.add(id(obj))
        if isinstance(obj, dict) and obj.get("__name__") == "__main__":
            found.append(f"a page's namespace ({obj.get('__file__')})")
            continue
        if isinstance(obj, (pd.DataFrame, pd.Series)):
            found.append(f"{type(obj).__name__} {getattr(obj, 'shape', '')}")
            continue
        todo.extend(gc.get_referents(obj))
    return found


@pytest.mark.parametrize("page", PAGES)
def test_a_session_keeps_no_rows_after_a_run(sample_env, page) -> None:
    at = run_page(page, fy="2569")
    assert not at.exception, at.exception
    assert held_by_session(at) == []
