"""ภัยพิบัติ / Disasters: pinpoints clustered and coloured by kind, a quarter filter (the
filter bar) and a kind filter, counts per tambon, and a heat view."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from codi_geo.maps import base, figures, pagemaps
from codi_geo.outputs import tables
from codi_geo.programmes import get_programme
from codi_geo.text import t
from codi_geo.ui import loaders, widgets
from codi_geo.ui import state as ui_state

view = widgets.page_start("page_disaster")
lang = view.lang
programme = get_programme("disaster")
# A public page shows counts per area only: its rows are already counted per tambon, so
# there are no single pinpoints to draw.
MODES = ("counts",) if widgets.is_public() else pagemaps.DISASTER_MODES

rows = widgets.period_rows_or_stop(programme.id, view)

inside = figures.within(rows, view.within)
kinds = [c.id for c in programme.categories if c.id in set(inside["category"].dropna())]
mode = view.layer if view.layer in MODES else MODES[0]
chosen_kinds = kinds
if not view.present:
    controls = st.columns([2, 3])
    if len(MODES) > 1:
        picked = controls[0].segmented_control(
            t("map_view", lang), MODES, default=mode, key="w_disaster_mode",
            format_func=lambda m: t(f"mode_{m}", lang))
        if picked and picked != mode:
            ui_state.go(replace(view, layer=picked))
    chosen_kinds = controls[1].multiselect(
        t("kinds", lang), kinds, default=kinds, key="w_kinds",
        format_func=lambda k: programme.category(k).name.get(lang))
shown = inside[inside["category"].isin(chosen_kinds) | inside["category"].isna()] \
    if kinds else inside

map_column, side_column = widgets.map_columns(view)
with map_column:
    level = None
    if mode == "counts":
        natural = "tambon" if view.scope in ("province", "district") else "province"
        level = widgets.level_choice(view, natural)
    page_map = pagemaps.disasters(shown, view, mode, level, lang)
    pins = page_map.points
    if not page_map.has_data:
        st.info(t("empty_filtered", lang))
    with st.spinner(t("loading_map", lang)):
        m = pagemaps.draw(page_map, lang, view.basemap, selected=view.area,
                          base_url_path=widgets.base_url_path(), large_legend=view.present)
    if mode == "counts":
        widgets.handle_click(view, widgets.show_map(m, key="disaster_counts"),
                             drill=page_map.level != "tambon")
    else:
        st.caption(t("disaster_caption", lang, n=base.fmt_number(len(pins), lang),
                     approx=base.fmt_number(int(pins["approx"].sum()) if not pins.empty
                                            else 0, lang)))
        widgets.handle_click(view, widgets.show_map(m, key=f"disaster_{mode}"), drill=False)
    widgets.download_area(page_map, view)

if side_column is None:
    st.stop()

with side_column:
    st.subheader(t("counts_per_tambon", lang))
    table = tables.pinpoints_per_tambon(shown, lang)
    if table.empty:
        st.caption(t("no_tambon_rows", lang))
    else:
        st.dataframe(table, hide_index=True, width="stretch")
    st.subheader(t("rows_listed", lang))
    if shown.empty:
        st.info(t("empty_filtered", lang))
    else:
        listing = tables.disaster_rows(shown, programme, lang)
        st.dataframe(listing, hide_index=True, width="stretch", height=320)
    widgets.details_panel(view, loaders.area_rows(view.fiscal_year, view.area))
