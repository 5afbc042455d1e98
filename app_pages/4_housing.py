"""ที่อยู่อาศัย / Housing: for each housing programme, households (or another figure)
aggregated by province / district / tambon, with the named communities and project points
pinned (counted per area by the store when the view holds many: ``codi_geo.ui.pin_maps``),
and the rows listed with their source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from codi_geo.maps import base, figures, pagemaps
from codi_geo.outputs import tables
from codi_geo.programmes import PROGRAMMES, get_programme
from codi_geo.results import points
from codi_geo.text import t
from codi_geo.ui import guard, labels, pin_maps, widgets
from codi_geo.ui import state as ui_state

view = widgets.page_start("page_housing")
lang = view.lang
HOUSING = [p for p in PROGRAMMES if p.family == "housing"]

everything = widgets.period_rows_or_stop(None, view)

# unique(), not set(): a year of every programme is hundreds of thousands of rows
present = set(everything["programme"].unique()) if not everything.empty else set()
mappable = [p for p in HOUSING if p.id in present]
if not mappable:
    st.info(t("empty_filtered", lang))
    st.stop()
ids = [p.id for p in mappable]
asked_id = view.metric.split(":")[0] if view.metric else None
if asked_id in ids:
    chosen_id = asked_id
else:
    # The default: the first programme with rows placed in the area in view (a default that
    # says "no figures" helps no one).
    placed_rows = figures.kept(everything, everything["province_code"].notna())
    in_view = set(figures.within(placed_rows, view.within)["programme"].unique())
    chosen_id = next((i for i in ids if i in in_view), ids[0])
if not view.present:
    # a drop-down, not a row of buttons: nine programmes take four rows of a phone screen,
    # above the map
    widgets.controls().selectbox(
        t("programme", lang),
        ids,
        format_func=labels.programme_name(lang),
        **widgets.url_choice(view, "w_housing", "metric", chosen_id, area=None),
    )
programme = get_programme(chosen_id)
# the programme's rows as cached per process, not cut from every programme's on each run
rows = widgets.period_rows_or_stop(programme.id, view)
inside = figures.within(rows, view.within)
placed = figures.kept(inside, inside["province_code"].notna())

metric_ids = [
    m.id
    for m in programme.metrics
    if m.id in placed and pd.to_numeric(placed[m.id], errors="coerce").notna().any()
]
asked = view.metric.split(":")[1] if view.metric and view.metric.count(":") == 1 else None
metric_id = asked if asked in metric_ids else (metric_ids[0] if metric_ids else None)
if len(metric_ids) > 1 and not view.present:
    widgets.controls().radio(
        t("figure", lang),
        metric_ids,
        horizontal=True,
        format_func=labels.metric_name(programme, lang),
        **widgets.url_choice(
            view, "w_housing_metric", "metric", metric_id, prefix=f"{programme.id}:"
        ),
    )

map_column, side_column = widgets.map_columns(view)
with map_column:
    natural = (
        programme.level
        if view.scope == "national" and programme.level in ("province", "district", "tambon")
        else base.extent_for(view.scope, view.within, programme.level).level
    )
    level = widgets.level_choice(view, natural)
    # Internal pages count the communities and projects the map's view holds in the store;
    # a public frame has no coordinates, so its few named rows sit in their areas, drawn
    # with the map only when few (``pagemaps.pins_drawn``), as the disasters page shows
    # the public counts per area.
    counted = not guard.serving_public()
    page_map = pagemaps.housing(rows, view, programme, metric_id, level, lang, counted=counted)
    with st.spinner(t("loading_map", lang)):
        m = pagemaps.draw(
            page_map,
            lang,
            view.basemap,
            selected=view.area,
            base_url_path=ui_state.base_url_path(),
            large_legend=view.present,
        )
    if placed.empty:
        st.info(t("no_area_rows", lang))
    if counted:
        pin_filter = points.PinFilter(
            programme.id, view.fiscal_year, view.quarter, within=view.within, places_only=True
        )
        pin_maps.counted_pin_map(
            view,
            programme,
            pin_filter,
            m,
            "housing_pins",  # one map for every view of the page: it changes in place
            drill=level != "tambon",
            note=t("housing_counted_caption", lang),
        )
    else:
        widgets.handle_click(view, widgets.show_map(m, key="housing"), drill=level != "tambon")
        pins = page_map.points if page_map.points is not None else pd.DataFrame()
        if len(pins) and not pagemaps.pins_drawn(page_map):
            st.caption(
                t(
                    "housing_pins_capped",
                    lang,
                    n=base.fmt_number(len(pins), lang),
                    limit=base.fmt_number(points.PIN_LIMIT, lang),
                )
            )
        else:
            st.caption(t("housing_caption", lang, n=base.fmt_number(len(pins), lang)))
    widgets.download_area(page_map, view)

if side_column is None:
    st.stop()

TABLE_ROWS = 300  # rows of the listing sent to the browser (the downloads have them all)

with side_column:
    if programme.categories and not rows.empty and rows["category"].notna().any():
        st.subheader(t("by_category", lang, what=programme.category_label.get(lang)))
        by = figures.kept(rows, rows["province_code"].notna()) if not placed.empty else rows
        table = tables.by_category(by, programme, metric_id, page_map.unit, lang)
        st.dataframe(table, hide_index=True, width="stretch")
    st.subheader(t("rows_listed", lang))
    listing = inside if not inside.empty else rows
    if listing.empty:
        st.info(t("empty_filtered", lang))
    else:
        if len(listing) > TABLE_ROWS:  # tens of thousands of rows would be megabytes
            st.caption(
                t(
                    "pins_listing_capped",
                    lang,
                    shown=TABLE_ROWS,
                    total=base.fmt_number(len(listing), lang),
                )
            )
            listing = listing.head(TABLE_ROWS)
        shown = tables.housing_rows(listing, programme, lang)
        st.dataframe(shown, hide_index=True, width="stretch", height=360)
    widgets.details_panel(view, everything)
