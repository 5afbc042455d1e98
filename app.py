"""codi-geo: maps of CODI programme results. Run: streamlit run app.py

The entrypoint reads the view from the URL, draws the sidebar (language, pages, basemap) and
runs the chosen page. Pages are thin: they read the view, call ``codi_geo`` and draw.
"""

from __future__ import annotations

import streamlit as st

from codi_geo.map_text import t
from codi_geo.ui import state as ui_state
from codi_geo.ui import widgets

st.set_page_config(
    page_title="แผนที่ผลการดำเนินงาน พอช. / CODI results map",
    page_icon="🗺️",
    layout="wide",
)

view = ui_state.current()
pages = [
    st.Page(path, title=t(key, view.lang), icon=icon, default=(index == 0),
            url_path=widgets.page_url(path))
    for index, (path, key, icon) in enumerate(widgets.pages_served())
]
page = st.navigation(pages, position="hidden")
widgets.sidebar(view)
try:
    page.run()
except Exception as error:  # a page failed: say what happened and what to do, keep the app
    st.error(f"**{t('error_title', view.lang)}**: {type(error).__name__}: {error}\n\n"
             f"{t('error_what_to_do', view.lang)}")
    with st.expander(t("error_details", view.lang)):
        st.exception(error)
