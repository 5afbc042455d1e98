"""The server process itself, set up once by ``serve.py`` before any session runs: its malloc
arenas, how long browsers may keep the map component's script, and the caches it fills
before it reports healthy.

Each page run is a thread of its own, and glibc gives every thread that allocates under
contention a malloc arena of its own, up to eight per core. A run of the disasters page on a
million-pin store allocates and frees tens of megabytes; each arena keeps its high-water mark,
so the server grows by about 15 MB for each of its first sessions and keeps it, freed but held
(``mallinfo2``: in use flat, free in arenas 144 → 328 MB from 2 to 8 sessions). Two arenas
keep the server flat (``bench/bench_scale.py --full``).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import importlib
import inspect
import logging
import os
import pkgutil
import re
import time
from collections.abc import AsyncIterator
from typing import Any

from codi_geo.access.public import PublicModeError, app_mode
from codi_geo.ui import loaders

ARENA_ENV = "MALLOC_ARENA_MAX"  # glibc's own variable: set, it wins
ARENAS = 2
_M_ARENA_MAX = -8  # glibc malloc.h


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """At most ``arenas`` malloc arenas for the threads started from now on, unless the
    environment says otherwise (``MALLOC_ARENA_MAX``, read by glibc at start). False where
    the C library is not glibc (macOS, musl) or refuses: nothing changes there."""
    if os.environ.get(ARENA_ENV):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_ARENA_MAX, arenas))
    except (OSError, AttributeError):
        return False


# A file name that carries a hash of its content (``main.521860b0.js``): its content never
# changes under that name. Streamlit serves a component's files with no cache header, so the
# browser would fetch streamlit-folium's script (55 KB) again for every new map, each
# filter change, on a phone too.
_HASHED_COMPONENT_FILE = re.compile(r"/component/[^?#]*\.[0-9a-f]{8,}\.(?:js|css)$")
IMMUTABLE = b"public, max-age=31536000, immutable"


class CacheHashedComponentFiles:
    """ASGI middleware (``st.App(middleware=...)``): a successful answer for a component file
    whose name carries its content's hash may be kept by the browser for a year."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not _HASHED_COMPONENT_FILE.search(scope.get("path", "")):
            await self.app(scope, receive, send)
            return

        async def send_cacheable(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200:
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"
                ]
                message = {**message, "headers": [*headers, (b"cache-control", IMMUTABLE)]}
            await send(message)

        await self.app(scope, receive, send_cacheable)


# What the pages import beyond what serving needs: the maps, the tables and downloads (with
# python-pptx, openpyxl and matplotlib) and the data page's import and undo service, about a
# second of imports that the first page run would otherwise pay. Not ``codi_geo.ui``: its
# widgets declare streamlit-folium's component on import, which must happen in a session's
# run (declared before the server runs, the map's frame is never served).
PAGE_PACKAGES = ("codi_geo.access", "codi_geo.maps", "codi_geo.outputs")


# What else the first page run of a process pays, with no session needed: the check of the
# page's emoji icon (``st.set_page_config`` imports ``streamlit.emojis``, which compiles a
# pattern of every emoji: 0.2 s).
FIRST_RUN_MODULES = ("streamlit.emojis",)


def import_page_modules() -> list[str]:
    """Import every module of ``PAGE_PACKAGES`` and ``FIRST_RUN_MODULES``, then map every
    module loaded to its file (``index_modules_by_file``); returns their names."""
    names = [importlib.import_module(name).__name__ for name in FIRST_RUN_MODULES]
    for package_name in PAGE_PACKAGES:
        package = importlib.import_module(package_name)
        for found in pkgutil.iter_modules(package.__path__):
            names.append(importlib.import_module(f"{package_name}.{found.name}").__name__)
    index_modules_by_file()
    return names


def index_modules_by_file() -> None:
    """``inspect``'s table of modules by file, brought up to date with every module loaded.
    The first page run declares streamlit-folium's component, and ``declare_component``
    finds the module that declares it through ``inspect.getmodule``, which maps each module
    loaded since its last call to its real path: the first call of a process maps them all
    (0.2 s); later calls map only the few loaded since. Asked of a file no module has, it
    maps them now."""
    inspect.getmodule(compile("", "<codi-geo: modules by file>", "exec"))


@contextlib.asynccontextmanager
async def warm_caches(_app: Any) -> AsyncIterator[None]:
    """``st.App(lifespan=...)``: before the server takes its first request (and so before
    Streamlit's health endpoint answers), load what a first visitor would otherwise wait for
    (``import_page_modules``, ``loaders.warm``): after a restart or deploy, the first map
    comes as fast as any other. The figures read are those this deployment serves (public
    rows in public mode)."""
    try:
        public_only = app_mode() == "public"
    except PublicModeError:  # the app says so on every page; nothing to warm for it
        public_only = True
    started = time.perf_counter()
    await asyncio.to_thread(import_page_modules)
    imports = round(time.perf_counter() - started, 2)
    spent = {"imports": imports, **await asyncio.to_thread(loaders.warm, public_only)}
    logging.getLogger(__name__).info("caches warmed before serving: %s", spent)
    yield None
