"""Widgets shared by the pages: the sidebar (language, pages, basemap), the filter bar, the
map, and the messages for a missing boundary cache or missing map assets."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

from codi_geo.access.public import page_allowed
from codi_geo.maps import assets, inplace, viewstate
from codi_geo.maps.pagemaps import PRESENT_MAP_HEIGHT, filter_labels
from codi_geo.maps.viewstate import ViewState
from codi_geo.outputs import briefing, downloads, tables
from codi_geo.places import gazetteer
from codi_geo.text import t
from codi_geo.ui import explore, geo_routes, loaders, page_css, signin
from codi_geo.ui import state as ui_state
from codi_geo.ui.guard import plain, serving_public
from codi_geo.ui.loaders import boundary_cache_ready, fiscal_years

# (page file, text key, icon). The first is the home page.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("app_pages/1_overview.py", "page_overview", ":material/dashboard:"),
    ("app_pages/2_model_tambons.py", "page_model_tambon", ":material/star:"),
    ("app_pages/3_integrated_provinces.py", "page_integrated", ":material/hub:"),
    ("app_pages/4_housing.py", "page_housing", ":material/home:"),
    ("app_pages/5_disasters.py", "page_disaster", ":material/flood:"),
    ("app_pages/8_change.py", "page_change", ":material/compare_arrows:"),
    ("app_pages/6_data.py", "page_data", ":material/table:"),
    ("app_pages/9_review.py", "page_review", ":material/where_to_vote:"),
    ("app_pages/7_sources.py", "page_sources", ":material/info:"),
)
BUILD_COMMAND = "python -m codi_geo boundaries build --source PATH_OR_URL"
ASSETS_COMMAND = "bash scripts/vendor_assets.sh"
CLICK_OBJECTS = ["last_active_drawing", "last_object_clicked"]


def pages_for(public: bool) -> tuple[tuple[str, str, str], ...]:
    """The pages served to the public (those ``public.page_allowed`` allows: an allow-list,
    a new page is internal until named) or to signed-in staff (all of them)."""
    return tuple(p for p in PAGES if page_allowed(page_url(p[0]), public))


def pages_served() -> tuple[tuple[str, str, str], ...]:
    """The pages of this run (``guard.serving_public``)."""
    return pages_for(serving_public())


def page_url(path: str) -> str:
    """``app_pages/3_integrated_provinces.py`` -> ``integrated-provinces``."""
    return Path(path).stem.split("_", 1)[1].replace("_", "-")


def _sidebar_changed(state: ViewState) -> None:
    lang = st.session_state.get("w_lang") or state.lang
    basemap = st.session_state.get("w_basemap") or state.basemap
    ui_state.write(replace(state, lang=lang, basemap=basemap))


# Pages without a map: no presentation mode there.
MAPLESS_PAGES = frozenset({"data", "sources", "review"})


def sidebar(state: ViewState, user=None, page: str = "") -> None:
    """Who is signed in, language switch, page links that keep the view, basemap choice,
    presentation mode (on map pages; ``page`` is the URL path of the page shown)."""
    params = ui_state.params_of(state)
    st.session_state["w_lang"], st.session_state["w_basemap"] = state.lang, state.basemap
    with st.sidebar:
        if user is not None:
            signin.sidebar_status(user, state.lang)
        elif serving_public():
            st.caption(t("public_note", state.lang))
        # The page's filters and choices go here, first (``controls``): filled by the page,
        # which runs after this.
        st.session_state[_SESSION_CONTROLS] = st.container(key="sidebar_controls")
        st.divider()
        st.segmented_control(
            t("language", state.lang),
            options=list(viewstate.LANGS),
            format_func=lambda code: {"th": "ไทย", "en": "English"}[code],
            key="w_lang",
            on_change=_sidebar_changed,
            args=(state,),
        )
        for path, key, icon in pages_served():
            st.page_link(path, label=t(key, state.lang), icon=icon, query_params=params)
        st.divider()
        st.radio(
            t("basemap", state.lang),
            options=list(viewstate.BASEMAPS),
            format_func=lambda b: t(f"basemap_{b}", state.lang),
            key="w_basemap",
            on_change=_sidebar_changed,
            args=(state,),
        )
        if page not in MAPLESS_PAGES and st.button(
            t("present", state.lang),
            key="w_present",
            icon=":material/slideshow:",
            help=t("present_help", state.lang),
        ):
            ui_state.go(replace(state, present=True))
        st.caption(t("attribution", state.lang))


_SESSION_CONTROLS = "_codi_controls"


def controls():
    """Where a page puts its filters and choices: the top of the sidebar (``sidebar``),
    beside the map on a desktop and a sheet over the map on a phone, so the map has the
    screen."""
    return st.session_state.get(_SESSION_CONTROLS) or st.sidebar


def _filters_changed(state: ViewState) -> None:
    s = st.session_state
    fy, quarter = s.get("w_fy"), s.get("w_q")
    region = s.get("w_region") or None
    province, district = s.get("w_province") or None, s.get("w_district") or None
    new = replace(state, fiscal_year=fy, quarter=quarter or None)
    if region != state.region:
        new = replace(new, region=region, province=None, district=None, area=None)
    elif province != state.province:
        new = replace(new, province=province, district=None, area=province)
    elif district != state.district:
        new = replace(new, district=district, area=district or province)
    ui_state.write(viewstate.normalise(new))


def filter_bar(state: ViewState, years: list[int], areas: bool = True) -> None:
    """Fiscal year and quarter in one row, then CODI region → province → district, in the
    sidebar (``controls``). Each change goes to the URL at once."""
    lang = state.lang
    years = sorted({*years, *([state.fiscal_year] if state.fiscal_year else [])}, reverse=True)
    s = st.session_state
    s["w_fy"], s["w_q"] = state.fiscal_year, state.quarter or 0
    # "" stands for "all" (a None option would show as an empty placeholder).
    s["w_region"] = state.region or ""
    s["w_province"], s["w_district"] = state.province or "", state.district or ""
    bar = controls().container(key="filter_bar")
    period = bar.columns(2)
    columns = [period[0], period[1], bar, bar, bar]
    columns[0].selectbox(
        t("fiscal_year", lang),
        years,
        key="w_fy",
        on_change=_filters_changed,
        args=(state,),
        format_func=lambda y: t("fy_label", lang, be=y),
    )
    columns[1].selectbox(
        t("quarter", lang),
        [0, 1, 2, 3, 4],
        key="w_q",
        on_change=_filters_changed,
        args=(state,),
        format_func=lambda q: t("quarter_n", lang, n=q) if q else t("whole_year", lang),
    )
    if not areas:
        return
    regions = ["", *gazetteer.REGION_BY_ID]
    columns[2].selectbox(
        t("region", lang),
        regions,
        key="w_region",
        on_change=_filters_changed,
        args=(state,),
        format_func=lambda r: (
            gazetteer.REGION_BY_ID[r].name.get(lang) if r else t("all_regions", lang)
        ),
    )
    provinces = gazetteer.provinces()
    if state.region:
        # The region as CODI grouped the provinces in the fiscal year shown.
        region_of = gazetteer.province_regions(state.fiscal_year)
        provinces = provinces[provinces["code"].map(region_of) == state.region]
    provinces = provinces.sort_values("name_en" if lang == "en" else "name_th")
    columns[3].selectbox(
        t("province", lang),
        ["", *provinces["code"]],
        key="w_province",
        on_change=_filters_changed,
        args=(state,),
        format_func=lambda c: (gazetteer.name_of(c, lang) or c) if c else t("all_provinces", lang),
    )
    district_codes: list[str] = [""]
    if state.province:
        districts = gazetteer.districts()
        districts = districts[districts["province_code"] == state.province]
        district_codes += sorted(districts["code"], key=lambda c: gazetteer.name_of(c, lang) or c)
    columns[4].selectbox(
        t("district", lang),
        district_codes,
        key="w_district",
        on_change=_filters_changed,
        args=(state,),
        disabled=not state.province,
        format_func=lambda c: (gazetteer.name_of(c, lang) or c) if c else t("all_districts", lang),
    )


def breadcrumb_bar(state: ViewState) -> None:
    """Where the map is: whole country › region › province › district, each a way back."""
    crumbs = viewstate.breadcrumbs(state, state.lang)
    if len(crumbs) < 2:
        return
    row = controls().container(horizontal=True, wrap=True, gap="small", key="breadcrumbs")
    for position, (label, target) in enumerate(crumbs[:-1]):
        if row.button(f"← {label}", key=f"crumb_{position}", type="tertiary"):
            ui_state.go(target)
    row.markdown(f"**{plain(crumbs[-1][0])}**")


def boundary_cache_missing(lang: str) -> None:
    st.error(f"**{t('cache_missing_title', lang)}**\n\n{t('cache_missing_body', lang)}")
    st.code(BUILD_COMMAND, language="bash")


def assets_missing(lang: str, missing: list[str]) -> None:
    st.error(f"**{t('assets_missing_title', lang)}**\n\n{t('assets_missing_body', lang)}")
    st.code(ASSETS_COMMAND, language="bash")
    st.caption(", ".join(missing))


def period_rows_or_stop(programme_id: str | None, view: ViewState) -> Any:
    """The stored rows of ``programme_id`` (every programme when None) for the view's fiscal
    year and quarter, once the map prerequisites are checked. A missing boundary cache or map
    asset stops the page with a message saying what to do (a store that cannot be read raises
    ``StoreUnavailableError``, which the entry point reports)."""
    rows = loaders.period_results(programme_id, view.fiscal_year, view.quarter)
    if not maps_ready(view.lang):
        st.stop()
    return rows


def maps_ready(lang: str) -> bool:
    """True when the boundary cache and the map assets are in place; otherwise say what is
    missing and how to fix it."""
    ready = True
    if not boundary_cache_ready():
        boundary_cache_missing(lang)
        ready = False
    missing = assets.missing_files()
    if missing:
        assets_missing(lang, missing)
        ready = False
    return ready


# The map's frame as streamlit-folium sizes it; on a page (``map_area``) the CSS of
# ``page_css.BASE_CSS`` makes it as tall as the window below the title instead.
MAP_HEIGHT = 620
_SESSION_PRESENT = "_codi_present"
# How long a run waits after the map before it writes the rest of the page: more than the
# server's flush of messages (every 5 ms) and the browser's handling of one (``map_in_place``).
MAP_FIRST_SECONDS = 0.04
# The frames (``inplace.frame_key``) the session's last run drew, and those this run draws.
_SESSION_FRAMES = "_codi_frames"


def new_run() -> None:
    """Called by the entry point at the start of every page run: the maps the last run drew
    are the ones in the browser now."""
    frames = st.session_state.setdefault(_SESSION_FRAMES, {"last": set(), "now": set()})
    frames["last"], frames["now"] = frames["now"], set()


def show_map(m: folium.Map, key: str, height: int | None = None) -> str | None:
    """Draw ``m`` in place: the map's frame stays in the page from one view to the next and
    only its drawing is replaced (``maps.inplace``), so a filter change keeps the map, and
    the user's pan and zoom while the area is the same. Panning and zooming do not rerun the
    script (only clicks come back). Returns the code of a newly clicked area (or point id),
    else None."""
    returned = map_in_place(m, inplace.frame_key(m, key), CLICK_OBJECTS, height)
    code = new_click(returned, "code", key)
    return str(code) if code else None


def map_in_place(
    m: folium.Map,
    frame_key: str,
    returned_objects: list[str],
    height: int | None = None,
    on_top: Sequence[folium.FeatureGroup] = (),
) -> dict[str, Any]:
    """``m`` as its frame (kept in the page under ``frame_key``: ``inplace.frame_key``) and
    its drawing, with the feature groups ``on_top`` above it; what streamlit-folium returns
    (``returned_objects``)."""
    frame, drawing = inplace.split(m)
    if not geo_routes.mounted():
        inplace.geometry_inline(drawing)
    returned = st_folium(
        frame,
        key=frame_key,
        height=map_height(height),
        use_container_width=True,
        returned_objects=returned_objects,
        feature_group_to_add=[drawing, *on_top],
    )
    # A new drawing for the frame the browser has (a change of the view) goes to it on its
    # own, before what the page writes below the map. Sent together, the browser laid out
    # the tables first (on the frame's thread) and only then passed the map its drawing: a
    # change of year recoloured the country's tambons in 0.26 s, and in 0.22 s with this
    # wait (bench_inplace at 1,000,000 pins, medians of three runs of each, in turn). Not
    # for a new frame: the browser builds it meanwhile, and the disasters page's first map
    # came 0.6 s later.
    frames = st.session_state.get(_SESSION_FRAMES)
    if frames is not None:
        if frame_key in frames["last"]:
            time.sleep(MAP_FIRST_SECONDS)
        frames["now"].add(frame_key)
    return returned or {}


def map_height(height: int | None) -> int:
    """``height``, else the map's height on a page (taller in presentation mode)."""
    if height is not None:
        return height
    return PRESENT_MAP_HEIGHT if st.session_state.get(_SESSION_PRESENT) else MAP_HEIGHT


