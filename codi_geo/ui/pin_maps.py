"""A page's pinpoints at any scale: the map reports its view, the store counts what it can show
(``maps.pins.pin_view``: the pins when few are in view, numbered cells or heat when many),
and a click on a pin opens its details. The disasters and housing pages draw their pins here,
each over its own base map (outlines and kinds, or the shaded areas).

Like every map (``widgets.show_map``), a pin map keeps its frame from one view of the page
to the next: a change of year, quarter, kinds or indicator replaces the drawing and the
pins, and the store counts the view the user is looking at; only a change of area moves the
map (``controls.FitView``), and is counted at the new area's opening view."""

from __future__ import annotations

from functools import partial

import folium
import streamlit as st

from codi_geo.maps import base, inplace, pins
from codi_geo.maps.viewstate import ViewState
from codi_geo.programmes import Programme
from codi_geo.results import points
from codi_geo.text import t
from codi_geo.ui import loaders, widgets
from codi_geo.ui import state as ui_state


def counted_pin_map(
    view: ViewState,
    programme: Programme,
    pin_filter: points.PinFilter,
    base_map: folium.Map,
    key: str,
    heat: bool = False,
    drill: bool | None = None,
    note: str = "",
) -> pins.PinView:
    """Draw ``base_map`` in place under ``key`` (a key per page and map kind, the same for
    every view of the page) and the pins of ``pin_filter`` the view holds on top, with a
    caption saying what is shown (``note`` first) and the details of a clicked pin.
    ``drill``: a click on an area of the base map opens it (True) or selects it (False);
    None: the base map has no areas to click."""
    lang = view.lang
    # the component's own key: a pin map of another kind (heat) needs a frame of its own
    frame_key = inplace.frame_key(base_map, key)
    bbox, zoom = counted_view(view, frame_key)
    shown = loaders.pin_view(pin_filter, bbox, zoom or 6, heat=heat)
    chosen = st.session_state.get(f"{key}_pin")
    detail = loaders.pin_detail(pin_filter, chosen) if chosen is not None else None
    layer = pins.feature_group(
        pins.pin_layer(
            shown, programme, lang, selected=detail, base_url_path=ui_state.base_url_path()
        )
    )
    clicked = show_pin_map(base_map, layer, frame_key)
    if clicked is not None and clicked != chosen:
        st.session_state[f"{key}_pin"] = clicked
        st.rerun()
    if drill is not None:
        widgets.handle_click(view, clicked_area(frame_key), drill=drill)
    if note:
        st.caption(note)
    number = partial(base.fmt_number, lang=lang)
    if shown.mode == "pins":
        st.caption(
            t("pins_caption_pins", lang, shown=number(shown.shown), total=number(shown.total))
        )
    else:
        st.caption(
            t(
                "pins_caption_cells",
                lang,
                in_view=number(shown.in_view),
                total=number(shown.total),
                limit=number(points.PIN_LIMIT),
            )
        )
    if shown.unplaceable:
        st.caption(t("pins_unplaceable", lang, n=number(shown.unplaceable)))
    if detail is not None:
        with st.container(border=True):
            st.markdown(f"**{t('pin_details', lang)}**")
            st.html(pins.pin_detail_html(detail, programme, lang))
    return shown


# The map reports its view, the server counts what it shows
# ---------------------------------------------------------------------------------------


def counted_view(view: ViewState, key: str) -> tuple[points.BBox, float]:
    """The bounds and zoom to count for the pin map ``key``: what the browser last reported,
    while the map is about the same area as when it reported it; the new area's opening
    view when the area has changed (the browser is about to fit it, and will report it)."""
    area = (view.scope, view.within, view.area)
    area_key = f"{key}_counted_area"
    bbox, zoom = pin_map_view(key)
    if st.session_state.get(area_key, area) != area:
        bbox = None
    st.session_state[area_key] = area
    if bbox is None:  # the selected tambon, else the area in the URL, else the country
        return pins.opening_view(view)
    return bbox, zoom or 6


PIN_MAP_OBJECTS = ["bounds", "zoom", "last_object_clicked", "last_active_drawing"]


def pin_map_view(key: str) -> tuple[tuple[float, float, float, float] | None, float | None]:
    """The view (south, west, north, east) and zoom the browser last reported for the pin
    map ``key`` (None before it has drawn once)."""
    returned = st.session_state.get(key) or {}
    bounds, zoom = returned.get("bounds") or {}, returned.get("zoom")
    try:
        south_west, north_east = bounds["_southWest"], bounds["_northEast"]
        bbox = (
            float(south_west["lat"]),
            float(south_west["lng"]),
            float(north_east["lat"]),
            float(north_east["lng"]),
        )
    except (KeyError, TypeError, ValueError):
        return None, None
    if any(v != v for v in bbox):  # NaN: a map not laid out yet
        return None, None
    return bbox, float(zoom) if isinstance(zoom, int | float) else None


def show_pin_map(
    m: folium.Map, layer: folium.FeatureGroup, frame_key: str, height: int | None = None
) -> int | None:
    """Draw the base map ``m`` in place (its frame stays, ``maps.inplace``) with its drawing
    and ``layer`` (the pins or counts of the current view) on top: a new view of the page or
    a new ``layer`` replaces them without a new map. Panning and zooming rerun the page (the
    server counts the new view). ``frame_key``: ``inplace.frame_key`` of ``m``. Returns the
    id of a newly clicked pin, else None."""
    returned = widgets.map_in_place(m, frame_key, PIN_MAP_OBJECTS, height, on_top=[layer])
    pin_id = widgets.new_click(returned, "id", frame_key)
    # a pin's id is a number; an area's dot reports its code as its id (a string)
    if isinstance(pin_id, bool) or not isinstance(pin_id, int | float):
        return None
    return int(pin_id)


def clicked_area(key: str) -> str | None:
    """The code of an area (its polygon or dot) newly clicked on the pin map ``key``, else
    None (a click on a pin or a numbered cell is not an area's)."""
    returned = st.session_state.get(key) or {}
    properties = (returned.get("last_active_drawing") or {}).get("properties") or {}
    pin_id = properties.get("id")
    if isinstance(pin_id, int | float) and not isinstance(pin_id, bool):
        return None
    code = widgets.new_click(returned, "code", f"{key}_area")
    return str(code) if code else None
