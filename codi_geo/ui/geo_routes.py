"""The geometry files maps load by name (``codi_geo.maps.shapes``): ``/_geo/<level>/<detail>/
<chunk>.<hash>.json``. A name carries a hash of the file's content, so the browser may keep
the file for a year: a filter change, a new page or a new visit draws the same boundaries
without fetching them again. Served compressed when the browser accepts it (the tambon
layer at full detail: 1.4 MB of JSON, about a third of that gzipped)."""

from __future__ import annotations

import gzip
from functools import lru_cache
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from codi_geo.maps import shapes
from codi_geo.settings import on_clear

GEO_PATH = f"/{shapes.URL_PREFIX}"
_mounted = False


def mounted() -> bool:
    """Are the files served by this process (the app started through ``serve.py``)? Without
    them (``streamlit run app.py``) maps carry their geometry inline, as before."""
    return _mounted


IMMUTABLE = "public, max-age=31536000, immutable"


@lru_cache(maxsize=64)
def _gzipped(path: str) -> bytes | None:
    data = shapes.file_for(path)
    return gzip.compress(data, compresslevel=6, mtime=0) if data is not None else None


async def geo_file(request: Request) -> Response:
    path = request.path_params["path"]
    accepts_gzip = "gzip" in request.headers.get("accept-encoding", "")
    if accepts_gzip:
        data = await run_in_threadpool(_gzipped, path)
    else:
        data = await run_in_threadpool(shapes.file_for, path)
    if data is None:
        return PlainTextResponse("ไม่พบไฟล์ขอบเขตนี้ / No such boundary file", status_code=404)
    headers = {"cache-control": IMMUTABLE, "vary": "accept-encoding"}
    if accepts_gzip:
        headers["content-encoding"] = "gzip"
    return Response(data, media_type="application/json", headers=headers)


# the files of the configured boundary cache: forgotten with the settings
on_clear(_gzipped.cache_clear)


def routes() -> list[Any]:
    """The routes for ``st.App(routes=...)``; marks them as mounted in this process."""
    global _mounted
    _mounted = True
    return [Route(f"{GEO_PATH}/{{path:path}}", geo_file, methods=["GET"])]
