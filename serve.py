"""codi-geo's server: ``streamlit run serve.py`` (scripts/app.sh does it).

The pages are ``app.py``; this adds the routes that set and clear the HttpOnly sign-in cookie
(``codi_geo/ui/session_routes.py``), the community pin form (``codi_geo/ui/pin_routes.py``:
a light page, not a Streamlit session per reporter) and the maps' boundary files
(``codi_geo/ui/geo_routes.py``), keeps tracebacks off the page, caps the
process's malloc arenas before any session's thread runs, lets browsers keep the map
component's script and warms the caches before it reports healthy (``codi_geo/ui/process.py``).
"""

import streamlit as st
from starlette.middleware import Middleware

from codi_geo.ui import geo_routes, pin_routes, process, session_routes

process.limit_malloc_arenas()

app = st.App(
    "app.py",
    routes=[*session_routes.routes(), *pin_routes.routes(), *geo_routes.routes()],
    middleware=[Middleware(process.CacheHashedComponentFiles)],
    on_script_error=session_routes.on_script_error,
    lifespan=process.warm_caches,
)