def new_click(returned: dict[str, Any], name: str, key: str) -> Any:
    """Property ``name`` of the feature last clicked on map ``key``, the first time that
    click comes back (streamlit-folium returns the last click on every rerun); else None."""
    drawing = returned.get("last_active_drawing") or {}
    value = (drawing.get("properties") or {}).get(name)
    if value is None or value == "":
        return None
    signature = (value, str(returned.get("last_object_clicked")))
    seen_key = f"_seen_click_{key}"
    if st.session_state.get(seen_key) == signature:
        return None
    st.session_state[seen_key] = signature
    return value


def page_start(title_key: str, areas: bool = True) -> ViewState:
    """Title, filter bar and breadcrumbs of a page (in presentation mode: the title, the
    period and area, and the way back); returns the view."""
    view = ui_state.current()
    st.session_state[_SESSION_PRESENT] = view.present
    if view.present:
        presentation_header(view, title_key)
        return view
    if st.session_state.pop(ui_state.CLOSE_SHEET, False):
        close_sheet_on_phone()
    # A small title and the place search in one row above the map; the filters beside it.
    head = st.container(key="page_head", horizontal=True, vertical_alignment="center", gap="medium")
    head.title(t(title_key, view.lang))
    if areas:
        with head:
            explore.place_search(view)
    filter_bar(view, fiscal_years(), areas=areas)
    if areas:
        breadcrumb_bar(view)
    return view


