"""A page's pinpoints at any scale: the map reports its view, the store counts what it can show
(``maps.pins.pin_view``: the pins when few are in view, numbered cells or heat when many),
and a click on a pin opens its details. The disasters and housing pages draw their pins here,
each over its own base map (outlines and kinds, or the shaded areas)."""

from __future__ import annotations

from functools import partial

import folium
import streamlit as st

from codi_geo.maps import base, pins
from codi_geo.maps.viewstate import ViewState
from codi_geo.programmes import Programme
from codi_geo.results import points
from codi_geo.text import t
from codi_geo.ui import loaders, widgets
from codi_geo.ui import state as ui_state


def opening_view(view: ViewState) -> tuple[points.BBox, float]:
    """The bounds and zoom counted before the browser has reported its own: the selected
    tambon, else the area in the URL, else the country."""
    extent = base.extent_for(
        view.scope, view.within, level="province", fiscal_year=view.fiscal_year
    )
    opening = pins.focus_bounds(extent, view.area)
    return pins.bbox_of(opening), pins.zoom_for(opening)


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
    """Draw ``base_map`` once under ``key`` (a key per base map: its filters) and the pins
    of ``pin_filter`` the view holds on top, with a caption saying what is shown (``note``
    first) and the details of a clicked pin. ``drill``: a click on an area of the base map
    opens it (True) or selects it (False); None: the base map has no areas to click."""
    lang = view.lang
    bbox, zoom = widgets.pin_map_view(key)
    if bbox is None:
        bbox, zoom = opening_view(view)
    shown = loaders.pin_view(pin_filter, bbox, zoom or 6, heat=heat)
    chosen = st.session_state.get(f"{key}_pin")
    detail = loaders.pin_detail(pin_filter, chosen) if chosen is not None else None
    layer = pins.feature_group(
        pins.pin_layer(
            shown, programme, lang, selected=detail, base_url_path=ui_state.base_url_path()
        )
    )
    clicked = widgets.show_pin_map(base_map, layer, key=key)
    if clicked is not None and clicked != chosen:
        st.session_state[f"{key}_pin"] = clicked
        st.rerun()
    if drill is not None:
        widgets.handle_click(view, widgets.clicked_area(key), drill=drill)
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
