"""ภัยพิบัติ / Disasters: pinpoints coloured by kind (counted per area by the store when
the view holds many: ``codi_geo.maps.pins``), a quarter filter (the
filter bar) and a kind filter, counts per tambon, and a heat view."""

from __future__ import annotations

import streamlit as st

from codi_geo.maps import base, figures, pagemaps, pins
from codi_geo.outputs import tables
from codi_geo.programmes import get_programme
from codi_geo.results import points
from codi_geo.text import t
from codi_geo.ui import guard, labels, loaders, pin_maps, pin_photos, widgets
from codi_geo.ui import state as ui_state

view = widgets.page_start("page_disaster")
lang = view.lang
programme = get_programme("disaster")
# A public page shows counts per area only: its rows are already counted per tambon, so
# there are no single pinpoints to draw.
MODES = ("counts",) if guard.serving_public() else pagemaps.DISASTER_MODES

rows = widgets.period_rows_or_stop(programme.id, view)

inside = figures.within(rows, view.within)
present = set(inside["category"].dropna().unique())  # once: 100,000 rows are 0.5 s a pass
kinds = [c.id for c in programme.categories if c.id in present]
mode = view.disaster_mode if view.disaster_mode in MODES else MODES[0]
chosen_kinds = kinds
if not view.present:
    controls = [widgets.controls()] * 2
    if len(MODES) > 1:
        controls[0].segmented_control(
            t("map_view", lang),
            MODES,
            format_func=labels.text("mode_", lang),
            **widgets.url_choice(view, "w_disaster_mode", "disaster_mode", mode),
        )
    chosen_kinds = controls[1].multiselect(
        t("kinds", lang),
        kinds,
        default=kinds,
        key="w_kinds",
        format_func=labels.category_name(programme, lang),
    )
shown = figures.in_categories(inside, chosen_kinds) if kinds else inside

map_column, side_column = widgets.map_columns(view)
pin_view = None
with map_column:
    level = None
    if mode == "counts":
        level = widgets.level_choice(view, pagemaps.disaster_level(view.scope))
    page_map = pagemaps.disasters(shown, view, mode, level, lang)
    if not page_map.has_data:
        st.info(t("empty_filtered", lang))
    if mode == "counts":
        with st.spinner(t("loading_map", lang)):
            m = pagemaps.draw(
                page_map,
                lang,
                view.basemap,
                selected=view.area,
                base_url_path=ui_state.base_url_path(),
                large_legend=view.present,
            )
        widgets.handle_click(
            view, widgets.show_map(m, key="disaster_counts"), drill=page_map.level != "tambon"
        )
    else:
        # Pinpoints at any scale: the store counts what the map's view can show (pins when
        # few, numbered cells or heat when many); the map stays in the page from one view to
        # the next (one key per map kind).
        pin_filter = points.PinFilter(
            programme.id,
            view.fiscal_year,
            view.quarter,
            categories=points.ticked_kinds(chosen_kinds, kinds),
            within=view.within,
        )
        extent = base.extent_for(
            view.scope, view.within, level="province", fiscal_year=view.fiscal_year
        )
        with st.spinner(t("loading_map", lang)):
            options = base.MapOptions(
                lang, view.basemap, view.area, base_url_path=ui_state.base_url_path()
            )
            m = pins.base_pin_map(extent, programme, options, mode)
            if view.present:
                pagemaps.LargeLegend().add_to(m)
        pin_view = pin_maps.counted_pin_map(
            view, programme, pin_filter, m, f"disaster_{mode}", heat=mode == "heat"
        )
    widgets.download_area(page_map, view)

if side_column is None:
    st.stop()

# At most this many rows reach the browser in each table (100,000 rows would be megabytes).
TABLE_ROWS = 300
with side_column:
    st.subheader(t("counts_per_tambon", lang))
    table = tables.pinpoints_per_tambon(shown, lang, limit=TABLE_ROWS)
    if table.empty:
        st.caption(t("no_tambon_rows", lang))
    else:
        tambons = shown["tambon_code"].nunique()
        if tambons > TABLE_ROWS:
            st.caption(
                t("tambons_capped", lang, shown=TABLE_ROWS, total=base.fmt_number(tambons, lang))
            )
        st.dataframe(table, hide_index=True, width="stretch")
    st.subheader(t("rows_listed", lang))
    if shown.empty:
        st.info(t("empty_filtered", lang))
    else:
        listed = shown
        if pin_view is not None and pin_view.pins is not None:
            listed = shown[shown["id"].isin(pin_view.pins["id"])]  # the pins in view
        if len(listed) > TABLE_ROWS:
            st.caption(
                t(
                    "pins_listing_capped",
                    lang,
                    shown=TABLE_ROWS,
                    total=base.fmt_number(len(listed), lang),
                )
            )
            listed = listed.head(TABLE_ROWS)
        listing = tables.disaster_rows(listed, programme, lang)
        st.dataframe(listing, hide_index=True, width="stretch", height=320)
    widgets.details_panel(view, loaders.area_rows(view.fiscal_year, view.area))
    pin_photos.tambon_photos(view)  # photos a moderator made public, beside the counts