def handle_click(view: ViewState, code: str | None, drill: bool = True) -> None:
    """A click on the map: open provinces and districts (drill-down), select tambons."""
    if not code:
        return
    if code in gazetteer.REGION_BY_ID or (code.isdigit() and len(code) in (2, 4, 6)):
        target = viewstate.drill_down(view, code) if drill else viewstate.select(view, code)
        ui_state.go(target)


def level_choice(view: ViewState, natural: str, options: tuple[str, ...] | None = None) -> str:
    """Radio for the polygons drawn (province/district/tambon), kept in the URL."""
    lang = view.lang
    scope_levels = {
        "national": ("province", "district", "tambon"),
        "region": ("province", "district", "tambon"),
        "province": ("district", "tambon"),
        "district": ("tambon",),
    }[view.scope]
    choices = [lvl for lvl in (options or scope_levels) if lvl in scope_levels]
    if len(choices) < 2:
        return choices[0] if choices else natural
    current = (
        view.level if view.level in choices else (natural if natural in choices else choices[0])
    )
    if view.present:  # presentation mode: the level of the shared link, no controls
        return current
    controls().radio(
        t("show_level", lang),
        choices,
        horizontal=True,
        format_func=lambda lvl: t(f"level_{lvl}", lang),
        **url_choice(view, "w_level", "level", current),
    )
    return current


