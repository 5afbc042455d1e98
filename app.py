"""codi-geo: maps of CODI programme results. Run: streamlit run serve.py (this script plus
the routes of the sign-in cookie).

The entrypoint reads the view from the URL, signs the user in (internal app), draws the
sidebar (who, language, pages, basemap) and runs the chosen page. Pages are thin: they read
the view, call ``codi_geo`` and draw.

``CODI_GEO_MODE=public`` serves the read-only public pages: no sign-in, no data page, public
rows only (``codi_geo.access.public``); so does an internal app whose sign-in is not set up
(it fails closed, ``codi_geo.ui.signin``). Presentation mode (``?present=1``) hides the
sidebar. Run it through ``serve.py`` (``streamlit run serve.py``), which adds the routes of
the sign-in cookie.
"""

from __future__ import annotations

import contextlib

import streamlit as st

from codi_geo.access import rules
from codi_geo.access.public import PublicModeError, app_mode
from codi_geo.text import t
from codi_geo.ui import guard, loaders, pins_review, signin, widgets
from codi_geo.ui import state as ui_state

present = str(st.query_params.get("present", "")) in ("1", "true", "yes")
# Leaving presentation mode asks for the sidebar back outright ("auto" after "collapsed"
# left it to the browser's memory of the collapsed state).
restore_sidebar = bool(st.session_state.pop(ui_state.RESTORE_SIDEBAR, False)) and not present
st.set_page_config(
    page_title="แผนที่ผลการดำเนินงาน พอช. / CODI results map",
    page_icon="🗺️",
    layout="wide",
    initial_sidebar_state="collapsed" if present else ("expanded" if restore_sidebar else "auto"),
)

try:
    public = app_mode() == "public"
except PublicModeError as error:  # a typo must never serve internal pages
    st.error(str(error))
    st.stop()
sign_in = None
if not public:
    # Only the internal app writes: a public deployment may use a read-only database role.
    with contextlib.suppress(guard.StoreUnavailableError):  # pages say so where they need data
        loaders.load_shipped()
    sign_in = signin.setup()
    public = sign_in.closed  # no sign-in set up: the public pages, read-only, for everyone
# The one answer to "is this request served as public?": pages and loaders ask guard for it.
guard.set_serving_public(public)
loaders.start_run()  # from here on the run reads one data version of the store
widgets.new_run()  # the maps the last run drew are the browser's now

view = ui_state.current()
pages = [
    st.Page(
        path,
        title=t(key, view.lang),
        icon=icon,
        default=(index == 0),
        url_path=widgets.page_url(path),
    )
    for index, (path, key, icon) in enumerate(widgets.pages_served())
]
if public:
    # The data page's address, typed or from an old link, gets a page that says what it is
    # and where to go (without it Streamlit shows a "Page not found" dialog).
    pages += [
        st.Page(
            widgets.internal_only_page, title=t("internal_only_title", view.lang), url_path=path
        )
        for path in widgets.internal_page_paths()
    ]
page = st.navigation(pages, position="hidden")
user = None
if sign_in is not None and not sign_in.closed:
    user = signin.require_user(sign_in, view.lang)
    if not user.can("view"):  # a community reporter: the pin form only (/pin)
        pins_review.reporter_only(view.lang)
    view = ui_state.apply_default_region(view, rules.default_region(user), user.username)
# Whose community pins this run shows exactly: the loaders ask ``public.exact_provinces``.
guard.set_viewer(user)
if sign_in is not None and not (sign_in.closed and view.present):
    signin.banner(sign_in, view.lang)
widgets.base_style(view.lang)
if view.present:
    widgets.presentation_style()
widgets.sidebar(view, user, page.url_path)
try:
    page.run()
except Exception as error:  # a page failed: keep the app; the detail goes to the log only
    guard.show_error(error, view.lang)
