"""codi-geo's server: ``streamlit run serve.py`` (scripts/app.sh does it).

The pages are ``app.py``; this adds the routes that set and clear the HttpOnly sign-in cookie
(``codi_geo/ui/session_routes.py``) and keeps tracebacks off the page.
"""

import streamlit as st

from codi_geo.ui import session_routes

app = st.App("app.py", routes=session_routes.routes(),
             on_script_error=session_routes.on_script_error)