def url_choice(state: ViewState, key: str, field: str, value: Any, **also: Any) -> dict[str, Any]:
    """The arguments of a widget ``key`` whose choice is the view's ``field`` in the URL: it
    shows ``value`` (set before the widget is made) and its ``on_change`` writes the new
    choice, with the fields ``also`` (what it resets, or a ``prefix`` before the value), before
    the run the change starts, so a change is one run of the page (a rerun from the page would
    first run it up to the widget, then again)."""
    st.session_state[key] = value
    return {"key": key, "on_change": _choice_changed, "args": (state, key, field), "kwargs": also}


def _choice_changed(state: ViewState, key: str, field: str, prefix: str = "", **also: Any) -> None:
    """``on_change`` of a ``url_choice``. A choice taken back (a segmented control clicked
    off: None) changes nothing."""
    value = st.session_state.get(key)
    if value is None:
        return
    changes: dict[str, Any] = {field: f"{prefix}{value}" if prefix else value, **also}
    ui_state.write(replace(state, **changes))


def details_panel(view: ViewState, rows, title_suffix: str = "") -> None:
    """Every programme's figures for the selected area, and a way into it."""
    lang = view.lang
    st.subheader(t("details", lang))
    if not view.area:
        st.caption(t("details_hint", lang))
        return
    name = gazetteer.full_name(view.area, lang) if gazetteer.is_current(view.area) else view.area
    st.markdown(f"**{plain(name)}**{title_suffix}")
    shown = tables.area_details(rows, view.area, lang)
    if shown.empty:
        st.info(t("no_figures_for_area", lang))
    else:
        st.dataframe(shown, hide_index=True, width="stretch")
    explore.area_profile(view)
    columns = st.columns(2)
    can_open = len(view.area) in (2, 4) and view.within != view.area
    label = t("drill_into", lang, name=gazetteer.name_of(view.area, lang))
    if can_open and columns[0].button(label, key="drill_into"):
        ui_state.go(viewstate.drill_down(view, view.area))
    if columns[1].button(t("close_details", lang), key="close_details"):
        ui_state.go(viewstate.select(view, None))


