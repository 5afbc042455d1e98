"""Finding a place, the area profile and the slide pack: Streamlit widgets that
``widgets.page_start`` and ``widgets.details_panel`` call, and the overview's pack button."""

from __future__ import annotations

from functools import partial

import streamlit as st

from codi_geo.maps import figures, periods, viewstate
from codi_geo.maps.viewstate import ViewState
from codi_geo.outputs import downloads, pack, tables
from codi_geo.places import gazetteer
from codi_geo.places.search import search_places
from codi_geo.text import t
from codi_geo.ui import guard, loaders
from codi_geo.ui import state as ui_state

_FIND_ROUND = "_codi_find_round"  # bumped after a choice: a fresh, empty search box


def place_label(code: str, lang: str) -> str:
    """``จ.นครราชสีมา`` / ``Nakhon Ratchasima (province)``: a suggestion's text."""
    name = gazetteer.full_name(code, lang)
    if lang == "en":
        return f"{name} ({t('place_level_' + gazetteer.level_of_code(code), lang)})"
    return name


def place_search(view: ViewState) -> None:
    """Type a province, district or tambon (Thai or English, short forms, typos); pick a
    suggestion: the map goes there and the area's profile opens. The choice is the URL's
    province / district / area (``viewstate.go_to_place``)."""
    if view.present:
        return
    _place_search(view)


@st.fragment
def _place_search(view: ViewState) -> None:
    # A fragment: a typing pause reruns only the search box and its suggestions.
    lang = view.lang
    key = f"w_find_{st.session_state.get(_FIND_ROUND, 0)}"
    with st.container(key="place_search"):
        text = st.text_input(
            t("search_place", lang),
            key=key,
            type="search",
            live=True,
            max_chars=120,
            placeholder=t("search_placeholder", lang),
            help=t("search_help", lang),
            label_visibility="collapsed",
            icon=":material/search:",
        )
        if not text or not text.strip():
            return
        found = search_places(text)
        if not found.codes:
            st.caption(t("search_none", lang, q=found.query))
            return
        if found.ambiguous:
            st.caption(t("search_ambiguous", lang))
        chosen = None
        with st.container(horizontal=True, wrap=True, gap="small", key="place_suggestions"):
            for position, code in enumerate(found.codes):
                if st.button(
                    place_label(code, lang),
                    key=f"find_pick_{code}",
                    type="primary" if position == 0 and found.matched else "secondary",
                    icon=":material/location_on:",
                ):
                    chosen = code
        if chosen:
            st.session_state[_FIND_ROUND] = st.session_state.get(_FIND_ROUND, 0) + 1
            ui_state.go(viewstate.go_to_place(view, chosen))


def area_profile(view: ViewState) -> None:
    """The selected area's figures in every stored fiscal year, a trend line per figure,
    and the table as CSV / Excel (made when clicked)."""
    lang = view.lang
    if not view.area:
        return
    try:
        rows = loaders.results(None, None)
    except guard.StoreUnavailableError as error:  # the map above stays usable
        guard.store_unavailable(error, lang)
        return
    profile = periods.area_profile(rows, view.area, view.quarter, lang)
    st.markdown(f"**{t('area_profile', lang)}**")
    if profile.empty:
        st.caption(t("area_profile_none", lang))
        return
    shown = tables.area_profile(profile, lang)
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="area_profile_table",
        column_config={
            t("trend", lang): st.column_config.LineChartColumn(t("trend", lang), width="small")
        },
    )
    quarter = t("area_profile_quarter", lang, q=view.quarter) if view.quarter else ""
    st.caption(t("area_profile_note", lang, quarter=quarter))
    with st.container(horizontal=True, gap="small"):
        for fmt, icon in (("xlsx", ":material/table_view:"), ("csv", ":material/csv:")):
            st.download_button(
                t(f"download_{fmt}", lang),
                on_click="ignore",
                icon=icon,
                data=partial(downloads.profile_bytes, profile, view, fmt),
                file_name=downloads.profile_file_name(view, fmt),
                mime=downloads.MIME_TYPES[fmt],
                key=f"area_profile_{fmt}",
            )


def briefing_pack_button(view: ViewState, has_rows: bool) -> None:
    """``ชุดสไลด์ (PPTX)``: one slide per programme with figures in the view, made on the
    server when clicked (the same images as each map's PNG). The period's rows are read only
    then: opening the overview reads no bulk rows."""
    if view.present or not has_rows:
        return
    public = guard.serving_public()  # asked now: the pack is made later, outside this run
    exact = loaders.exact_scope()

    def make() -> bytes:
        rows = figures.filter_period(
            loaders.results(None, view.fiscal_year, public_only=public, exact=exact),
            None,
            view.quarter,
        )
        return pack.briefing_pack(rows, view, public_page=public)

    st.download_button(
        t("pack_button", view.lang),
        on_click="ignore",
        icon=":material/slideshow:",
        data=make,
        file_name=pack.pack_filename(view),
        mime=pack.PPTX_MIME,
        key="briefing_pack",
        help=t("pack_help", view.lang),
    )
