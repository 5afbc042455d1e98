"""The view state lives in the URL (``st.query_params``): read it once per run, write it back
whenever a widget or a map click changes it. Page changes carry it (``page_link`` with the
same query parameters, and a session copy for Streamlit's own navigation)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from codi_geo.maps import viewstate
from codi_geo.maps.viewstate import ViewState
from codi_geo.ui.loaders import fiscal_years

_SESSION_PARAMS = "_codi_view_params"
# Set when presentation mode is left: the next run asks for the sidebar expanded.
RESTORE_SIDEBAR = "_codi_restore_sidebar"
# Set when the view changes: the next run closes the sheet of filters on a phone.
CLOSE_SHEET = "_codi_close_sheet"


def base_url_path() -> str:
    """Where the server serves the app on its site (``server.baseUrlPath``): the start of
    every URL of its own, for map assets and the session routes."""
    return str(st.get_option("server.baseUrlPath") or "")


# The default fiscal year of the session's last run (``current``).
_SESSION_DEFAULT_FY = "_codi_default_fy"


def default_fy() -> int:
    fy = viewstate.default_fiscal_year(fiscal_years())
    st.session_state[_SESSION_DEFAULT_FY] = fy
    return fy


def current() -> ViewState:
    """The view of this run, from the URL (or, when a page change dropped the query
    parameters, from the last view of this session)."""
    params = st.query_params.to_dict()
    if not params and _SESSION_PARAMS in st.session_state:
        params = dict(st.session_state[_SESSION_PARAMS])
        if params:
            st.query_params.from_dict(params)
    return viewstate.from_query_params(params, default_fy=default_fy())


def params_of(state: ViewState) -> dict[str, str]:
    """``state`` as the URL's query parameters. The year is left out when it is the default
    of the session's last run: a widget's ``on_change`` writes the view before its run has
    begun, and asking the store for its years there was a query of every filter change."""
    known = st.session_state.get(_SESSION_DEFAULT_FY)
    return viewstate.to_query_params(state, default_fy=default_fy() if known is None else known)


def write(state: ViewState) -> None:
    """Make ``state`` the view: the URL and the session copy."""
    params = params_of(state)
    st.session_state[_SESSION_PARAMS] = params
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
        st.session_state[CLOSE_SHEET] = True


def go(state: ViewState) -> None:
    """Change the view now (write it and rerun)."""
    write(state)
    st.rerun()


_SESSION_DEFAULT_REGION = "_codi_default_region_for"


def apply_default_region(state: ViewState, region: str | None, who: str) -> ViewState:
    """The signed-in user's CODI region as the region filter, once per session and user,
    unless the URL already names an area (a shared link wins). Afterwards the user may
    choose any region, or the whole country, and it stays so."""
    if st.session_state.get(_SESSION_DEFAULT_REGION) == who:
        return state
    st.session_state[_SESSION_DEFAULT_REGION] = who
    if region is None or state.region or state.province or state.district:
        return state
    chosen = viewstate.normalise(replace(state, region=region))
    write(chosen)
    return chosen