# ---------------------------------------------------------------------------------------
# Presentation mode, downloads, internal-only pages
# ---------------------------------------------------------------------------------------


def base_style(lang: str = "th") -> None:
    st.html(page_css.BASE_CSS + page_css.FILTERS_LABEL_CSS.format(label=t("filters", lang)))


def close_sheet_on_phone() -> None:
    """Close the sidebar on a phone (nothing on a wider screen)."""
    round_ = st.session_state.get("_codi_sheet_round", 0) + 1
    st.session_state["_codi_sheet_round"] = round_
    st.sidebar.html(page_css.CLOSE_SHEET_JS.format(round=round_), unsafe_allow_javascript=True)


def presentation_style() -> None:
    """Presentation mode: no sidebar, no header, the main area as wide as the screen."""
    st.html(page_css.PRESENTATION_CSS)


def presentation_header(view: ViewState, title_key: str) -> None:
    """Title, period and area in view, and the button that leaves presentation mode."""
    lang = view.lang
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.title(t(title_key, lang))
    period = briefing.period_label(view.fiscal_year, view.quarter, lang)
    area = " · ".join(value for _, value in filter_labels(view, lang))
    left.caption(f"{period} · {area}")
    if right.button(
        t("present_exit", lang), key="w_present_exit", icon=":material/close_fullscreen:"
    ):
        st.session_state[ui_state.RESTORE_SIDEBAR] = True
        ui_state.go(replace(view, present=False))


def map_columns(view: ViewState):
    """(map area, figures area) of a map page. Map first: the map takes the full content
    width and the figures and tables follow below it (beside it they squeezed it to 40% of
    the screen). In presentation mode the figures area is None (pages leave out what went
    there)."""
    if view.present:
        return st.container(key="map_area"), None
    return st.container(key="map_area"), st.container(key="figures_area")


def download_area(page_map, view: ViewState) -> None:
    """The files of the current view (PNG, PDF, XLSX, CSV, GeoJSON), made on the server
    from the same ``PageMap`` the map draws, only when a button is clicked."""
    if view.present or page_map is None:
        return
    lang = view.lang
    files = downloads.downloads(page_map, view, public_page=serving_public())
    with st.container(border=True):
        st.markdown(f"**{t('downloads', lang)}** · {t('downloads_help', lang)}")
        icons = {
            "png": ":material/image:",
            "pdf": ":material/picture_as_pdf:",
            "xlsx": ":material/table_view:",
            "csv": ":material/csv:",
            "geojson": ":material/map:",
        }
        with st.container(horizontal=True, wrap=True, gap="small"):
            for item in files:
                st.download_button(
                    item.label,
                    data=item.make,
                    file_name=item.file_name,
                    mime=item.mime,
                    key=f"download_{item.format}",
                    help=item.help,
                    on_click="ignore",
                    icon=icons.get(item.format),
                )


def internal_page_paths() -> list[str]:
    """The addresses of the pages a public deployment does not serve, as people type or
    link them: ``data``, ``Data`` and the file name ``6_data``."""
    served = {path for path, _, _ in pages_served()}
    paths: list[str] = []
    for path, _, _ in PAGES:
        if path not in served:
            url = page_url(path)
            paths += [url, url.capitalize(), Path(path).stem]
    return list(dict.fromkeys(paths))


def internal_only_page() -> None:
    """What a public deployment serves at an internal page's address: what the page is, that
    it is not here, and the public pages (nothing of the page itself)."""
    view = ui_state.current()
    lang = view.lang
    st.title(t("internal_only_title", lang))
    st.info(t("internal_only_body", lang))
    params = ui_state.params_of(view)
    for path, key, icon in pages_served():
        st.page_link(path, label=t(key, lang), icon=icon, query_params=params)


def require_internal(lang: str) -> None:
    """Stop a page that a public deployment must not serve (a second guard: public
    navigation does not list it either)."""
    if serving_public():
        st.error(t("not_allowed", lang))
        st.stop()
